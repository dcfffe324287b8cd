using VidPress.Core.Embeddings;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Embeddings;

public sealed class ClipModelFixture : IDisposable
{
    public ClipModel Model { get; } = new(new ClipOptions { ModelPath = TinyClip.Folder, BatchSize = 4 });

    public void Dispose() => Model.Dispose();
}

/// <summary>The six PNGs of parity.json decoded by ffmpeg, preprocessed and embedded as the reference did.</summary>
public sealed class ClipImageParityTests(ClipModelFixture fixture) : IClassFixture<ClipModelFixture>
{
    private static readonly string[] Colours = ["red", "green", "blue", "yellow", "purple", "orange", "white", "black"];
    private static readonly string[] Shapes = ["circle", "square", "triangle"];

    private readonly FrameDecoder _decoder = new();

    public static TheoryData<string> ParityImages => TinyClip.ImageCases();

    [Theory]
    [MemberData(nameof(ParityImages))]
    public async Task Png_decodes_at_its_size(string file)
    {
        var size = TinyClip.Image(file).GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        var image = await _decoder.ReadImageAsync(Path.Combine(TinyClip.Folder, file));

        Assert.Equal((size[0], size[1]), (image.Width, image.Height));
    }

    [Theory]
    [MemberData(nameof(ParityImages))]
    public async Task Pixel_values_match_the_reference(string file)
    {
        var reference = TinyClip.Image(file);
        var image = await _decoder.ReadImageAsync(Path.Combine(TinyClip.Folder, file));

        var values = ClipImagePreprocessor.Load(TinyClip.Folder).Preprocess(image);

        var first8 = TinyClip.Floats(reference.GetProperty("pixel_values_first8"));
        for (var i = 0; i < first8.Length; i++) Assert.Equal(first8[i], values[i], 1e-5);
        // The port matches Pillow byte for byte; the reference's mean differs by up to 1.4e-5 (a few edge pixels one level
        // apart), as a torchvision resize would, so the mean is held to 5e-5 rather than to rounding.
        Assert.Equal(reference.GetProperty("pixel_values_mean").GetDouble(), values.Average(v => (double)v), 5e-5);
    }

    [Theory]
    [MemberData(nameof(ParityImages))]
    public async Task Image_embedding_matches_the_reference(string file)
    {
        var expected = TinyClip.Floats(TinyClip.Image(file).GetProperty("image_embeds"));
        var image = await _decoder.ReadImageAsync(Path.Combine(TinyClip.Folder, file));

        var embedding = fixture.Model.EmbedImages([image])[0];

        var cosine = TinyClip.Cosine(expected, embedding);
        Assert.True(cosine >= 0.99, $"cosine {cosine:F6}");
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public async Task Each_picture_is_closest_to_the_prompt_naming_its_colour_and_shape()
    {
        var files = TinyClip.Images.Select(i => i.GetProperty("file").GetString()!).ToArray();
        var images = await Task.WhenAll(files.Select(f => _decoder.ReadImageAsync(Path.Combine(TinyClip.Folder, f))));
        var prompts = Colours.SelectMany(c => Shapes.Select(s => (Label: $"{c} {s}", Prompt: $"a {c} {s}"))).ToArray();

        var imageEmbeddings = fixture.Model.EmbedImages(images);
        var textEmbeddings = fixture.Model.EmbedTexts(prompts.Select(p => p.Prompt).ToArray());

        for (var i = 0; i < files.Length; i++)
        {
            var best = Enumerable.Range(0, prompts.Length)
                .MaxBy(p => imageEmbeddings[i].Zip(textEmbeddings[p], (a, b) => a * b).Sum());
            Assert.Equal(TinyClip.Image(files[i]).GetProperty("label").GetString(), prompts[best].Label);
        }
    }

    [Fact]
    public async Task Batched_images_embed_as_they_do_alone()
    {
        var files = TinyClip.Images.Select(i => i.GetProperty("file").GetString()!).ToArray();
        var images = await Task.WhenAll(files.Select(f => _decoder.ReadImageAsync(Path.Combine(TinyClip.Folder, f))));

        var batched = fixture.Model.EmbedImages(images);

        Assert.Equal(images.Length, batched.Count);
        for (var i = 0; i < images.Length; i++)
            Assert.True(TinyClip.Cosine(fixture.Model.EmbedImages([images[i]])[0], batched[i]) > 0.99999);
    }
}
