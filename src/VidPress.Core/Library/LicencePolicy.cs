using System.Linq.Expressions;
using VidPress.Core.Data;

namespace VidPress.Core.Library;

/// <summary>
/// What of the library may be shown in a video. An asset may be picked (by the search, or pinned by an editor) while it is
/// ready and its licence has not run out; at the expiry instant it no longer may. A shot already in a timeline is checked
/// again when the video renders, which may come much later (a retry, an edited timeline): footage whose licence has run
/// out, or that was deleted, is never published and never quietly replaced; the editor swaps it and the video renders again.
/// </summary>
public static class LicencePolicy
{
    /// <summary>Whether an asset may be picked for a video at <paramref name="now"/>, as a query condition.</summary>
    public static Expression<Func<Asset, bool>> Pickable(DateTimeOffset now) =>
        a => a.Status == AssetStatus.Ready && (a.ExpiresAt == null || a.ExpiresAt > now);

    /// <summary>
    /// <see cref="Pickable"/> stated through a keyframe's shot and asset: the search needs the conditions as join
    /// conditions of the keyframe query (see <see cref="ShotSearch"/>).
    /// </summary>
    public static Expression<Func<Keyframe, bool>> PickableKeyframe(DateTimeOffset now) =>
        k => k.Shot!.Asset!.Status == AssetStatus.Ready && (k.Shot.Asset.ExpiresAt == null || k.Shot.Asset.ExpiresAt > now);

    /// <summary>Only assets under one of <paramref name="licences"/> (a search's licence filter); an asset with no licence never passes.</summary>
    public static Expression<Func<Asset, bool>> UnderLicences(IReadOnlyList<string> licences) =>
        a => a.Licence != null && licences.Contains(a.Licence);

    /// <inheritdoc cref="UnderLicences"/>
    public static Expression<Func<Keyframe, bool>> KeyframeUnderLicences(IReadOnlyList<string> licences) =>
        k => k.Shot!.Asset!.Licence != null && licences.Contains(k.Shot.Asset.Licence);

    /// <summary>Whether the asset's licence has run out at <paramref name="now"/> (the expiry instant included).</summary>
    public static bool HasExpired(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } expiry && expiry <= now;

    /// <summary>
    /// Why the clip at <paramref name="clipStart"/> seconds, from asset <paramref name="assetId"/>, may not be rendered:
    /// the asset is gone (<paramref name="asset"/> null: deleted, or not the tenant's) or its licence has run out; null
    /// when it may. The reason tells the editor what to do, and is shown as the video's error.
    /// </summary>
    public static string? RenderRefusal(double clipStart, Guid assetId, Asset? asset, DateTimeOffset now)
    {
        if (asset is null)
            return FormattableString.Invariant(
                $"The shot at {clipStart:0.0} s comes from asset {assetId}, which has been deleted from the library; replace it in the timeline.");
        if (HasExpired(asset.ExpiresAt, now))
            return FormattableString.Invariant(
                $"The licence of \"{asset.Title}\" ({assetId}), used at {clipStart:0.0} s, expired on {asset.ExpiresAt:yyyy-MM-dd HH:mm} UTC; replace it in the timeline.");
        return null;
    }
}
