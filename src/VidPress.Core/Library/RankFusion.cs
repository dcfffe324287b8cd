namespace VidPress.Core.Library;

/// <summary>One item's place in a fused ranking: its fused score and its 1-based rank in each input (null: absent).</summary>
public sealed record FusedRank<T>(T Item, double Score, IReadOnlyList<int?> Ranks);

/// <summary>
/// Reciprocal rank fusion (Cormack et al. 2009): score = Σ 1/(k + rank). It needs no calibration between
/// the inputs' scores, which matters here because cosine similarities and ts_rank values are not comparable.
/// </summary>
public static class RankFusion
{
    public const int DefaultK = 60;

    public static IReadOnlyList<FusedRank<T>> Fuse<T>(IReadOnlyList<IReadOnlyList<T>> rankings, int k = DefaultK) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var ranks = new Dictionary<T, int?[]>();
        var order = new List<T>();
        for (var list = 0; list < rankings.Count; list++)
        {
            var position = 0;
            foreach (var item in rankings[list])
            {
                position++;
                if (!ranks.TryGetValue(item, out var slots))
                {
                    ranks[item] = slots = new int?[rankings.Count];
                    order.Add(item);
                }
                // An item listed twice in one ranking keeps its better place.
                slots[list] ??= position;
            }
        }
        return order
            .Select((item, firstSeen) => (item, firstSeen, slots: ranks[item], score: ranks[item].Sum(r => r is { } p ? 1.0 / (k + p) : 0)))
            // Ties (same ranks in swapped lists) keep the order the items were first seen in, best list first.
            .OrderByDescending(x => x.score).ThenBy(x => x.firstSeen)
            .Select(x => new FusedRank<T>(x.item, x.score, x.slots))
            .ToList();
    }
}
