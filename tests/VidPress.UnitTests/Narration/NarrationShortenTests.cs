using Microsoft.Extensions.Options;
using VidPress.Core;
using VidPress.Core.Narration;
using VidPress.Core.Script;

namespace VidPress.UnitTests.Narration;

/// <summary>The spoken narration is held to the script's target (within its tolerance) by dropping the sentences past it.</summary>
public sealed class NarrationShortenTests
{
    private static Narrator Narrator() => new(null!, null!, Options.Create(new NarrationOptions()), Options.Create(new NarrationPaceOptions()));

    private static NarrationDocument Spoken(params (double Start, double End)[] spans) =>
        new("n.wav", "en-us", spans[^1].End + new NarrationPaceOptions().TailSeconds, spans.Select((s, i) => new NarratedSentence(i, s.Start, s.End)).ToList());

    private static ScriptDocument ScriptOf(int sentences) =>
        new(Languages.English, Enumerable.Range(0, sentences).Select(i => new ScriptSentence(i, $"Sentence {i}.")).ToList());

    [Fact]
    public void Narration_within_the_targets_tolerance_is_kept_as_spoken()
    {
        // A 10 s target allows 10 × 1.2 + 2 = 14 s.
        Assert.Null(Narrator().Shorten(ScriptOf(2), Spoken((0.3, 6), (6.35, 13.4)), 10));
    }

    [Fact]
    public void Narration_longer_than_the_target_allows_loses_the_sentences_that_end_past_it()
    {
        var shorter = Narrator().Shorten(ScriptOf(3), Spoken((0.3, 6), (6.35, 12), (12.35, 40)), 10);
        Assert.Equal(["Sentence 0.", "Sentence 1."], shorter!.Sentences.Select(s => s.Text));
    }

    [Fact]
    public void A_first_sentence_spoken_past_the_target_allows_is_a_clear_input_error()
    {
        var error = Assert.Throws<VideoInputException>(() => Narrator().Shorten(ScriptOf(2), Spoken((0.3, 50), (50.35, 52)), 10));
        Assert.Contains("targetDurationSeconds", error.Message);
    }
}
