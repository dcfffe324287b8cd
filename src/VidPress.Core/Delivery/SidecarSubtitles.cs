using System.Globalization;
using System.Text;
using VidPress.Core.Timeline;

namespace VidPress.Core.Delivery;

/// <summary>The subtitle files a video is offered as beside its MP4, for a CMS or a player to attach.</summary>
public enum SubtitleFormat { Srt, Vtt }

/// <summary>
/// Writes a timeline's subtitle cues as a sidecar file: SubRip (.srt) or WebVTT (.vtt), UTF-8. Each cue keeps the
/// lines it has, and a line longer than its script allows is broken again by <see cref="SubtitleLines"/> (an editor's
/// long line, a cue of an older timeline), so a player shows what the burned-in subtitles show. Times are rounded to the
/// millisecond; cues without text or time are left out.
/// </summary>
public static class SidecarSubtitles
{
    public static readonly IReadOnlyList<string> Names = ["srt", "vtt"];

    /// <summary>The format a query names ("srt", "vtt", any case); false for anything else.</summary>
    public static bool TryParse(string? name, out SubtitleFormat format)
    {
        format = SubtitleFormat.Vtt;
        if (string.Equals(name, "srt", StringComparison.OrdinalIgnoreCase)) { format = SubtitleFormat.Srt; return true; }
        return string.Equals(name, "vtt", StringComparison.OrdinalIgnoreCase);
    }

    public static string Name(SubtitleFormat format) => format == SubtitleFormat.Srt ? "srt" : "vtt";

    /// <summary>The media type the file is served as (SubRip has no registered one; application/x-subrip is what players know).</summary>
    public static string ContentType(SubtitleFormat format) => format == SubtitleFormat.Srt ? "application/x-subrip; charset=utf-8" : "text/vtt; charset=utf-8";

    public static string Write(TimelineDocument timeline, SubtitleFormat format,
        int latinCharacters = SubtitleLines.DefaultLatinCharacters, int cjkCharacters = SubtitleLines.DefaultCjkCharacters)
    {
        var srt = format == SubtitleFormat.Srt;
        // SubRip is read line by line with CRLF by the tools that made it; WebVTT ends lines with LF.
        var newline = srt ? "\r\n" : "\n";
        var file = new StringBuilder();
        if (!srt) file.Append("WEBVTT").Append(newline).Append(newline);
        var number = 0;
        foreach (var cue in timeline.Subtitles.OrderBy(c => c.Start))
        {
            var (start, end) = (Milliseconds(cue.Start), Milliseconds(cue.End));
            var lines = (cue.Text ?? "").Replace("\r\n", "\n").Split('\n')
                .SelectMany(line => SubtitleLines.Break(line, latinCharacters, cjkCharacters)).Select(line => srt ? Srt(line) : Vtt(line))
                .Where(line => line.Length > 0).ToList();
            if (lines.Count == 0 || end <= start) continue;
            file.Append(++number).Append(newline);
            file.Append(Time(start, srt ? ',' : '.')).Append(" --> ").Append(Time(end, srt ? ',' : '.')).Append(newline);
            foreach (var line in lines) file.Append(line).Append(newline);
            file.Append(newline);
        }
        return file.ToString();
    }

    /// <summary>HH:MM:SS,mmm (SubRip) or HH:MM:SS.mmm (WebVTT).</summary>
    public static string Time(long milliseconds, char separator) => string.Create(CultureInfo.InvariantCulture,
        $"{milliseconds / 3_600_000:00}:{milliseconds / 60_000 % 60:00}:{milliseconds / 1000 % 60:00}{separator}{milliseconds % 1000:000}");

    private static long Milliseconds(double seconds) => (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);

    // WebVTT cue text is markup: &, < and > are written as character references, so "-->" cannot end up in a cue.
    private static string Vtt(string line) => line.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    // SubRip has no escapes; its one reserved sequence, the arrow of a timing line, is broken up.
    private static string Srt(string line) => line.Replace("-->", "->");
}
