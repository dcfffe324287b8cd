using System.Globalization;
using System.Text;
using VidPress.Core.Timeline;

namespace VidPress.Core.Rendering;

/// <summary>
/// Writes subtitles and title-card text as an ASS file for libass. Caller text only ever reaches
/// ffmpeg through this file, never through a filtergraph string.
/// </summary>
public static class SubtitleFile
{
    public const string Font = "Noto Sans CJK SC";

    public static string Write(TimelineDocument timeline)
    {
        var h = timeline.Height;
        var subtitleSize = Math.Round(h * (timeline.Width >= timeline.Height ? 0.055 : 0.04));
        var cardSize = Math.Round(h * (timeline.Width >= timeline.Height ? 0.07 : 0.05));
        var margin = (int)Math.Round(h * 0.06);
        var sideMargin = (int)Math.Round(timeline.Width * 0.06);
        var ass = new StringBuilder();
        ass.AppendLine("[Script Info]");
        ass.AppendLine("ScriptType: v4.00+");
        ass.AppendLine(Invariant($"PlayResX: {timeline.Width}"));
        ass.AppendLine(Invariant($"PlayResY: {timeline.Height}"));
        ass.AppendLine("WrapStyle: 0");
        ass.AppendLine("ScaledBorderAndShadow: yes");
        ass.AppendLine();
        ass.AppendLine("[V4+ Styles]");
        ass.AppendLine("Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding");
        ass.AppendLine(Invariant($"Style: Subtitle,{Font},{subtitleSize},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,{Math.Max(2, subtitleSize / 14):0},1,2,{sideMargin},{sideMargin},{margin},1"));
        ass.AppendLine(Invariant($"Style: Card,{Font},{cardSize},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,1,0,0,0,100,100,0,0,1,0,0,5,{sideMargin},{sideMargin},{margin},1"));
        // Opening title: large, upper third, on a translucent box (BorderStyle 3) so it reads over any shot.
        ass.AppendLine(Invariant($"Style: Title,{Font},{cardSize * 1.1:0},&H00FFFFFF,&H00FFFFFF,&HA0000000,&HA0000000,1,0,0,0,100,100,0,0,3,{Math.Round(cardSize * 0.3)},0,8,{sideMargin},{sideMargin},{(int)(h * 0.12)},1"));
        // Lower third: name on a box at the left, above the subtitles.
        ass.AppendLine(Invariant($"Style: LowerThird,{Font},{subtitleSize * 0.9:0},&H00FFFFFF,&H00FFFFFF,&HC0503010,&HC0503010,1,0,0,0,100,100,0,0,3,{Math.Round(subtitleSize * 0.3)},0,1,{sideMargin},{sideMargin},{(int)(h * 0.22)},1"));
        // The AI label stays in the top right corner for as long as a generated still is on screen.
        ass.AppendLine(Invariant($"Style: AiLabel,{Font},{subtitleSize * 0.6:0},&H00FFFFFF,&H00FFFFFF,&H80000000,&H80000000,0,0,0,0,100,100,0,0,3,{Math.Round(subtitleSize * 0.2)},0,9,{sideMargin / 2},{sideMargin / 2},{margin / 2},1"));
        ass.AppendLine();
        ass.AppendLine("[Events]");
        ass.AppendLine("Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text");
        foreach (var clip in timeline.Clips.Where(c => c.Kind == ClipKind.TitleCard && !string.IsNullOrWhiteSpace(c.CardText)))
            ass.AppendLine($"Dialogue: 1,{Time(clip.Start)},{Time(clip.End)},Card,,0,0,0,,{Escape(clip.CardText!)}");
        foreach (var overlay in timeline.Overlays)
        {
            var style = overlay.Kind switch { OverlayKind.OpeningTitle => "Title", OverlayKind.LowerThird => "LowerThird", _ => "AiLabel" };
            var text = Escape(overlay.Text) + (string.IsNullOrWhiteSpace(overlay.Subtitle) ? "" : "\\N" + Escape(overlay.Subtitle));
            ass.AppendLine($"Dialogue: 2,{Time(overlay.Start)},{Time(overlay.End)},{style},,0,0,0,,{text}");
        }
        foreach (var cue in timeline.Subtitles)
            ass.AppendLine($"Dialogue: 0,{Time(cue.Start)},{Time(cue.End)},Subtitle,,0,0,0,,{Escape(cue.Text)}");
        return ass.ToString();
    }

    /// <summary>
    /// Makes caller text literal for libass: braces would open override blocks, so they are written
    /// as libass's escapes \{ and \}; a backslash would start an escape such as \N, so it gets a word
    /// joiner (U+2060, invisible) after it; line breaks become \N.
    /// </summary>
    public static string Escape(string text)
    {
        var s = new StringBuilder(text.Length + 8);
        foreach (var c in text.Replace("\r\n", "\n"))
        {
            switch (c)
            {
                case '\n': s.Append("\\N"); break;
                case '\r': break;
                case '\\': s.Append("\\\u2060"); break;
                case '{': s.Append("\\{"); break;
                case '}': s.Append("\\}"); break;
                default: s.Append(c); break;
            }
        }
        return s.ToString();
    }

    private static string Time(double seconds)
    {
        var cs = (long)Math.Round(Math.Max(0, seconds) * 100);
        return Invariant($"{cs / 360000}:{cs / 6000 % 60:00}:{cs / 100 % 60:00}.{cs % 100:00}");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
