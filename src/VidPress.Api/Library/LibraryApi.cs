using System.Security.Cryptography;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Jobs;
using VidPress.Core.Library;
using VidPress.Core.Media;

namespace VidPress.Api.Library;

public sealed record AssetResponse(
    Guid Id, AssetKind Kind, AssetStatus Status, string Title, string? Description, IReadOnlyList<string> Tags,
    string FileName, long SizeBytes, int Width, int Height, double DurationSeconds, string Sha256, int Shots, string? Error, DateTimeOffset CreatedAt)
{
    public static AssetResponse From(Asset a, int shots) => new(a.Id, a.Kind, a.Status, a.Title, a.Description, a.Tags, a.FileName,
        a.SizeBytes, a.Width, a.Height, a.DurationSeconds, a.Sha256, shots, a.Error, a.CreatedAt);
}

public sealed record SearchHit(Guid ShotId, Guid AssetId, string Title, AssetKind Kind, double Score, double ShotStart, double ShotEnd, double BestTime, string MatchedPhrase);

public static class LibraryApi
{
    public static IEndpointRouteBuilder MapLibraryApi(this IEndpointRouteBuilder app)
    {
        var library = app.MapGroup("/library").WithTags("Library");
        library.MapPost("/assets", UploadAsync).DisableAntiforgery().WithName("UploadAsset")
            .WithSummary("Add a video or image to the library (multipart: file, title, description, tags)")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * 1024 * 1024 * 1024 + 1024 * 1024));
        library.MapGet("/assets", ListAsync).WithName("ListAssets");
        library.MapGet("/assets/{id:guid}", GetAsync).WithName("GetAsset");
        library.MapGet("/search", SearchAsync).WithName("SearchLibrary");
        return app;
    }

    private static async Task<Results<Accepted<AssetResponse>, Ok<AssetResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, VidPressDbContext db, IMediaStorage storage, MediaProbe probe, IBackgroundJobClient jobs,
        TenantContext tenant, TimeProvider clock, IOptions<LibraryOptions> options, CancellationToken ct)
    {
        if (!request.HasFormContentType) return Problems.BadRequest("Send the asset as multipart/form-data.");
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        if (file is null) return Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["A 'file' part is required."] });
        if (file.Length > options.Value.MaxUploadBytes) return Problems.TooLarge($"Files up to {options.Value.MaxUploadBytes} bytes are accepted.");
        var title = form["title"].ToString().Trim();
        if (title.Length == 0) title = Path.GetFileNameWithoutExtension(file.FileName);
        if (title.Length > 500) return Problems.Validation(new Dictionary<string, string[]> { ["title"] = ["At most 500 characters."] });
        var description = form["description"].ToString().Trim();
        var tags = form["tags"].SelectMany(t => (t ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(t => t.Length is > 0 and <= 100).Distinct(StringComparer.OrdinalIgnoreCase).Take(50).ToList();

        using var scratch = storage.CreateScratch("upload");
        var localPath = scratch.File("upload" + SafeExtension(file.FileName));
        string sha256;
        await using (var target = File.Create(localPath))
        await using (var source = file.OpenReadStream())
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        MediaInfo info;
        try { info = await probe.ProbeAsync(localPath, ct); }
        catch (MediaRejectedException e) { return Problems.Unprocessable("The file is not usable media.", e.Message); }

        var existing = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenant.TenantId && a.Sha256 == sha256, ct);
        if (existing is not null)
            return TypedResults.Ok(AssetResponse.From(existing, await db.Shots.CountAsync(s => s.AssetId == existing.Id, ct)));

        var id = Guid.NewGuid();
        var asset = new Asset
        {
            Id = id, TenantId = tenant.TenantId, Kind = info.IsStill ? AssetKind.Image : AssetKind.Video, Status = AssetStatus.Ingesting,
            Title = title, Description = description.Length == 0 ? null : description, Tags = tags, FileName = Path.GetFileName(file.FileName),
            StorageKey = StorageKeys.AssetOriginal(tenant.TenantId, id, Path.GetExtension(localPath)), Sha256 = sha256, SizeBytes = file.Length,
            Width = info.Width, Height = info.Height, DurationSeconds = info.DurationSeconds, FrameRate = info.FrameRate, CreatedAt = clock.GetUtcNow(),
        };
        await storage.ImportFileAsync(asset.StorageKey, localPath, ct);
        try
        {
            db.Assets.Add(asset);
            await db.SaveChangesAsync(ct);
            jobs.Enqueue<AssetIngestJob>(j => j.RunAsync(id, CancellationToken.None));
        }
        catch
        {
            // Leave nothing behind: neither the file nor a row without its ingest job.
            await storage.DeletePrefixAsync(StorageKeys.AssetFolder(tenant.TenantId, id), CancellationToken.None);
            if (db.Entry(asset).State == EntityState.Unchanged)
            {
                db.Assets.Remove(asset);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            throw;
        }
        return TypedResults.Accepted($"/library/assets/{id}", AssetResponse.From(asset, 0));
    }

    private static string SafeExtension(string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension.Length is > 1 and <= 6 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : ".media";
    }

    private static async Task<Ok<AssetResponse[]>> ListAsync(VidPressDbContext db, TenantContext tenant, int? limit, CancellationToken ct)
    {
        var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenant.TenantId)
            .OrderByDescending(a => a.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 500))
            .Select(a => new { Asset = a, Shots = a.Shots.Count }).ToListAsync(ct);
        return TypedResults.Ok(assets.Select(a => AssetResponse.From(a.Asset, a.Shots)).ToArray());
    }

    private static async Task<Results<Ok<AssetResponse>, ProblemHttpResult>> GetAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var found = await db.Assets.AsNoTracking().Where(a => a.Id == id && a.TenantId == tenant.TenantId)
            .Select(a => new { Asset = a, Shots = a.Shots.Count }).SingleOrDefaultAsync(ct);
        return found is null ? Problems.NotFound("asset", id) : TypedResults.Ok(AssetResponse.From(found.Asset, found.Shots));
    }

    private static async Task<Results<Ok<SearchHit[]>, ProblemHttpResult>> SearchAsync(string? q, int? limit, ShotSearch search, TenantContext tenant, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 1000) return Problems.Validation(new Dictionary<string, string[]> { ["q"] = ["A query of 1 to 1000 characters is required."] });
        var hits = await search.SearchAsync(tenant.TenantId, q, Math.Clamp(limit ?? 20, 1, 100), ct);
        return TypedResults.Ok(hits.Select(h => new SearchHit(h.ShotId, h.AssetId, h.Title, h.Kind, h.Score, h.ShotStart, h.ShotEnd, h.BestTime, h.MatchedPhrase)).ToArray());
    }
}
