using System.Globalization;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Script;

namespace VidPress.Core.Narration;

/// <summary>espeak-ng: its voices for English and Mandarin (<c>espeak-ng --voices</c>, MBROLA voices left out), spoken at <c>Narration:Rate</c> words a minute.</summary>
public sealed class EspeakEngine(IOptions<NarrationOptions> options, IOptions<NarrationPaceOptions> pace, IMediaStorage storage) : ISpeechEngine
{
    public const string EngineName = "espeak";
    /// <summary>espeak-ng's own bounds on "-s" (words a minute).</summary>
    public const int MinWordsPerMinute = 80, MaxWordsPerMinute = 450;
    private const int SampleRate = 22050;
    private readonly NarrationOptions _options = options.Value;
    private readonly NarrationPaceOptions _pace = pace.Value;

    public string Name => EngineName;

    public async Task<IReadOnlyList<Voice>> ListVoicesAsync(CancellationToken cancellationToken)
    {
        ToolResult result;
        try { result = await ToolProcess.RunAsync(_options.EspeakPath, ["--voices"], _options.Timeout, cancellationToken, maxOutputBytes: 1024 * 1024); }
        catch (ToolFailedException) { return []; }
        return result.ExitCode == 0 ? ParseVoices(result.StandardOutputText) : [];
    }

    /// <summary>
    /// Reads <c>espeak-ng --voices</c>: "Pty Language Age/Gender VoiceName File Other". English voices (<c>en</c>, <c>en-*</c>) and
    /// Mandarin (<c>cmn</c>, <c>cmn-*</c>); MBROLA voices (file <c>mb/…</c>) need databases Debian does not install with espeak-ng.
    /// </summary>
    internal static IReadOnlyList<Voice> ParseVoices(string listing)
    {
        var voices = new List<Voice>();
        foreach (var line in listing.Split('\n').Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 5 || columns[4].StartsWith("mb/", StringComparison.Ordinal)) continue;
            var code = columns[1];
            var language = code == "en" || code.StartsWith("en-", StringComparison.Ordinal) ? Languages.English
                : code == "cmn" || code.StartsWith("cmn-", StringComparison.Ordinal) ? Languages.Chinese : null;
            if (language is null) continue;
            var gender = columns[2].EndsWith("/M", StringComparison.Ordinal) ? "male" : columns[2].EndsWith("/F", StringComparison.Ordinal) ? "female" : null;
            var id = $"{EngineName}:{code}";
            if (voices.All(v => v.Id != id)) voices.Add(new Voice(id, EngineName, language, gender, "espeak-ng " + columns[3].Replace('_', ' ')));
        }
        return voices;
    }

    public async Task<WaveFile> SpeakAsync(string text, Voice voice, double rate, string scratchPurpose, CancellationToken cancellationToken)
    {
        using var scratch = storage.CreateScratch(scratchPurpose);
        // The text goes through a file, never the command line, so it can't be read as an option.
        var textFile = scratch.File("sentence.txt");
        var waveFile = scratch.File("sentence.wav");
        await File.WriteAllTextAsync(textFile, text, cancellationToken);
        var wordsPerMinute = Math.Clamp((int)Math.Round(_pace.Rate * rate), MinWordsPerMinute, MaxWordsPerMinute);
        await ToolProcess.RunCheckedAsync(_options.EspeakPath,
            ["-v", voice.EngineVoice, "-s", wordsPerMinute.ToString(CultureInfo.InvariantCulture), "-b", "1", "-f", textFile, "-w", waveFile],
            _options.Timeout, cancellationToken);
        // espeak-ng writes 22,050 Hz mono 16-bit; the file's size, not its header, says how much was produced.
        return await SpokenFile.ReadAsync(waveFile, SampleRate, _options.MaxSentenceSeconds, cancellationToken);
    }
}
