using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Network;

public static class NetworkServiceCollectionExtensions
{
    /// <summary>The guarded HTTP clients every outbound call to a caller's URL goes through (<see cref="OutboundHttp"/>).</summary>
    public static IServiceCollection AddNetwork(this IServiceCollection services)
    {
        services.AddValidatedOptions<NetworkOptions>(NetworkOptions.SectionName);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        // Both through the same guard; webhooks do not follow redirects (see OutboundHttp.WebhookClientName).
        foreach (var (name, followRedirects) in new[] { (OutboundHttp.ClientName, true), (OutboundHttp.WebhookClientName, false) })
            services.AddHttpClient(name)
                .ConfigurePrimaryHttpMessageHandler(sp => OutboundHttp.CreateHandler(
                    sp.GetRequiredService<IOptions<NetworkOptions>>().Value, sp.GetRequiredService<IHostResolver>(), followRedirects))
                .ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.ParseAdd("VidPress/1.0"));
        return services;
    }
}
