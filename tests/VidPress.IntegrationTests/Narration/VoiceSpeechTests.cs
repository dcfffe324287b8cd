using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using Xunit.Abstractions;

namespace VidPress.IntegrationTests.Narration;

/// <summary>
/// Every voice the real engines list (espeak-ng and Festival, both installed by <c>./vidpress</c>) speaks a sentence that
/// sox measures as speech; the rate and the lexicon change what is spoken, and the script keeps what was written.
/// </summary>
public sealed class VoiceSpeechTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vidpress-voices-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly IOptions<NarrationOptions> NarrationSettings = Options.Create(new NarrationOptions());
    private static readonly IOptions<NarrationPaceOptions> Pace = Options.Create(new NarrationPaceOptions());

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private LocalDiskStorage Storage() => new(Options.Create(new StorageOptions { Root = _root }));

    private VoiceCatalogue Catalogue()
    {
        var storage = Storage();
        return new VoiceCatalogue([new EspeakEngine(NarrationSettings, Pace, storage), new FestivalEngine(NarrationSettings, Pace, storage)], NarrationSettings);
    }

    private static string SentenceFor(string language) =>
        language == Languages.Chinese ? "市议会今天批准了新的港口计划。" : "The city council approved the new harbour plan today.";

    /// <summary>sox's own measurements of a WAV file: its length and RMS amplitude (full scale 1).</summary>
    private static async Task<(double Seconds, double Rms, string Stats)> SoxStatsAsync(string path)
    {
        var result = await ToolProcess.RunCheckedAsync("sox", [path, "-n", "stat"], TimeSpan.FromMinutes(1));
        var stats = result.StandardError;
        double Read(string name) => double.Parse(Regex.Match(stats, $@"{name}:\s+(-?[0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        return (Read(@"Length \(seconds\)"), Read("RMS     amplitude"), stats);
    }

    private async Task<string> SpeakToFileAsync(VoiceCatalogue catalogue, Voice voice, string text, double rate, string name)
    {
        var wave = await catalogue.EngineOf(voice).SpeakAsync(text, voice, rate, "voice-test", CancellationToken.None);
        Directory.CreateDirectory(_root);
        var path = Path.Combine(_root, name + ".wav");
        await File.WriteAllBytesAsync(path, wave.ToBytes());
        return path;
    }

    [Fact]
    public async Task Both_engines_are_listed_with_the_hts_voice_for_english()
    {
        var voices = await Catalogue().ListAsync(CancellationToken.None);
        Assert.Contains(voices, v => v.Id == "espeak:en-us" && v.Language == "en");
        Assert.Contains(voices, v => v.Id == "espeak:cmn" && v.Language == "zh");
        Assert.Contains(voices, v => v.Id == "festival:cmu_us_slt_arctic_hts" && v.Language == "en" && v.Gender == "female");
    }

    [Fact]
    public async Task Without_festival_installed_its_voices_are_not_listed_and_asking_for_one_names_the_others()
    {
        var missing = Options.Create(new NarrationOptions { FestivalPath = Path.Combine(_root, "no-festival") });
        var storage = Storage();
        var catalogue = new VoiceCatalogue([new EspeakEngine(missing, Pace, storage), new FestivalEngine(missing, Pace, storage)], missing);
        var voices = await catalogue.ListAsync(CancellationToken.None);
        Assert.Contains(voices, v => v.Id == "espeak:en-us");
        Assert.DoesNotContain(voices, v => v.Engine == "festival");
        var problem = await catalogue.ProblemAsync("festival:cmu_us_slt_arctic_hts", "en", CancellationToken.None);
        Assert.Contains("No voice 'festival:cmu_us_slt_arctic_hts'", problem);
        Assert.Contains("espeak:en-us", problem);
    }

    [Fact]
    public async Task Every_listed_voice_speaks_a_sentence_loud_enough_and_long_enough()
    {
        var catalogue = Catalogue();
        var voices = await catalogue.ListAsync(CancellationToken.None);
        Assert.NotEmpty(voices);
        foreach (var voice in voices)
        {
            var path = await SpeakToFileAsync(catalogue, voice, SentenceFor(voice.Language), 1, voice.Id.Replace(':', '-'));
            var (seconds, rms, _) = await SoxStatsAsync(path);
            output.WriteLine($"{voice.Id,-34} {voice.Language} {seconds,6:F2} s  RMS {rms:F4}");
            Assert.True(seconds > 0.5, $"{voice.Id}: {seconds:F2} s of audio");
            Assert.True(rms > 0.01, $"{voice.Id}: RMS amplitude {rms:F4}, near silence");
        }
    }

    [Theory]
    [InlineData("espeak:en-us")]
    [InlineData("festival:cmu_us_slt_arctic_hts")]
    public async Task A_faster_rate_speaks_the_same_sentence_in_less_time(string voiceId)
    {
        var catalogue = Catalogue();
        var voice = (await catalogue.ListAsync(CancellationToken.None)).Single(v => v.Id == voiceId);
        var text = SentenceFor("en");
        var slow = (await SoxStatsAsync(await SpeakToFileAsync(catalogue, voice, text, 0.7, "slow"))).Seconds;
        var usual = (await SoxStatsAsync(await SpeakToFileAsync(catalogue, voice, text, 1, "usual"))).Seconds;
        var fast = (await SoxStatsAsync(await SpeakToFileAsync(catalogue, voice, text, 1.5, "fast"))).Seconds;
        output.WriteLine($"{voiceId}: ×0.7 {slow:F2} s, ×1 {usual:F2} s, ×1.5 {fast:F2} s");
        Assert.True(slow > usual * 1.15, $"×0.7 {slow:F2} s is not longer than ×1 {usual:F2} s");
        Assert.True(fast < usual * 0.85, $"×1.5 {fast:F2} s is not shorter than ×1 {usual:F2} s");
    }

    [Theory]
    [InlineData("espeak:en-us")]
    [InlineData("festival:cmu_us_slt_arctic_hts")]
    public async Task The_lexicon_changes_what_is_spoken_and_the_script_keeps_the_written_name(string voiceId)
    {
        var storage = Storage();
        var narrator = new Narrator(Catalogue(), storage, NarrationSettings, Pace);
        var script = new ScriptDocument(Languages.English, [new ScriptSentence(0, "Mayor Nguyen opened the harbour.")]);
        var plain = await narrator.NarrateAsync(script, "lexicon/plain.wav", NarrationChoice.Default with { Voice = voiceId }, CancellationToken.None);
        var spelled = await narrator.NarrateAsync(script, "lexicon/spelled.wav",
            NarrationChoice.Default with { Voice = voiceId, Lexicon = [new LexiconEntry("Nguyen", "Nuh win of the very long name spelled out")] }, CancellationToken.None);

        var plainPath = await storage.GetLocalPathAsync("lexicon/plain.wav", CancellationToken.None);
        var spelledPath = await storage.GetLocalPathAsync("lexicon/spelled.wav", CancellationToken.None);
        var (plainSeconds, _, _) = await SoxStatsAsync(plainPath);
        var (spelledSeconds, _, _) = await SoxStatsAsync(spelledPath);
        output.WriteLine($"{voiceId}: as written {plainSeconds:F2} s, through the lexicon {spelledSeconds:F2} s");
        Assert.Equal(voiceId, spelled.Voice);
        Assert.True(spelledSeconds > plainSeconds + 0.5, $"the lexicon's longer reading ({spelledSeconds:F2} s) should outlast the name as written ({plainSeconds:F2} s)");
        Assert.Equal("Mayor Nguyen opened the harbour.", script.Sentences[0].Text);
    }
}
