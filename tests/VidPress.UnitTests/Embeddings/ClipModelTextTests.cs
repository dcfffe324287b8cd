using VidPress.Core.Embeddings;
using VidPress.Core.Media;

namespace VidPress.UnitTests.Embeddings;

public sealed class ClipModelFixture : IDisposable
{
    public ClipModel Model { get; } = new(new ClipOptions { ModelPath = TinyClip.Folder, BatchSize = 3 });

    public void Dispose() => Model.Dispose();
}

public sealed class ClipModelTextTests(ClipModelFixture fixture) : IClassFixture<ClipModelFixture>
{
    public static TheoryData<string> ParityTexts => TinyClip.TextCases();

    [Theory]
    [MemberData(nameof(ParityTexts))]
    public void Text_embedding_matches_the_reference(string text)
    {
        var expected = TinyClip.Floats(TinyClip.Text(text).GetProperty("text_embeds"));

        var embedding = fixture.Model.EmbedText(text);

        Assert.True(TinyClip.Cosine(expected, embedding) >= 0.99, $"cosine {TinyClip.Cosine(expected, embedding):F6}");
    }

    [Fact]
    public void Embeddings_have_unit_length_and_the_model_dimensions()
    {
        Assert.Equal(512, fixture.Model.Dimensions);
        foreach (var embedding in fixture.Model.EmbedTexts(["a red circle", "rouge cercle", ""]))
        {
            Assert.Equal(fixture.Model.Dimensions, embedding.Length);
            Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 5);
        }
    }

    [Fact]
    public void Batched_texts_embed_as_they_do_alone()
    {
        string[] texts = ["a red circle", "green triangle", "the orange square", "a black triangle", "rouge cercle"];

        var batched = fixture.Model.EmbedTexts(texts);

        Assert.Equal(texts.Length, batched.Count);
        for (var i = 0; i < texts.Length; i++)
            Assert.True(TinyClip.Cosine(fixture.Model.EmbedText(texts[i]), batched[i]) > 0.99999);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_model()
    {
        var expected = fixture.Model.EmbedTexts(["a red circle", "green triangle", "rouge cercle"]);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 20).Select(_ => fixture.Model.EmbedTexts(["a red circle", "green triangle", "rouge cercle"])).ToList())));

        foreach (var embeddings in results.SelectMany(r => r))
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], embeddings[i]);
    }

    [Fact]
    public void Disposing_twice_is_harmless_and_later_calls_say_disposed()
    {
        var model = new ClipModel(new ClipOptions { ModelPath = TinyClip.Folder });

        model.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.EmbedText("a red circle"));
        Assert.Throws<ObjectDisposedException>(() => model.EmbedImages([RgbImage.Filled(8, 8, 0, 0, 0)]));
    }

    [Fact]
    public void Normalize_makes_unit_vectors_and_leaves_zero_alone()
    {
        float[] vector = [3, 4];
        float[] zero = [0, 0];

        ClipModel.Normalize(vector);
        ClipModel.Normalize(zero);

        Assert.Equal([0.6f, 0.8f], vector);
        Assert.Equal([0f, 0f], zero);
    }

    [Fact]
    public void Asking_for_cuda_without_it_falls_back_to_the_cpu()
    {
        using var model = new ClipModel(new ClipOptions { ModelPath = TinyClip.Folder, PreferCuda = true });

        Assert.Equal("CPU", model.ExecutionProvider);
        Assert.True(TinyClip.Cosine(fixture.Model.EmbedText("a red circle"), model.EmbedText("a red circle")) > 0.99999);
    }
}
