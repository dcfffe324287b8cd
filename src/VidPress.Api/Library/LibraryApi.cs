using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Npgsql;
using VidPress.Api.Infrastructure;
using VidPress.Api.Security;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Jobs;
using VidPress.Core.Library;
using VidPress.Core.Media;

namespace VidPress.Api.Library;

public sealed record AssetResponse(
    Guid Id, AssetKind Kind, AssetStatus Status, string Title, string? Description, IReadOnlyList<string> Tags,
    string FileName, long SizeBytes, int Width, int Height, double DurationSeconds, string Sha256, int Shots,
    string? Licence, string? CreditLine, DateTimeOffset? ExpiresAt, string? Error, DateTimeOffset CreatedAt, string? ThumbnailUrl = null)
{
    public static AssetResponse From(Asset a, int shots, Guid? thumbnailShotId = null) => new(a.Id, a.Kind, a.Status, a.Title, a.Description, a.Tags, a.FileName,
        a.SizeBytes, a.Width, a.Height, a.DurationSeconds, a.Sha256, shots, a.Licence, a.CreditLine, a.ExpiresAt, a.Error, a.CreatedAt,
        thumbnailShotId is { } shot ? PublicUrls.ShotThumbnail(shot) : null);

    internal static AssetResponse From(AssetRow row) => From(row.Asset, row.Shots, row.ThumbnailShotId);
}

/// <summary>An asset as the library endpoints read it: with its shot count and the shot whose thumbnail stands for it.</summary>
internal sealed record AssetRow(Asset Asset, int Shots, Guid? ThumbnailShotId)
{
    /// <summary>The first shot that has a thumbnail represents the asset in lists.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Asset, AssetRow>> Select = a => new AssetRow(a, a.Shots.Count,
        a.Shots.Where(s => s.ThumbnailKey != null).OrderBy(s => s.StartSeconds).Select(s => (Guid?)s.Id).FirstOrDefault());
}

/// <summary>
/// One search result. <see cref="MatchedPhrase"/> is the part of the query whose CLIP embedding matched the shot
/// (null when only text matched); <see cref="MatchedTerms"/> the query terms found in the asset's title,
/// description or tags. <see cref="Score"/> is the fused RRF score, <see cref="Similarity"/> the cosine similarity.
/// </summary>
public sealed record SearchHit(
    Guid ShotId, Guid AssetId, string Title, AssetKind Kind, double Score, double? Similarity, int? VectorRank, int? TextRank,
    string? MatchedPhrase, IReadOnlyList<string> MatchedTerms, double ShotStart, double ShotEnd, double BestTime,
    string? Licence, string? Credit, string? ThumbnailUrl);

public static class LibraryApi
{
    // The bounds of an upload's fields (README, "Limits"); the file name is held to ClientInput.MaxFileNameCharacters.
    public const int MaxTitle = 500, MaxDescription = 5000, MaxTags = 50, MaxTagLength = 100, MaxLicence = 100, MaxCredit = 300, MaxLicenceFilters = 20;

