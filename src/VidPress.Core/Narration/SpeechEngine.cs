namespace VidPress.Core.Narration;

/// <summary>
/// A voice this deployment can speak: <c>engine:name</c> (<c>espeak:en-us</c>, <c>festival:cmu_us_slt_arctic_hts</c>), the
/// script language it reads (<c>en</c>, <c>zh</c>), its gender when the engine says, and a name to show.
/// </summary>
public sealed record Voice(string Id, string Engine, string Language, string? Gender, string Name)
{
    /// <summary>The engine's own name of the voice: what follows "engine:".</summary>
    public string EngineVoice => Id[(Engine.Length + 1)..];
}

/// <summary>
/// A speech engine: the voices it has installed and how it speaks one sentence. espeak-ng and Festival are two; a neural
/// engine (a Piper/VITS voice in ONNX) would be a third, listed by the <see cref="VoiceCatalogue"/> like them.
/// </summary>
public interface ISpeechEngine
{
    /// <summary>The prefix of its voices' ids ("espeak", "festival").</summary>
    string Name { get; }

    /// <summary>The engine's voices for the script languages; none when the engine is not installed.</summary>
    Task<IReadOnlyList<Voice>> ListVoicesAsync(CancellationToken cancellationToken);

    /// <summary>Speaks <paramref name="text"/> with one of its voices into 16-bit PCM.</summary>
    /// <param name="rate">A factor on the configured pace (<c>Narration:Rate</c>): 2 speaks twice as fast.</param>
    /// <param name="scratchPurpose">Names the scratch folder the speech is made in, so a run's leftovers can be told apart.</param>
    Task<WaveFile> SpeakAsync(string text, Voice voice, double rate, string scratchPurpose, CancellationToken cancellationToken);
}

/// <summary>What both engines do with the file a tool wrote: its size is checked before it is read, then its length.</summary>
internal static class SpokenFile
{
    /// <param name="maxSampleRate">The highest rate the engine writes at (mono 16-bit), to bound the file before it is read.</param>
    public static async Task<WaveFile> ReadAsync(string path, int maxSampleRate, double maxSeconds, CancellationToken cancellationToken)
    {
        var maxBytes = (long)(maxSeconds * maxSampleRate * 2) + 4096;
        if (new FileInfo(path).Length > maxBytes) throw TooLong(maxSeconds);
        var wave = WaveFile.Read(await File.ReadAllBytesAsync(path, cancellationToken));
        if (wave.DurationSeconds > maxSeconds) throw TooLong(maxSeconds);
        return wave;
    }

    private static VideoInputException TooLong(double maxSeconds) =>
        new($"A sentence's speech runs over {maxSeconds:0} s (Narration:MaxSentenceSeconds); split it into shorter ones.");
}
