using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Embeddings;

public static class ClipServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ClipModel"/> as a singleton (disposed with the host) with <see cref="ClipOptions"/> bound
    /// from the "Clip" section. The sessions load on first use, not at start-up.
    /// </summary>
    public static IServiceCollection AddClip(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ClipOptions>(configuration, ClipOptions.SectionName);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClipOptions>>().Value;
            var contentRoot = provider.GetService<IHostEnvironment>()?.ContentRootPath;
            var resolved = new ClipOptions
            {
                ModelPath = ResolveModelPath(options.ModelPath, contentRoot),
                PreferCuda = options.PreferCuda,
                BatchSize = options.BatchSize,
            };
            return new ClipModel(resolved, provider.GetService<ILogger<ClipModel>>());
        });
        return services;
    }

    /// <summary>
    /// A relative model path is tried under the content root, then under AppContext.BaseDirectory and each of its
    /// parents, so a host run from bin/ or a test finds the repository's models/ folder without copying it.
    /// </summary>
    internal static string ResolveModelPath(string modelPath, string? contentRoot)
    {
        if (Path.IsPathRooted(modelPath)) return modelPath;
        if (contentRoot is not null && Directory.Exists(Path.Combine(contentRoot, modelPath)))
            return Path.GetFullPath(Path.Combine(contentRoot, modelPath));
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, modelPath);
            if (Directory.Exists(candidate)) return candidate;
        }
        // Not found anywhere: keep the content-root reading so the error names the place one would expect.
        return Path.GetFullPath(Path.Combine(contentRoot ?? AppContext.BaseDirectory, modelPath));
    }
}
