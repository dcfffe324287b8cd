using System.Diagnostics;
using VidPress.Core.Timeline;
using Xunit.Abstractions;

namespace VidPress.UnitTests.Timeline;

public class ShotAssignmentTests(ITestOutputHelper output)
{
    [Fact]
    public void Total_equals_brute_force_on_random_small_instances()
    {
        var random = new Random(20240605);
        for (var instance = 0; instance < 600; instance++)
        {
            var slots = RandomInstance(random, slotCount: random.Next(1, 7), shotPool: random.Next(1, 9), assetPool: random.Next(1, 4), maxOptions: 4);
            var cardScore = random.Next(3) * 0.1;
            var result = ShotAssignment.Solve(slots, cardScore);
            var best = BruteForce(slots, cardScore);
            Assert.True(result.Optimal);
            Assert.Equal(best, result.Total, 9);
            AssertValid(slots, result.Choices);
            Assert.Equal(result.Total, TotalOf(slots, result.Choices, cardScore), 9);
        }
    }

    [Fact]
    public void Adjacent_slots_never_share_an_asset_and_no_shot_repeats()
    {
        // Every slot wants the same two shots of one asset most: the relaxation alone would put them side by side.
        var slots = Enumerable.Range(0, 5).Select(_ => (IReadOnlyList<SlotOption>)
            [new SlotOption(0, 7, 1.0), new SlotOption(1, 7, 0.95), new SlotOption(2, 8, 0.3), new SlotOption(3, 9, 0.2)]).ToList();
        var result = ShotAssignment.Solve(slots, 0);
        AssertValid(slots, result.Choices);
        Assert.Equal(BruteForce(slots, 0), result.Total, 9);
    }

    [Fact]
    public void A_title_card_separates_shots_of_the_same_asset()
    {
        IReadOnlyList<SlotOption>[] slots = [[new SlotOption(0, 1, 1)], [], [new SlotOption(1, 1, 1)]];
        var result = ShotAssignment.Solve(slots, 0);
        Assert.Equal([0, -1, 0], result.Choices);
        Assert.Equal(2, result.Total, 9);
    }

    [Fact]
    public void Sixty_sentences_by_twenty_candidates_is_solved_exactly()
    {
        // A newsroom-shaped library: candidates come in runs of shots from one asset, and neighbouring
        // sentences (and the parts of a long one) share candidates, so clashes are common.
        var random = new Random(7);
        var slots = new List<IReadOnlyList<SlotOption>>();
        for (var s = 0; s < 60; s++)
        {
            var topic = s / 3;
            var options = new List<SlotOption>();
            for (var c = 0; c < 20; c++)
            {
                var shot = (topic * 40 + random.Next(60)) % 1200;
                options.Add(new SlotOption(shot, shot / 5, Math.Round(0.15 + 0.25 * random.NextDouble() + (c < 3 ? 0.1 : 0), 6)));
            }
            slots.Add(options);
        }
        var watch = Stopwatch.StartNew();
        var result = ShotAssignment.Solve(slots, 0);
        watch.Stop();
        output.WriteLine($"60x20: {watch.Elapsed.TotalMilliseconds:0.0} ms, {result.NodesExplored} nodes, total {result.Total:0.000}, optimal {result.Optimal}");
        Assert.True(result.Optimal);
        AssertValid(slots, result.Choices);
    }

    internal static List<IReadOnlyList<SlotOption>> RandomInstance(Random random, int slotCount, int shotPool, int assetPool, int maxOptions)
    {
        var assetOf = Enumerable.Range(0, shotPool).Select(_ => random.Next(assetPool)).ToArray();
        return Enumerable.Range(0, slotCount).Select(_ => (IReadOnlyList<SlotOption>)Enumerable.Range(0, random.Next(0, maxOptions + 1))
            .Select(_ => { var shot = random.Next(shotPool); return new SlotOption(shot, assetOf[shot], Math.Round(random.NextDouble() * 1.2 - 0.2, 4)); })
            .ToList()).ToList();
    }

    private static double BruteForce(IReadOnlyList<IReadOnlyList<SlotOption>> slots, double cardScore)
    {
        var best = double.NegativeInfinity;
        var choice = new int[slots.Count];
        void Walk(int slot, double total)
        {
            if (slot == slots.Count) { best = Math.Max(best, total); return; }
            for (var k = -1; k < slots[slot].Count; k++)
            {
                choice[slot] = k;
                if (k >= 0)
                {
                    var option = slots[slot][k];
                    if (slot > 0 && choice[slot - 1] >= 0 && slots[slot - 1][choice[slot - 1]].Asset == option.Asset) continue;
                    var reused = false;
                    for (var s = 0; s < slot; s++) reused |= choice[s] >= 0 && slots[s][choice[s]].Shot == option.Shot;
                    if (reused) continue;
                }
                Walk(slot + 1, total + (k < 0 ? cardScore : slots[slot][k].Score));
            }
        }
        Walk(0, 0);
        return best;
    }

    private static double TotalOf(IReadOnlyList<IReadOnlyList<SlotOption>> slots, IReadOnlyList<int> choices, double cardScore) =>
        choices.Select((k, s) => k < 0 ? cardScore : slots[s][k].Score).Sum();

    internal static void AssertValid(IReadOnlyList<IReadOnlyList<SlotOption>> slots, IReadOnlyList<int> choices)
    {
        Assert.Equal(slots.Count, choices.Count);
        var picked = choices.Select((k, s) => k < 0 ? (SlotOption?)null : slots[s][k]).ToList();
        var shots = picked.Where(p => p is not null).Select(p => p!.Value.Shot).ToList();
        Assert.Equal(shots.Count, shots.Distinct().Count());
        for (var s = 1; s < picked.Count; s++)
            if (picked[s] is { } a && picked[s - 1] is { } b) Assert.NotEqual(a.Asset, b.Asset);
    }
}
