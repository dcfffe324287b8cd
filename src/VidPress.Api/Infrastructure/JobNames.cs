using Hangfire.Common;
using Hangfire.Dashboard;
using Microsoft.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Jobs;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// How the jobs dashboard names a job: the work and whose it is ("Video «Flood in the valley» · tenant kcbs-news"),
/// instead of Hangfire's "VideoJob.RunAsync", so an operator finds a newsroom's video among hundreds. A video is named
/// by its title, else the caller's reference, else the request's title, else the article's opening words, else its
/// URL. Read from the rows the job's first argument names; a job whose row is gone keeps Hangfire's name.
/// </summary>
public static class JobNames
{
    /// <summary>The longest title shown; longer ones end in "…".</summary>
    public const int MaxTitle = 80;

    public static string For(DashboardContext context, Job job) =>
        For(context.GetHttpContext().RequestServices.GetRequiredService<IDbContextFactory<VidPressDbContext>>(), job);

    public static string For(IDbContextFactory<VidPressDbContext> databases, Job job)
    {
        var fallback = $"{job.Type.Name}.{job.Method.Name}";
        if (job.Args is not [Guid id, ..]) return fallback;
        using var db = databases.CreateDbContext();
        var (work, row) = job.Type.Name switch
        {
            nameof(VideoJob) => ("Video", VideoRow(db, id)),
            nameof(StillGenerationJob) => ("Stills for video", VideoRow(db, id)),
            nameof(WebhookJob) => ($"Webhook {job.Args.ElementAtOrDefault(1)} for video", VideoRow(db, id)),
            nameof(AssetIngestJob) => ("Ingest", db.Assets.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new Named(a.Title, db.Tenants.Where(t => t.Id == a.TenantId).Select(t => t.Name).FirstOrDefault())).SingleOrDefault()),
            _ => (fallback, null),
        };
        return row is null ? fallback : $"{work} «{Shorten(row.Title)}» · tenant {row.Tenant}";
    }

    private sealed record Named(string? Title, string? Tenant);

    private static Named? VideoRow(VidPressDbContext db, Guid id)
    {
        var row = db.Videos.AsNoTracking().Where(v => v.Id == id)
            .Select(v => new { v.Title, v.Reference, v.Request, Tenant = db.Tenants.Where(t => t.Id == v.TenantId).Select(t => t.Name).FirstOrDefault() })
            .SingleOrDefault();
        if (row is null) return null;
        var opening = row.Request.Text is { } text ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : null;
        return new Named(Blank(row.Title) ?? Blank(row.Reference) ?? Blank(row.Request.Title) ?? Blank(opening) ?? row.Request.Url, row.Tenant);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Shorten(string? title) =>
        string.IsNullOrWhiteSpace(title) ? "untitled" : title.Length <= MaxTitle ? title : title[..(MaxTitle - 1)] + "…";
}
