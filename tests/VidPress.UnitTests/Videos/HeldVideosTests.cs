using VidPress.Core.Data;
using VidPress.Core.Videos;

namespace VidPress.UnitTests.Videos;

/// <summary>
/// The fairness rule as a table. A held video is written as its tenant's letter, the minute it was created and a "b" if
/// it is breaking news ("A3b": tenant A's breaking video of minute 3); in-flight counts as "A=2".
/// </summary>
public sealed class HeldVideosTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static Guid TenantOf(char letter) => new(letter, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]);

    private static HeldVideo Parse(string label) => new(
        Guid.NewGuid(), TenantOf(label[0]), label.EndsWith('b') ? VideoPriority.Breaking : VideoPriority.Normal,
        Start.AddMinutes(int.Parse(label[1..].TrimEnd('b'), System.Globalization.CultureInfo.InvariantCulture)));

    public static TheoryData<string, string, int, string> Table() => new()
    {
        // held                  in flight  share  handed over, in order
        { "A0 A1 A2b",           "",        1,     "A2b" },             // breaking first within a tenant
        { "A2 A0 A1",            "",        2,     "A0 A1" },           // then the oldest
        { "A0 A1 A2",            "A=2",     2,     "" },                // the share is full: all stay held
        { "A0 A1 A2",            "A=1",     2,     "A0" },              // room for one
        { "A0",                  "A=3",     2,     "" },                // over the share (it was lowered): none
        { "A0 A1 A2 A3 B4 B5",   "",        2,     "A0 B4 A1 B5" },     // round by round between tenants
        { "A0 B5",               "A=1",     3,     "B5 A0" },           // fewer with the workers goes first
        { "A0 B5b",              "",        1,     "B5b A0" },          // breaking first within a round
        { "A0 A1 B2 C3",         "B=1",     1,     "A0 C3" },           // each tenant's own share
        { "",                    "A=1",     2,     "" },
    };

    [Theory, MemberData(nameof(Table))]
    public void Hands_over_breaking_first_then_the_oldest_round_by_round_within_each_tenants_share(string held, string inFlight, int share, string expected)
    {
        var labelled = held.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(l => (Label: l, Video: Parse(l))).ToList();
        var counts = inFlight.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(c => TenantOf(c[0]), c => int.Parse(c[2..], System.Globalization.CultureInfo.InvariantCulture));

        var chosen = HeldVideos.ToDispatch(labelled.Select(l => l.Video), counts, share);

        Assert.Equal(expected, string.Join(' ', chosen.Select(c => labelled.Single(l => l.Video == c).Label)));
    }

    [Fact]
    public void A_tenant_with_five_hundred_held_gets_its_share_and_another_tenants_one_video_goes_in_the_first_round()
    {
        var backlog = Enumerable.Range(0, 500).Select(i => Parse($"A{i}")).ToList();
        var other = Parse("B600");

        var chosen = HeldVideos.ToDispatch([.. backlog, other], new Dictionary<Guid, int>(), share: 2);

        Assert.Equal([backlog[0], other, backlog[1]], chosen);
    }

    [Fact]
    public void A_share_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HeldVideos.ToDispatch([], new Dictionary<Guid, int>(), share: 0));
}
