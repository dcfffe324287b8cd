using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Library;

public static class LibraryServiceCollectionExtensions
{
    /// <summary>
    /// The library: ingest of uploads (scenes, keyframes, thumbnails), shot search and music beds, with their options,
    /// all bound from the "Library" section.
    /// </summary>
    public static IServiceCollection AddLibrary(this IServiceCollection services)
    {
        services.AddValidatedOptions<LibraryUploadOptions>(LibraryUploadOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        services.AddValidatedOptions<ShotSearchOptions>(ShotSearchOptions.SectionName);
        services.AddSingleton<TenantLibrarySizes>();
        services.AddScoped<ShotSearch>();
        services.AddScoped<ShotRetrieval>();
        services.AddScoped<LibraryIngest>();
        services.AddScoped<MusicLibrary>();
        services.AddSingleton<SceneDetector>();
        return services.AddSingleton<ShotThumbnails>();
    }
}
