using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Tenants;

public static class TenantsServiceCollectionExtensions
{
    /// <summary>Tenants and their API keys (the operator verbs and the API's authentication read them).</summary>
    public static IServiceCollection AddTenants(this IServiceCollection services) => services.AddScoped<TenantAdmin>();
}
