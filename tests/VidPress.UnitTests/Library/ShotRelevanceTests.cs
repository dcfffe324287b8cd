using VidPress.Core.Library;
using VidPress.Core.Script;

namespace VidPress.UnitTests.Library;

/// <summary>
/// The rule that weighs an asset's title and tags against CLIP similarity: an exact match of a sentence's anchor point
/// is never outranked by a shot that matches none, whatever the two similarities.
/// </summary>
public sealed class ShotRelevanceTests
{
    private static readonly AnchorPoint[] OrangeTriangleDowntown =
    [
        new("橙色", AnchorKind.Keyword, 0.6), new("三角形", AnchorKind.Keyword, 0.55), new("市中心", AnchorKind.Keyword, 0.3),
    ];

    public static TheoryData<string, string, string, string> Matches => new()
    {
        // title, tags (comma-separated), the anchors matched, the share of the anchor weight they carry
        { "橙色的三角形", "", "橙色,三角形", "0.793" },
        { "某段素材", "橙色,三角形", "橙色,三角形", "0.793" },
        { "橙色的圆形", "橙色,圆形", "橙色", "0.414" },
        { "三角洲的夜景", "", "", "0" },                    // 三角洲 holds 三角 but not 三角形: no match
        { "市中心", "", "市中心", "0.207" },
        { "archive picture", "shape,test", "", "0" },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void An_anchor_matches_when_the_title_or_a_tag_holds_all_of_its_terms(string title, string tags, string terms, string share)
    {
        var match = ShotRelevance.Match(OrangeTriangleDowntown, title, tags.Split(',', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(terms, string.Join(',', match.Terms));
        Assert.Equal(double.Parse(share, System.Globalization.CultureInfo.InvariantCulture), match.Share, 3);
    }

    [Fact]
    public void English_anchors_match_title_words_case_and_stop_words_aside()
    {
        AnchorPoint[] anchors = [new("Bank of England", AnchorKind.Organisation, 0.9), new("orange", AnchorKind.Keyword, 0.6), new("triangle", AnchorKind.Keyword, 0.6)];
        var match = ShotRelevance.Match(anchors, "The Bank of England at night", ["Orange"]);
        Assert.Equal(["Bank of England", "orange"], match.Terms);
        Assert.Equal(1.5 / 2.1, match.Share, 6);
        // The description is not searched by this rule, and an anchor of stop words only weighs nothing.
        Assert.Equal(TermMatch.None, ShotRelevance.Match([new("the", AnchorKind.Keyword, 1)], "the", []));
    }

    public static TheoryData<double, double, double, double> Outranks => new()
    {
        // matched share and similarity of a shot that names an anchor; similarity of an unrelated shot; CLIP's weight;
        // the case: the clip tagged 橙色,三角形 at 0.14, an unrelated clip at 0.79.
        { 0.8, 0.14, 0.79, 1 },
        { 0.01, 0, 1, 1 },       // the weakest match against a perfect likeness
        { 0.01, -0.5, 1, 1 },    // a negative similarity is no likeness, never a penalty below an unmatched shot
        { 0.2, 0.1, 0.99, 0.5 },
        { 0.2, 0, 0.99, 0 },     // CLIP switched off
    };

    [Theory]
    [MemberData(nameof(Outranks))]
    public void An_exact_match_is_never_outranked_by_a_shot_that_matches_nothing(double share, double similarity, double unrelated, double weight)
    {
        var matched = ShotRelevance.Score(similarity, new TermMatch(["x"], share), weight);
        var other = ShotRelevance.Score(unrelated, TermMatch.None, weight);
        Assert.True(matched > other, $"{matched} <= {other}");
        Assert.True(matched > 1 && other <= 1);
        Assert.True(ShotRelevance.Pinned > ShotRelevance.Score(1, new TermMatch(["x"], 1), 1));
    }

    [Fact]
    public void More_of_the_sentence_named_beats_less_and_the_likeness_only_breaks_a_tie()
    {
        var both = ShotRelevance.Score(0.1, new TermMatch(["橙色", "三角形"], 0.8), 1);
        var colourOnly = ShotRelevance.Score(0.9, new TermMatch(["橙色"], 0.42), 1);
        Assert.True(both > colourOnly);
        Assert.True(ShotRelevance.Score(0.6, new TermMatch(["橙色"], 0.42), 1) > ShotRelevance.Score(0.2, new TermMatch(["橙色"], 0.42), 1));
    }

    [Fact]
    public void Without_a_match_the_score_is_the_weighted_similarity_and_zero_weight_switches_it_off()
    {
        Assert.Equal(0.79, ShotRelevance.Score(0.79, TermMatch.None, 1), 6);
        Assert.Equal(0.395, ShotRelevance.Score(0.79, TermMatch.None, 0.5), 6);
        Assert.Equal(0, ShotRelevance.Score(0.79, TermMatch.None, 0), 6);
        Assert.Equal(1.8, ShotRelevance.Score(0.79, new TermMatch(["x"], 0.8), 0), 6);
    }
}
