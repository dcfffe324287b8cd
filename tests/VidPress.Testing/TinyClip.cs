using System.Text.Json;

namespace VidPress.Testing;

/// <summary>The repository's tiny CLIP model and its parity.json (the reference's tokens and embeddings of texts and images).</summary>
public static class TinyClip
{
    public static string Folder { get; } = Repository.Path("models", "tiny-clip");

    private static readonly Lazy<JsonElement> Parity = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "parity.json"))).RootElement);

    public static IEnumerable<JsonElement> Texts => Parity.Value.GetProperty("texts").EnumerateArray();

    public static JsonElement Text(string text) => Texts.Single(t => t.GetProperty("text").GetString() == text);

    public static TheoryData<string> TextCases()
    {
        var data = new TheoryData<string>();
        foreach (var text in Texts) data.Add(text.GetProperty("text").GetString()!);
        return data;
    }

    public static IEnumerable<JsonElement> Images => Parity.Value.GetProperty("images").EnumerateArray();

    public static JsonElement Image(string file) => Images.Single(i => i.GetProperty("file").GetString() == file);

    public static TheoryData<string> ImageCases()
    {
        var data = new TheoryData<string>();
        foreach (var image in Images) data.Add(image.GetProperty("file").GetString()!);
        return data;
    }

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
