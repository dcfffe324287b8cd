using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.Core.Rendering;

/// <summary>The music bed under the narration: a local file and its level before ducking.</summary>
public sealed record BackgroundMusic(string Path, double GainDb = -12);

/// <summary>The loudness ffmpeg's loudnorm measured in its first pass.</summary>
public sealed record LoudnessMeasure(double IntegratedLufs, double TruePeakDb, double Range, double Threshold, double Offset);

/// <summary>
/// Builds the video's sound once, before any picture is drawn: the narration, an optional music bed
/// that ducks under the voice (sidechain compression), mixed once and normalised in two loudnorm passes to the
/// broadcast-web target (−16 LUFS integrated, true peak under −1 dBTP), AAC 48 kHz stereo.
/// Encoding the sound once for the whole video is what keeps segment joins free of audio drift.
/// </summary>
public sealed partial class Soundtrack(IOptions<RenderingOptions> options, IOptions<MediaOptions> media)
{
    private readonly RenderingOptions _options = options.Value;
    private readonly MediaOptions _media = media.Value;

    public async Task<string> MixAsync(string narrationPath, BackgroundMusic? music, double durationSeconds, ScratchFolder scratch, CancellationToken cancellationToken)
    {
        var output = scratch.File("soundtrack.m4a");
        var mixed = scratch.File("soundtrack-mix.wav");
        var inputs = Inputs(narrationPath, music);
        var mix = MixGraph(music is not null, durationSeconds, music?.GainDb ?? 0);
        var target = F($"I={_options.LoudnessTarget}:TP={_options.TruePeakTarget}:LRA=11");

        // The mix is made once, kept as 32-bit float PCM and measured in the same run; the second pass
        // only normalises and encodes it instead of decoding, resampling and ducking everything again.
        var measure = await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
            [.. inputs, "-filter_complex", $"{mix};[mix]asplit=2[keep][measure];[measure]loudnorm={target}:print_format=json[out]",
             "-map", "[keep]", "-c:a", "pcm_f32le", "-rf64", "auto", mixed, "-map", "[out]", "-f", "null", "-"],
            _options.Timeout, cancellationToken);
        var measured = ParseLoudnorm(measure.StandardError);

        var second = $"loudnorm={target}" + F($":measured_I={measured.IntegratedLufs}:measured_TP={measured.TruePeakDb}:measured_LRA={measured.Range}:measured_thresh={measured.Threshold}:offset={measured.Offset}:linear=true")
            + ",aresample=48000";
        await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
            ["-hide_banner", "-nostdin", "-y", "-i", mixed, "-af", second,
             "-c:a", "aac", "-aac_coder", _options.AacCoder, "-b:a", "160k", "-ar", "48000", "-ac", "2", "-t", F($"{durationSeconds:0.######}"), output],
            _options.Timeout, cancellationToken);
        File.Delete(mixed);
        return output;
    }

    private static List<string> Inputs(string narrationPath, BackgroundMusic? music)
    {
        var inputs = new List<string> { "-hide_banner", "-nostdin", "-y", "-i", narrationPath };
        // The bed loops for as long as the narration needs it.
        if (music is not null) inputs.AddRange(["-stream_loop", "-1", "-i", music.Path]);
        return inputs;
    }

    /// <summary>The mixing graph, ending in [mix]; only numbers are put into it.</summary>
    internal static string MixGraph(bool withMusic, double durationSeconds, double musicGainDb)
    {
        const string format = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";
        var voice = F($"[0:a]{format},apad,atrim=0:{durationSeconds:0.######}");
        if (!withMusic) return voice + "[mix]";
        var fadeStart = Math.Max(0, durationSeconds - 2);
        return voice + ",asplit=2[voice][key];"
            + F($"[1:a]{format},atrim=0:{durationSeconds:0.######},volume={musicGainDb:0.##}dB,afade=t=in:d=1,afade=t=out:st={fadeStart:0.###}:d=2[bed];")
            + "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=350:makeup=1[ducked];"
            + "[voice][ducked]amix=inputs=2:duration=first:normalize=0[mix]";
    }

    internal static LoudnessMeasure ParseLoudnorm(string stderr)
    {
        var match = LoudnormJson().Match(stderr);
        if (!match.Success) throw new ToolFailedException("ffmpeg", "loudnorm printed no measurement");
        using var json = JsonDocument.Parse(match.Value);
        double Read(string name)
        {
            var text = json.RootElement.GetProperty(name).GetString();
            // Pure digital silence measures as -inf; treat it as very quiet rather than failing.
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : -99;
        }
        return new LoudnessMeasure(Read("input_i"), Read("input_tp"), Math.Max(0, Read("input_lra")), Read("input_thresh"), Read("target_offset"));
    }

    [GeneratedRegex(@"\{[^{}]*""input_i""[^{}]*\}", RegexOptions.Singleline)]
    private static partial Regex LoudnormJson();

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
