using VidPress.Core.Library;

namespace VidPress.UnitTests.Library;

public sealed class RankFusionTests
{
    [Fact]
    public void Item_ranked_well_in_both_lists_beats_one_ranked_first_in_only_one()
    {
        var fused = RankFusion.Fuse<string>([["a", "b", "c"], ["b", "d"]]);
        Assert.Equal(["b", "a", "d", "c"], fused.Select(f => f.Item));
        Assert.Equal(1.0 / 62 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal([2, 1], fused[0].Ranks);
        Assert.Equal([1, null], fused[1].Ranks);
    }

    [Fact]
    public void Scores_follow_the_reciprocal_rank_formula_with_k()
    {
        var fused = RankFusion.Fuse<int>([[7, 8]], k: 0);
        Assert.Equal(1.0, fused[0].Score);
        Assert.Equal(0.5, fused[1].Score);
    }

    [Fact]
    public void Ties_keep_first_seen_order_and_duplicates_keep_their_better_rank()
    {
        var fused = RankFusion.Fuse<string>([["x", "y", "x"], ["y", "x"]]);
        Assert.Equal(["x", "y"], fused.Select(f => f.Item));
        Assert.Equal([1, 2], fused[0].Ranks);
    }

    [Fact]
    public void Empty_rankings_fuse_to_nothing() => Assert.Empty(RankFusion.Fuse<string>([[], []]));
}
