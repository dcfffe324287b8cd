using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Generation;

public static class GenerationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="GenerationOptions"/> from the "Generation" section and registers one
    /// <see cref="StillGenerator"/> for the process; the container disposes it, and with it the ONNX sessions, with the host.
    /// The models load on first resolution, so a host that never generates pays nothing.
    /// </summary>
    public static IServiceCollection AddGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<GenerationOptions>(configuration, GenerationOptions.SectionName);
        // The tokenizer is not taken from the container: a registered IPromptTokenizer may belong to the
        // embedding CLIP, whose vocabulary need not be the diffusion model's, so the generator loads the one in its own folder.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GenerationOptions>>().Value;
            var contentRoot = sp.GetService<Microsoft.Extensions.Hosting.IHostEnvironment>()?.ContentRootPath;
            var resolved = options.WithModelPath(Embeddings.ClipServiceCollectionExtensions.ResolveModelPath(options.ModelPath, contentRoot));
            return new StillGenerator(resolved, sp.GetService<ILogger<StillGenerator>>());
        });
        return services;
    }
}
