using Microsoft.Extensions.Options;
using VidPress.Core.Articles;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using Xunit.Abstractions;

namespace VidPress.IntegrationTests.Articles;

/// <summary>
/// The summary is fitted to the target with the calibrated speaking rates; here the real espeak-ng speaks it
/// through the real Narrator and the narration's length must land within 10 % of the target.
/// </summary>
public sealed class NarrationFitTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vidpress-fit-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>A long article: the three fixture stories of a language run together, far longer than the target.</summary>
    private static string LongArticle(string prefix) => string.Join("\n\n", Directory.GetFiles(Path.GetDirectoryName(NewsSite.FixturePath("x"))!, prefix + "*.html")
        .Order().Select(f => ArticleReader.Extract(File.ReadAllText(f), "http://news.example/").Text));

    [Theory]
    // Sentences are never cut, so a target must be several sentences long for 10 % to be reachable at all:
    // espeak-ng's Mandarin takes 10-18 s over one news sentence.
    [InlineData("en-", "en", 30)]
    [InlineData("en-", "en", 60)]
    [InlineData("zh-", "zh", 45)]
    [InlineData("zh-", "zh", 60)]
    public async Task The_spoken_summary_fits_the_target_within_ten_percent(string prefix, string language, double target)
    {
        var article = LongArticle(prefix);
        var narrationOptions = Options.Create(new NarrationOptions());
        var pace = Options.Create(new NarrationPaceOptions());
        var writer = new ScriptWriter(Options.Create(new ScriptOptions()), pace);
        var fullSeconds = SentenceSplitter.Split(article).Sum(s => writer.EstimateSeconds(s, language));
        Assert.True(fullSeconds > target * 2, $"The article ({fullSeconds:F0} s) must be far longer than the target.");

        var script = writer.Write(article, language, target);
        var storage = new LocalDiskStorage(Options.Create(new StorageOptions { Root = _root }));
        var narrator = new Narrator(new VoiceCatalogue([new EspeakEngine(narrationOptions, pace, storage)], narrationOptions), storage, narrationOptions, pace);
        var narration = await narrator.NarrateAsync(script, $"fit/{language}-{target}.wav", NarrationChoice.Default, CancellationToken.None);

        output.WriteLine($"{language} target {target} s: {script.Sentences.Count} sentences, spoken {narration.DurationSeconds:F2} s (article {fullSeconds:F0} s)");
        Assert.InRange(narration.DurationSeconds, target * 0.9, target * 1.1);
        Assert.Equal(SentenceSplitter.Split(article)[0], script.Sentences[0].Text);
    }
}
