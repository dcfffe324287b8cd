using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Videos;

public static class VideosServiceCollectionExtensions
{
    /// <summary>The one owner of a video's state, <see cref="VideoLifecycle"/>.</summary>
    public static IServiceCollection AddVideos(this IServiceCollection services) => services.AddScoped<VideoLifecycle>();
}
