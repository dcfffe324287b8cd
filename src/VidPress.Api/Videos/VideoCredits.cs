using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;

namespace VidPress.Api.Videos;

/// <summary>A library shot on screen in a video, with the credit its asset asks for.</summary>
public sealed record ShotCredit(Guid ShotId, Guid AssetId, string? Title, string? Credit, string? Licence, double Start, double End);

public sealed record VideoCreditsResponse(Guid VideoId, IReadOnlyList<ShotCredit> Shots, IReadOnlyList<string> CreditLines);

public static class VideoCredits
{
    /// <summary>
    /// Credits come from the candidates retrieval recorded (copied from the asset when the shot was picked), so
    /// they stay right if the asset is later edited or deleted; older videos fall back to the asset row.
    /// </summary>
    public static async Task<Results<Ok<VideoCreditsResponse>, ProblemHttpResult>> GetAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id && v.TenantId == tenant.TenantId, ct);
        if (video is null) return Problems.NotFound("video", id);
        if (video.Timeline is null) return Problems.NotReady("The timeline is not built yet.");

        var recorded = (video.Candidates?.Sentences ?? []).SelectMany(s => s.Shots).GroupBy(s => s.ShotId).ToDictionary(g => g.Key, g => g.First());
        var clips = video.Timeline.Clips.Where(c => c.ShotId is not null && c.AssetId is not null).ToList();
        var assetIds = clips.Select(c => c.AssetId!.Value).Distinct().ToList();
        var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenant.TenantId && assetIds.Contains(a.Id))
            .Select(a => new { a.Id, a.CreditLine, a.Licence }).ToDictionaryAsync(a => a.Id, ct);

        var shots = clips.Select(c =>
        {
            recorded.TryGetValue(c.ShotId!.Value, out var candidate);
            assets.TryGetValue(c.AssetId!.Value, out var asset);
            return new ShotCredit(c.ShotId.Value, c.AssetId.Value, c.AssetTitle, candidate?.Credit ?? asset?.CreditLine, candidate?.Licence ?? asset?.Licence, c.Start, c.End);
        }).ToList();
        var lines = shots.Where(s => !string.IsNullOrWhiteSpace(s.Credit)).Select(s => s.Credit!).Distinct().ToList();
        return TypedResults.Ok(new VideoCreditsResponse(id, shots, lines));
    }
}
