using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Script;

namespace VidPress.Core.Narration;

/// <summary>
/// Speaks the script sentence by sentence and joins the speech into one narration track with short
/// pauses. Each sentence's span is measured from the audio itself, so the timeline follows the voice. The voice is the
/// catalogue's choice; the engine reads each sentence through the tenant's lexicon, the script keeps what was written.
/// </summary>
public sealed class Narrator(VoiceCatalogue voices, IMediaStorage storage, IOptions<NarrationOptions> options, IOptions<NarrationPaceOptions> pace)
{
    private readonly NarrationOptions _options = options.Value;
    private readonly NarrationPaceOptions _pace = pace.Value;

    /// <param name="scratchPurpose">The scratch folders' name: a video job names them after the video and its run, and removes an earlier
    /// run's that a killed worker left.</param>
    public async Task<NarrationDocument> NarrateAsync(ScriptDocument script, string audioKey, NarrationChoice choice, CancellationToken cancellationToken,
        string scratchPurpose = "tts")
    {
        var voice = await voices.ChooseAsync(choice.Voice, choice.TenantVoice, script.Language, cancellationToken);
        var engine = voices.EngineOf(voice);
        var rate = Math.Clamp(choice.SpeakingRate, VoiceCatalogue.MinSpeakingRate, VoiceCatalogue.MaxSpeakingRate);
        var lexicon = choice.Lexicon.Count == 0 ? PronunciationLexicon.Empty : new PronunciationLexicon(choice.Lexicon);
        // Sentences are spoken independently, so they are synthesised side by side and joined in order.
        var parts = new WaveFile[script.Sentences.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.Parallelism > 0 ? _options.Parallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Length), parallel, async (i, token) =>
            parts[i] = (await engine.SpeakAsync(lexicon.Apply(script.Sentences[i].Text), voice, rate, scratchPurpose, token)).TrimSilence());
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Pcm.Length == 0) throw new VideoInputException($"Sentence {script.Sentences[i].Index + 1} produced no speech.");
        var (wave, spans) = Join(parts);
        await storage.SaveAsync(audioKey, new MemoryStream(wave.ToBytes()), cancellationToken);
        var sentences = script.Sentences.Select((s, i) => new NarratedSentence(s.Index, spans[i].Start, spans[i].End)).ToList();
        return new NarrationDocument(audioKey, voice.Id, wave.DurationSeconds, sentences, rate);
    }

    /// <summary>
    /// Checks the spoken narration against the target: null when it lasts at most <see cref="ScriptWriter.NarrationBoundSeconds"/>;
    /// else the script without the sentences that end past that bound, to be narrated again. A first sentence that
    /// alone ends past it is a clear input error: the video is not made rather than made many times too long.
    /// </summary>
    public ScriptDocument? Shorten(ScriptDocument script, NarrationDocument narration, double targetSeconds)
    {
        var bound = ScriptWriter.NarrationBoundSeconds(targetSeconds);
        if (narration.DurationSeconds <= bound) return null;
        var keep = narration.Sentences.TakeWhile(s => s.EndSeconds + _pace.TailSeconds <= bound).Count();
        if (keep == 0)
        {
            var first = narration.Sentences[0];
            throw new VideoInputException($"The first sentence takes {first.EndSeconds - first.StartSeconds:0.#} s to speak, more than a " +
                $"{targetSeconds:0.#} s video allows ({bound:0.#} s with its tolerance); shorten it or raise targetDurationSeconds.");
        }
        return script with { Sentences = script.Sentences.Take(keep).ToList() };
    }

    internal (WaveFile Wave, IReadOnlyList<(double Start, double End)> Spans) Join(IReadOnlyList<WaveFile> parts)
    {
        var first = parts[0];
        if (parts.Any(p => p.SampleRate != first.SampleRate || p.Channels != first.Channels))
            throw new InvalidDataException("Narration parts differ in format.");
        var bytesPerSecond = (double)(first.SampleRate * first.Channels * 2);
        using var pcm = new MemoryStream();
        var spans = new List<(double, double)>();
        pcm.Write(WaveFile.Silence(first.SampleRate, first.Channels, _pace.LeadInSeconds).Pcm);
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0) pcm.Write(WaveFile.Silence(first.SampleRate, first.Channels, _pace.PauseSeconds).Pcm);
            var start = pcm.Length / bytesPerSecond;
            pcm.Write(parts[i].Pcm);
            spans.Add((start, pcm.Length / bytesPerSecond));
        }
        pcm.Write(WaveFile.Silence(first.SampleRate, first.Channels, _pace.TailSeconds).Pcm);
        return (new WaveFile(first.SampleRate, first.Channels, pcm.ToArray()), spans);
    }
}
