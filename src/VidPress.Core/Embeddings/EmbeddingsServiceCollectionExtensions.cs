using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.Core.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>CLIP (<see cref="ClipServiceCollectionExtensions.AddClip"/>) and the decoder that turns keyframes into its pictures.</summary>
    public static IServiceCollection AddEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp =>
        {
            var media = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
            return new FrameDecoder(media.FfmpegPath, allowedFormats: media.AllowedFormats, maxPixels: media.MaxPixels);
        });
        return services.AddClip(configuration);
    }
}
