using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Data;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "VidPress";
    public const string MigrationsAssembly = "VidPress.Migrations";

    /// <summary>The database: one <see cref="VidPressDbContext"/> per scope, on PostgreSQL with pgvector.</summary>
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        // Settings are read when the container builds, not now, so hosts and tests can still change them.
        services.AddDbContextFactory<VidPressDbContext>((sp, o) => o.UseNpgsql(ConnectionString(sp.GetRequiredService<IConfiguration>()), npgsql =>
        {
            npgsql.UseVector();
            npgsql.MigrationsAssembly(MigrationsAssembly);
            npgsql.EnableRetryOnFailure(3);
        }), ServiceLifetime.Scoped);
        return services;
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.");
}
