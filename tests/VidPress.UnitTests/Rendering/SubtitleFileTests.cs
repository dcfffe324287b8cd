using VidPress.Core.Rendering;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Rendering;

public class SubtitleFileTests
{
    private static TimelineDocument Timeline(params SubtitleCue[] cues) => new()
    {
        AspectRatio = "16:9", Resolution = "720p", Width = 1280, Height = 720, Language = "en", NarrationKey = "n.wav",
        DurationSeconds = 10, Clips = [], Subtitles = cues,
    };

    [Theory]
    [InlineData("{\\b1}bold", "\\{\\\u2060b1\\}bold")]
    [InlineData("C:\\new", "C:\\\u2060new")]
    [InlineData("line one\nline two", "line one\\Nline two")]
    [InlineData("100% : , ' ;[x]", "100% : , ' ;[x]")]
    public void Caller_text_cannot_open_override_blocks_or_escapes(string text, string expected)
    {
        Assert.Equal(expected, SubtitleFile.Escape(text));
    }

    [Fact]
    public void Each_cue_becomes_one_dialogue_line_with_centisecond_times()
    {
        var ass = SubtitleFile.Write(Timeline(new SubtitleCue(0.3, 2.456, "First cue"), new SubtitleCue(61.5, 3725.01, "Second\ncue")));
        var dialogues = ass.Split('\n').Where(l => l.StartsWith("Dialogue:")).ToList();
        Assert.Equal(2, dialogues.Count);
        Assert.Equal("Dialogue: 0,0:00:00.30,0:00:02.46,Subtitle,,0,0,0,,First cue", dialogues[0].TrimEnd('\r'));
        Assert.Equal("Dialogue: 0,0:01:01.50,1:02:05.01,Subtitle,,0,0,0,,Second\\Ncue", dialogues[1].TrimEnd('\r'));
        Assert.Contains("PlayResX: 1280", ass);
        Assert.Contains(SubtitleFile.Font, ass);
    }

    [Fact]
    public void A_cue_cannot_add_lines_to_the_file()
    {
        var ass = SubtitleFile.Write(Timeline(new SubtitleCue(0, 1, "x\r\nDialogue: 0,0:00:00.00,0:00:09.00,Subtitle,,0,0,0,,injected")));
        Assert.Single(ass.Split('\n'), l => l.StartsWith("Dialogue:"));
    }
}
