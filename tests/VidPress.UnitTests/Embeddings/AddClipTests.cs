using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Embeddings;

namespace VidPress.UnitTests.Embeddings;

public sealed class AddClipTests
{
    [Fact]
    public void Default_model_path_is_found_above_the_bin_folder_and_the_model_is_one_shared_instance()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging().AddClip(configuration);

        ClipModel model;
        using (var provider = services.BuildServiceProvider())
        {
            model = provider.GetRequiredService<ClipModel>();
            Assert.Same(model, provider.GetRequiredService<ClipModel>());
            Assert.Equal(512, model.EmbedText("a red circle").Length);
        }

        // Disposed with the container: its sessions are gone.
        Assert.Throws<ObjectDisposedException>(() => model.EmbedText("a red circle"));
    }

    [Fact]
    public void Options_bind_from_the_clip_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clip:ModelPath"] = TinyClip.Folder,
            ["Clip:PreferCuda"] = "true",
            ["Clip:BatchSize"] = "7",
        }).Build();

        using var provider = new ServiceCollection().AddClip(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClipOptions>>().Value;

        Assert.Equal((TinyClip.Folder, true, 7), (options.ModelPath, options.PreferCuda, options.BatchSize));
        Assert.Equal("CPU", provider.GetRequiredService<ClipModel>().ExecutionProvider);
    }

    [Fact]
    public void Relative_paths_prefer_the_content_root()
    {
        var contentRoot = Path.GetDirectoryName(TinyClip.Folder)!;

        Assert.Equal(TinyClip.Folder, ClipServiceCollectionExtensions.ResolveModelPath("tiny-clip", contentRoot));
        Assert.Equal("/abs/model", ClipServiceCollectionExtensions.ResolveModelPath("/abs/model", contentRoot));
        Assert.Equal(Path.GetFullPath(TinyClip.Folder), Path.GetFullPath(ClipServiceCollectionExtensions.ResolveModelPath("models/tiny-clip", null)));
    }
}
