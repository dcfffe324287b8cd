using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Script;

namespace VidPress.Core.Narration;

/// <summary>
/// Festival (Debian's <c>festival</c> with a voice package such as <c>festvox-us-slt-hts</c>): optional, so a deployment
/// without it lists none of its voices. Voices come from <c>(voice.list)</c> with their descriptions; a sentence is spoken by
/// <c>text2wave</c> from a file, the voice chosen by name (only a listed name, of Scheme symbol characters).
/// </summary>
public sealed partial class FestivalEngine(IOptions<NarrationOptions> options, IOptions<NarrationPaceOptions> pace, IMediaStorage storage) : ISpeechEngine
{
    public const string EngineName = "festival";
    /// <summary>The highest rate Festival's voice packages write (HTS voices 16–48 kHz), mono 16-bit.</summary>
    private const int MaxSampleRate = 48000;
    private readonly NarrationOptions _options = options.Value;
    private readonly NarrationPaceOptions _pace = pace.Value;

    public string Name => EngineName;

    public async Task<IReadOnlyList<Voice>> ListVoicesAsync(CancellationToken cancellationToken)
    {
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(_options.FestivalPath,
                ["--batch", "(mapcar (lambda (v) (print (list v (voice.description v)))) (voice.list))"], _options.Timeout, cancellationToken,
                maxOutputBytes: 1024 * 1024);
        }
        catch (ToolFailedException) { return []; }
        return result.ExitCode == 0 ? ParseVoices(result.StandardOutputText) : [];
    }

    /// <summary>
    /// Reads lines of <c>(name (name ((language english) (gender female) (dialect american) …)))</c>; voices of a language the
    /// scripts are not written in (Catalan, Spanish …) are left out.
    /// </summary>
    internal static IReadOnlyList<Voice> ParseVoices(string listing)
    {
        var voices = new List<Voice>();
        var starts = VoiceEntry().Matches(listing);
        for (var i = 0; i < starts.Count; i++)
        {
            var name = starts[i].Groups[1].Value;
            var end = i + 1 < starts.Count ? starts[i + 1].Index : listing.Length;
            var body = listing[starts[i].Index..end];
            var spoken = Feature(body, "language");
            var language = spoken switch
            {
                "english" or "american_english" or "british_english" => Languages.English,
                "mandarin" or "chinese" => Languages.Chinese,
                _ => null,
            };
            if (language is null || !SchemeSymbol().IsMatch(name)) continue;
            var gender = Feature(body, "gender") is { } g && g is "male" or "female" ? g : null;
            var dialect = Feature(body, "dialect");
            var described = string.Join(" ", new[] { dialect, spoken, gender }.Where(w => w is not null));
            voices.Add(new Voice($"{EngineName}:{name}", EngineName, language, gender, $"Festival {name} ({described})"));
        }
        return voices;
    }

    private static string? Feature(string body, string name) =>
        Regex.Match(body, $@"\({name} ([a-z_]+)\)", RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m ? m.Groups[1].Value : null;

    public async Task<WaveFile> SpeakAsync(string text, Voice voice, double rate, string scratchPurpose, CancellationToken cancellationToken)
    {
        if (!SchemeSymbol().IsMatch(voice.EngineVoice)) throw new ArgumentException($"Not a Festival voice name: {voice.EngineVoice}.", nameof(voice));
        using var scratch = storage.CreateScratch(scratchPurpose);
        var textFile = scratch.File("sentence.txt");
        var waveFile = scratch.File("sentence.wav");
        await File.WriteAllTextAsync(textFile, text, cancellationToken);
        // HTS voices take their speed as hts_engine's "-r"; the others (diphone, clustergen) stretch durations instead.
        var speed = (rate * _pace.Rate / _options.FestivalRate).ToString("0.###", CultureInfo.InvariantCulture);
        var stretch = (_options.FestivalRate / (rate * _pace.Rate)).ToString("0.###", CultureInfo.InvariantCulture);
        await ToolProcess.RunCheckedAsync(_options.Text2WavePath,
            ["-eval", $"(voice_{voice.EngineVoice})",
             "-eval", $"(Parameter.set 'Duration_Stretch {stretch})",
             "-eval", $"(set! hts_engine_params (append hts_engine_params (list (list \"-r\" {speed}))))",
             "-o", waveFile, textFile],
            _options.Timeout, cancellationToken);
        return await SpokenFile.ReadAsync(waveFile, MaxSampleRate, _options.MaxSentenceSeconds, cancellationToken);
    }

    [GeneratedRegex(@"^\(([A-Za-z0-9_]+) \(\1 ", RegexOptions.Multiline, 1000)]
    private static partial Regex VoiceEntry();

    [GeneratedRegex("^[a-z0-9_]{1,100}$", RegexOptions.None, 1000)]
    private static partial Regex SchemeSymbol();
}
