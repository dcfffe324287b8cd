using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Rendering;

public static class RenderingServiceCollectionExtensions
{
    /// <summary>The renderer (ffmpeg) and the soundtrack mixer, with their options.</summary>
    public static IServiceCollection AddRendering(this IServiceCollection services)
    {
        services.AddValidatedOptions<RenderingOptions>(RenderingOptions.SectionName);
        services.AddSingleton<Soundtrack>();
        return services.AddSingleton<VideoRenderer>();
    }
}
