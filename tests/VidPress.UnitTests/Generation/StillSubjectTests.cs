using VidPress.Core.Generation;
using VidPress.Core.Jobs;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Generation;

public class StillSubjectTests
{
    [Theory]
    [InlineData("Then a green triangle appeared.", "triangle · appeared · green", "green triangle")]
    [InlineData("Firefighters reached the old mill at dawn.", "mill · Firefighters · dawn", "Firefighters mill dawn")]
    [InlineData("Nothing else happened.", null, "Nothing else happened.")]
    public void Subject_is_the_anchor_words_in_sentence_order(string sentence, string? anchors, string expected)
    {
        var clip = new TimelineClip { Text = sentence, CardText = anchors, Kind = ClipKind.TitleCard, Fallback = true };
        Assert.Equal(expected, StillGenerationJob.Subject(clip));
    }
}
