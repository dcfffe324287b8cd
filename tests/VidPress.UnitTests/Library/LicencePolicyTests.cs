using Pgvector;
using VidPress.Core.Data;
using VidPress.Core.Library;

namespace VidPress.UnitTests.Library;

public class LicencePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Asset Asset(AssetStatus status = AssetStatus.Ready, DateTimeOffset? expires = null, string? licence = null) => new()
    {
        Id = Guid.NewGuid(), Title = "Harbour at dawn", FileName = "harbour.mp4", StorageKey = "k", Sha256 = "s",
        Status = status, ExpiresAt = expires, Licence = licence,
    };

    private static Keyframe KeyframeOf(Asset asset) =>
        new() { Embedding = new Vector(new float[] { 1 }), Shot = new Shot { Asset = asset } };

    public static TheoryData<AssetStatus, double?, bool> PickRules => new()
    {
        { AssetStatus.Ready, null, true },          // no expiry: always
        { AssetStatus.Ready, 60, true },            // expires in a minute: still
        { AssetStatus.Ready, 0, false },            // the expiry instant itself: no longer
        { AssetStatus.Ready, -60, false },          // expired a minute ago
        { AssetStatus.Ingesting, null, false },     // not searchable yet
        { AssetStatus.Failed, null, false },
    };

    [Theory]
    [MemberData(nameof(PickRules))]
    public void An_asset_may_be_picked_while_ready_and_licensed_and_the_keyframe_form_says_the_same(AssetStatus status, double? expiresInSeconds, bool pickable)
    {
        var asset = Asset(status, expiresInSeconds is { } s ? Now.AddSeconds(s) : null);

        Assert.Equal(pickable, LicencePolicy.Pickable(Now).Compile()(asset));
        Assert.Equal(pickable, LicencePolicy.PickableKeyframe(Now).Compile()(KeyframeOf(asset)));
    }

    [Fact]
    public void A_licence_filter_passes_only_assets_under_the_named_licences()
    {
        var filter = LicencePolicy.UnderLicences(["own", "cc-by-4.0"]).Compile();
        var keyframeFilter = LicencePolicy.KeyframeUnderLicences(["own", "cc-by-4.0"]).Compile();
        foreach (var (licence, passes) in new[] { ("own", true), ("cc-by-4.0", true), ("agency", false), (null, false) })
        {
            Assert.Equal(passes, filter(Asset(licence: licence)));
            Assert.Equal(passes, keyframeFilter(KeyframeOf(Asset(licence: licence))));
        }
    }

    [Fact]
    public void A_deleted_asset_is_refused_at_render_with_where_it_was_used()
    {
        var id = Guid.NewGuid();
        var refusal = LicencePolicy.RenderRefusal(12.25, id, asset: null, Now);

        Assert.NotNull(refusal);
        Assert.Contains("deleted", refusal);
        Assert.Contains(id.ToString(), refusal);
        Assert.Contains("12.3 s", refusal);
    }

    [Fact]
    public void An_asset_whose_licence_ran_out_after_the_pick_is_refused_at_render_from_its_expiry_instant()
    {
        var expired = Asset(expires: Now);
        var refusal = LicencePolicy.RenderRefusal(3, expired.Id, expired, Now);

        Assert.NotNull(refusal);
        Assert.Contains("expired on 2026-03-01 12:00 UTC", refusal);
        Assert.Contains("Harbour at dawn", refusal);
        Assert.Null(LicencePolicy.RenderRefusal(3, expired.Id, expired, Now.AddTicks(-1)));
        Assert.Null(LicencePolicy.RenderRefusal(3, Guid.NewGuid(), Asset(), Now));
    }

    [Fact]
    public void Expiry_counts_from_the_instant_itself()
    {
        Assert.False(LicencePolicy.HasExpired(null, Now));
        Assert.False(LicencePolicy.HasExpired(Now.AddSeconds(1), Now));
        Assert.True(LicencePolicy.HasExpired(Now, Now));
    }
}
