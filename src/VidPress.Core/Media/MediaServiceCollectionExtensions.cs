using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Media storage (local disk or S3), the sweeper of dead runs' files, and the probe that vets uploads.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName);
        services.AddValidatedOptions<MediaOptions>(MediaOptions.SectionName);
        // Bounded local disk on every host that runs: dead runs' scratch folders, unused S3 copies.
        services.AddHostedService<LocalFilesSweeper>();
        services.AddSingleton<IMediaStorage>(sp =>
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Kind == StorageKind.S3
                ? ActivatorUtilities.CreateInstance<S3MediaStorage>(sp)
                : ActivatorUtilities.CreateInstance<LocalDiskStorage>(sp));
        services.AddSingleton<MediaProbe>();
        return services;
    }
}
