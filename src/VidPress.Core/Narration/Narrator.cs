using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Script;

namespace VidPress.Core.Narration;

public sealed class NarrationOptions
{
    public string EspeakPath { get; set; } = "espeak-ng";
    /// <summary>espeak-ng voice per script language.</summary>
    public Dictionary<string, string> Voices { get; set; } = new() { ["en"] = "en-us", ["zh"] = "cmn" };
    /// <summary>Words per minute.</summary>
    public int Rate { get; set; } = 165;
    public double LeadInSeconds { get; set; } = 0.3;
    public double PauseSeconds { get; set; } = 0.35;
    public double TailSeconds { get; set; } = 0.5;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// The longest speech one sentence may produce. espeak-ng's file is measured before it is read: more than this
    /// much audio in its format (22,050 Hz, mono, 16-bit: ~44 KB a second) fails the video as bad input.
    /// </summary>
    public double MaxSentenceSeconds { get; set; } = 300;
    /// <summary>Sentences spoken at once; 0 means one per processor core.</summary>
    public int Parallelism { get; set; }
}

/// <summary>Turns one sentence into speech. espeak-ng by default; a cloud voice can take its place.</summary>
public interface ISpeechSynthesizer
{
    string VoiceFor(string language);
    /// <param name="scratchPurpose">Names the scratch folder the speech is made in, so a run's leftovers can be told apart.</param>
    Task<WaveFile> SpeakAsync(string text, string language, string scratchPurpose, CancellationToken cancellationToken);
}

public sealed class EspeakSynthesizer(IOptions<NarrationOptions> options, IMediaStorage storage) : ISpeechSynthesizer
{
    private readonly NarrationOptions _options = options.Value;

    public string VoiceFor(string language) =>
        _options.Voices.TryGetValue(language, out var voice) ? voice : throw new VideoInputException($"No narration voice for language '{language}'.");

    public async Task<WaveFile> SpeakAsync(string text, string language, string scratchPurpose, CancellationToken cancellationToken)
    {
        using var scratch = storage.CreateScratch(scratchPurpose);
        // The text goes through a file, never the command line, so it can't be read as an option.
        var textFile = scratch.File("sentence.txt");
        var waveFile = scratch.File("sentence.wav");
        await File.WriteAllTextAsync(textFile, text, cancellationToken);
        await ToolProcess.RunCheckedAsync(_options.EspeakPath,
            ["-v", VoiceFor(language), "-s", _options.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-b", "1", "-f", textFile, "-w", waveFile],
            _options.Timeout, cancellationToken);
        // espeak-ng writes 22,050 Hz mono 16-bit; the file's size, not its header, says how much was produced.
        var maxBytes = (long)(_options.MaxSentenceSeconds * EspeakSampleRate * 2) + 4096;
        if (new FileInfo(waveFile).Length > maxBytes) throw TooLong();
        var wave = WaveFile.Read(await File.ReadAllBytesAsync(waveFile, cancellationToken));
        if (wave.DurationSeconds > _options.MaxSentenceSeconds) throw TooLong();
        return wave;

        VideoInputException TooLong() =>
            new($"A sentence's speech runs over {_options.MaxSentenceSeconds:0} s (Narration:MaxSentenceSeconds); split it into shorter ones.");
    }

    private const int EspeakSampleRate = 22050;
}

/// <summary>
/// Speaks the script sentence by sentence and joins the speech into one narration track with short
/// pauses. Each sentence's span is measured from the audio itself, so the timeline follows the voice.
/// </summary>
public sealed class Narrator(ISpeechSynthesizer synthesizer, IMediaStorage storage, IOptions<NarrationOptions> options)
{
    private readonly NarrationOptions _options = options.Value;

    /// <param name="scratchPurpose">The scratch folders' name: a video job names them after the video and its run, and removes an earlier
    /// run's that a killed worker left.</param>
    public async Task<NarrationDocument> NarrateAsync(ScriptDocument script, string audioKey, CancellationToken cancellationToken, string scratchPurpose = "tts")
    {
        // Sentences are spoken independently, so they are synthesised side by side and joined in order.
        var parts = new WaveFile[script.Sentences.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.Parallelism > 0 ? _options.Parallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Length), parallel, async (i, token) =>
            parts[i] = (await synthesizer.SpeakAsync(script.Sentences[i].Text, script.Language, scratchPurpose, token)).TrimSilence());
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Pcm.Length == 0) throw new VideoInputException($"Sentence {script.Sentences[i].Index + 1} produced no speech.");
        var (wave, spans) = Join(parts);
        await storage.SaveAsync(audioKey, new MemoryStream(wave.ToBytes()), cancellationToken);
        var sentences = script.Sentences.Select((s, i) => new NarratedSentence(s.Index, spans[i].Start, spans[i].End)).ToList();
        return new NarrationDocument(audioKey, synthesizer.VoiceFor(script.Language), wave.DurationSeconds, sentences);
    }

    internal (WaveFile Wave, IReadOnlyList<(double Start, double End)> Spans) Join(IReadOnlyList<WaveFile> parts)
    {
        var first = parts[0];
        if (parts.Any(p => p.SampleRate != first.SampleRate || p.Channels != first.Channels))
            throw new InvalidDataException("Narration parts differ in format.");
        var bytesPerSecond = (double)(first.SampleRate * first.Channels * 2);
        using var pcm = new MemoryStream();
        var spans = new List<(double, double)>();
        pcm.Write(WaveFile.Silence(first.SampleRate, first.Channels, _options.LeadInSeconds).Pcm);
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0) pcm.Write(WaveFile.Silence(first.SampleRate, first.Channels, _options.PauseSeconds).Pcm);
            var start = pcm.Length / bytesPerSecond;
            pcm.Write(parts[i].Pcm);
            spans.Add((start, pcm.Length / bytesPerSecond));
        }
        pcm.Write(WaveFile.Silence(first.SampleRate, first.Channels, _options.TailSeconds).Pcm);
        return (new WaveFile(first.SampleRate, first.Channels, pcm.ToArray()), spans);
    }
}