    public static IEndpointRouteBuilder MapLibraryApi(this IEndpointRouteBuilder app)
    {
        var library = app.MapGroup("/library").WithTags("Library").WithApiProblems();
        library.MapPost("/assets", UploadAsync).DisableAntiforgery().WithMetadata(new OwnsBodyLimit()).WithName("UploadAsset")
            .WithSummary("Add a video or image (multipart: file, title, description, tags, licence, credit, expiresAt)")
            .AcceptsUpload<AssetUploadForm>().AcceptsIdempotencyKey();
        library.MapGet("/assets", ListAsync).WithName("ListAssets").WithSummary("The tenant's assets, newest first (limit 1–500, default 100)");
        library.MapGet("/assets/{id:guid}", GetAsync).WithName("GetAsset").WithSummary("One asset: status (ingesting, ready, failed and why), shots, licence")
            .ProducesProblem(StatusCodes.Status404NotFound);
        library.MapDelete("/assets/{id:guid}", DeleteAsync).WithName("DeleteAsset").WithSummary("Remove an asset, its shots and its files")
            .ProducesProblem(StatusCodes.Status404NotFound);
        library.MapFileGet("/shots/{id:guid}/thumbnail", GetThumbnailAsync, [FileEndpoints.Jpeg]).WithName("GetShotThumbnail").WithSummary("A shot's thumbnail (JPEG)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        library.MapGet("/search", SearchAsync).WithName("SearchLibrary")
            .WithSummary("Shots matching a text, by CLIP similarity and full-text match fused by rank");
        return app;
    }

    private static async Task<Results<Accepted<AssetResponse>, Ok<AssetResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, VidPressDbContext db, IMediaStorage storage, MediaProbe probe, IBackgroundJobClient jobs, IngestQueue ingest,
        TenantContext tenant, TimeProvider clock, IOptions<LibraryUploadOptions> options, ILogger<AssetUpload> logger, CancellationToken ct)
    {
        var maxBytes = options.Value.MaxUploadBytes;
        if (!Idempotency.TryReadKey(request, out var idempotencyKey, out var badKey)) return badKey;
        // A declared length beyond the limit is refused before a byte of it is read.
        if (request.ContentLength > maxBytes + AssetUpload.MaxFormOverheadBytes) return Problems.TooLarge($"Files up to {maxBytes} bytes are accepted.");
        // A declared length is checked against the tenant's ingest backlog before a byte is read; an undeclared one once read.
        if (request.ContentLength is { } declared && await IngestFullAsync(request, ingest, tenant, declared, ct) is { } fullBefore) return fullBefore;
        // The scratch folder, and with it a rejected file, is gone whatever way this method leaves.
        using var scratch = storage.CreateScratch("upload");
        var upload = await AssetUpload.ReadAsync(request, maxBytes, name => scratch.File("upload" + StorageKeys.SafeExtension(name, ".media")), ct);
        if (upload.TooLarge) return Problems.TooLarge($"Files up to {maxBytes} bytes are accepted.");
        if (request.ContentLength is null && await IngestFullAsync(request, ingest, tenant, upload.Length, ct) is { } fullAfter) return fullAfter;
        if (upload.Error is not null) return Problems.BadRequest(upload.Error);
        if (upload.LocalPath is null || upload.Sha256 is null)
            return Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["A 'file' part is required."] });

        // Every field and the file name, whether used or not, before anything is stored.
        var problems = ClientInput.FormProblems(upload.Fields.Select(f => KeyValuePair.Create(f.Key, new StringValues(f.Value.ToArray()))), upload.FileName);
        var title = upload.Field("title");
        if (title.Length == 0) title = Path.GetFileNameWithoutExtension(upload.FileName!);
        if (title.Length > MaxTitle) problems.TryAdd("title", [$"At most {MaxTitle} characters."]);
        var description = upload.Field("description");
        if (description.Length > MaxDescription) problems.TryAdd("description", [$"At most {MaxDescription} characters."]);
        var tags = (upload.Fields.GetValueOrDefault("tags") ?? [])
            .SelectMany(t => t.Split([',', '，', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tags.Count > MaxTags || tags.Any(t => t.Length > MaxTagLength)) problems.TryAdd("tags", [$"At most {MaxTags} tags of {MaxTagLength} characters."]);
        var licence = upload.Field("licence");
        if (licence.Length > MaxLicence) problems.TryAdd("licence", [$"At most {MaxLicence} characters."]);
        var credit = upload.Field("credit");
        if (credit.Length > MaxCredit) problems.TryAdd("credit", [$"At most {MaxCredit} characters."]);
        DateTimeOffset? expiresAt = null;
        if (upload.Field("expiresAt") is { Length: > 0 } expiry)
        {
            if (DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) expiresAt = parsed.ToUniversalTime();
            else problems.TryAdd("expiresAt", ["An ISO 8601 date or date-time, e.g. 2027-01-31 or 2027-01-31T12:00:00Z."]);
        }
        if (problems.Count > 0) return Problems.Validation(problems);

        // The file by its hash and every form field, sorted: the canonical form of this upload.
        var requestHash = Idempotency.Hash(new[] { upload.Sha256, upload.FileName }
            .Concat(upload.Fields.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase).SelectMany(f => f.Value.Prepend(f.Key.ToLowerInvariant()))));
        if (idempotencyKey is not null && await ReplayAsync(db, tenant.TenantId, idempotencyKey, requestHash, ct) is { } replay) return replay;

        // Same bytes, same asset: answered before probing, since the first upload of them was probed already.
        if (await FindBySha256Async(db, tenant.TenantId, upload.Sha256, ct) is { } existing)
        {
            // Uploading a file whose ingest failed again is how a newsroom says "try again": the ingest reruns.
            if (existing.Status == AssetStatus.Failed && await RetryIngestAsync(db, jobs, existing.Id, ct))
                return TypedResults.Accepted(PublicUrls.Asset(existing.Id), existing with { Status = AssetStatus.Ingesting, Error = null });
            return TypedResults.Ok(existing);
        }

        MediaInfo info;
        try { info = await probe.ProbeAsync(upload.LocalPath, ct); }
        catch (MediaRejectedException e) { return Problems.Unprocessable("The file is not usable media.", e.Message); }

        var id = Guid.NewGuid();
        var asset = new Asset
        {
            Id = id, TenantId = tenant.TenantId, IdempotencyKey = idempotencyKey, RequestHash = idempotencyKey is null ? null : requestHash, Kind = info.IsStill ? AssetKind.Image : AssetKind.Video, Status = AssetStatus.Ingesting,
            Title = title, Description = description.Length == 0 ? null : description, Tags = tags, FileName = Path.GetFileName(upload.FileName!),
            StorageKey = StorageKeys.AssetOriginal(tenant.TenantId, id, Path.GetExtension(upload.LocalPath)), Sha256 = upload.Sha256, SizeBytes = upload.Length,
            Width = info.Width, Height = info.Height, Orientation = info.Orientation, DurationSeconds = info.DurationSeconds, FrameRate = info.FrameRate, CreatedAt = clock.GetUtcNow(),
            SearchTerms = TextTerms.ForAsset(title, description, tags), SearchTermsVersion = TextTerms.Version,
            Licence = licence.Length == 0 ? null : licence, CreditLine = credit.Length == 0 ? null : credit, ExpiresAt = expiresAt,
        };
        try
        {
            await storage.ImportFileAsync(asset.StorageKey, upload.LocalPath, ct);
            db.Assets.Add(asset);
            await db.SaveChangesAsync(ct);
            jobs.Enqueue<AssetIngestJob>(j => j.RunAsync(id, CancellationToken.None));
        }
        catch (Exception e)
        {
            // Leave nothing behind: neither the file nor a row without its ingest job.
            await storage.DeletePrefixAsync(StorageKeys.AssetFolder(tenant.TenantId, id), CancellationToken.None);
            if (db.Entry(asset).State == EntityState.Unchanged)
            {
                db.Assets.Remove(asset);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            if (idempotencyKey is not null && e is DbUpdateException conflict && Idempotency.IsKeyConflict(conflict, "assets"))
            {
                db.ChangeTracker.Clear();
                if (await ReplayAsync(db, tenant.TenantId, idempotencyKey, requestHash, CancellationToken.None) is { } winner) return winner;
            }
            // A concurrent upload of the same bytes won the unique (tenant, sha256) index: theirs is the asset.
            if (e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
            {
                db.ChangeTracker.Clear();
                if (await FindBySha256Async(db, tenant.TenantId, upload.Sha256, CancellationToken.None) is { } winner) return TypedResults.Ok(winner);
            }
            logger.LogError(e, "Upload of {FileName} failed", upload.FileName);
            throw;
        }
        return TypedResults.Accepted(PublicUrls.Asset(id), AssetResponse.From(asset, 0));
    }

    /// <summary>
    /// The answer to a repeated Idempotency-Key: the asset the first request made, or 422 for a different upload.
    /// A key whose first upload was answered from the SHA-256 de-duplication is not recorded (the asset has its
    /// own key or none); repeating it is answered the same way again.
    /// </summary>
    private static async Task<Results<Accepted<AssetResponse>, Ok<AssetResponse>, ProblemHttpResult>?> ReplayAsync(
        VidPressDbContext db, Guid tenantId, string key, string requestHash, CancellationToken ct)
    {
        var earlier = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenantId && a.IdempotencyKey == key)
            .Select(AssetRow.Select).SingleOrDefaultAsync(ct);
        if (earlier is null) return null;
        if (earlier.Asset.RequestHash != requestHash) return Idempotency.Mismatch();
        return TypedResults.Accepted(PublicUrls.Asset(earlier.Asset.Id), AssetResponse.From(earlier));
    }

    /// <summary>Queues a failed asset's ingest again; false when it is no longer failed (another upload did it first).</summary>
    /// <summary>429 when an upload of <paramref name="bytes"/> does not fit beside the tenant's uploads waiting for ingest.</summary>
    private static async Task<ProblemHttpResult?> IngestFullAsync(HttpRequest request, IngestQueue ingest, TenantContext tenant, long bytes, CancellationToken ct) =>
        await ingest.AdmitAsync(tenant.TenantId, bytes, ct) is { } full
            ? Problems.QueueFull(request.HttpContext.Response, "Too many bytes waiting for ingest.",
                $"This tenant has {full.InQueue} bytes of uploads waiting for or in ingest; with this one it would pass its limit ({full.Limit} bytes).", full.RetryAfter)
            : null;

    private static Task<bool> RetryIngestAsync(VidPressDbContext db, IBackgroundJobClient jobs, Guid id, CancellationToken ct) =>
        // With its enqueueing: without a job the asset would show "ingesting" for good.
        db.Database.InTransactionAsync(async () =>
        {
            var reset = await db.Assets.Where(a => a.Id == id && a.Status == AssetStatus.Failed)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AssetStatus.Ingesting).SetProperty(a => a.Error, (string?)null), ct);
            if (reset == 0) return false;
            jobs.Enqueue<AssetIngestJob>(j => j.RunAsync(id, CancellationToken.None));
            return true;
        }, ct);

    private static async Task<AssetResponse?> FindBySha256Async(VidPressDbContext db, Guid tenantId, string sha256, CancellationToken ct)
    {
        var found = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenantId && a.Sha256 == sha256)
            .Select(AssetRow.Select).SingleOrDefaultAsync(ct);
        return found is null ? null : AssetResponse.From(found);
    }


    private static async Task<Ok<AssetResponse[]>> ListAsync(VidPressDbContext db, TenantContext tenant, int? limit, CancellationToken ct)
    {
        var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenant.TenantId)
            .OrderByDescending(a => a.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 500))
            .Select(AssetRow.Select).ToListAsync(ct);
        return TypedResults.Ok(assets.Select(AssetResponse.From).ToArray());
    }

    private static async Task<Results<Ok<AssetResponse>, ProblemHttpResult>> GetAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var found = await db.Assets.AsNoTracking().Where(a => a.Id == id && a.TenantId == tenant.TenantId)
            .Select(AssetRow.Select).SingleOrDefaultAsync(ct);
        return found is null ? Problems.NotFound("asset", id) : TypedResults.Ok(AssetResponse.From(found));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, VidPressDbContext db, IMediaStorage storage, TenantContext tenant, CancellationToken ct)
    {
        // Rows first: once they are gone no search can return the asset, so its files can go without a window
        // in which a video picks a shot whose file is missing. Shots and keyframes go by cascade.
        var deleted = await db.Assets.Where(a => a.Id == id && a.TenantId == tenant.TenantId).ExecuteDeleteAsync(ct);
        if (deleted == 0) return Problems.NotFound("asset", id);
        await storage.DeletePrefixAsync(StorageKeys.AssetFolder(tenant.TenantId, id), CancellationToken.None);
        return TypedResults.NoContent();
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetThumbnailAsync(
        Guid id, VidPressDbContext db, IMediaStorage storage, TenantContext tenant, CancellationToken ct)
    {
        var key = await db.Shots.AsNoTracking().Where(s => s.Id == id && s.TenantId == tenant.TenantId).Select(s => new { s.ThumbnailKey }).SingleOrDefaultAsync(ct);
        if (key is null) return Problems.NotFound("shot", id);
        if (key.ThumbnailKey is null || !await storage.ExistsAsync(key.ThumbnailKey, ct)) return Problems.NotReady("The shot has no thumbnail yet.");
        return TypedResults.PhysicalFile(await storage.GetLocalPathAsync(key.ThumbnailKey, ct), FileEndpoints.Jpeg, enableRangeProcessing: true);
    }

    private static async Task<Results<Ok<SearchHit[]>, ProblemHttpResult>> SearchAsync(
        string? q, int? limit, string[]? licence, ShotSearch search, TenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 1000) return Problems.Validation(new Dictionary<string, string[]> { ["q"] = ["A query of 1 to 1000 characters is required."] });
        var licences = licence?.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Distinct().ToList();
        if (licences is { Count: > MaxLicenceFilters } || licences?.Any(l => l.Length > MaxLicence) == true)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["licence"] = [$"At most {MaxLicenceFilters} licences of {MaxLicence} characters."],
            });
        }
        var filter = new LibraryFilter(tenant.TenantId, clock.GetUtcNow(), licences is { Count: > 0 } ? licences : null);
        var hits = await search.HybridSearchAsync(filter, q, Math.Clamp(limit ?? 20, 1, 100), ct);
        return TypedResults.Ok(hits.Select(h => new SearchHit(h.Shot.ShotId, h.Shot.AssetId, h.Shot.Title, h.Shot.Kind, h.Score, h.Similarity,
            h.VectorRank, h.TextRank, h.VectorRank is null ? null : h.Shot.MatchedPhrase, h.MatchedTerms, h.Shot.ShotStart, h.Shot.ShotEnd,
            h.Shot.BestTime, h.Shot.Licence, h.Shot.Credit, h.ThumbnailKey is null ? null : PublicUrls.ShotThumbnail(h.Shot.ShotId))).ToArray());
    }
}
