using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Webhooks (Standard Webhooks signatures) and signed download links, with their required secrets.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.SectionName);
        services.AddValidatedOptions<DownloadOptions>(DownloadOptions.SectionName);
        services.AddSingleton<DownloadLinks>();
        return services.AddScoped<WebhookSender>();
    }
}
