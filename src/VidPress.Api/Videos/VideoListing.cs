using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Delivery;

namespace VidPress.Api.Videos;

/// <summary>How many of the tenant's videos (within the list's filters, whatever their status) are in each status.</summary>
public sealed record VideoCounts(int Queued, int Running, int Succeeded, int Failed, int Cancelled, int Total);

/// <summary>
/// The desk's and a CMS's view of many videos: the list with its filters and pages, the counts per status, and the
/// stream of changes that keeps a desk current without polling every row.
/// </summary>
public static class VideoListing
{
    public const int DefaultLimit = 50, MaxLimit = 200, MaxQueryCharacters = 200;

    /// <summary>How often the change stream looks for changed videos, and how long a quiet stream waits before a ping.</summary>
    public static readonly TimeSpan EventsPollInterval = TimeSpan.FromSeconds(1), EventsPing = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapVideoListing(this RouteGroupBuilder videos)
    {
        videos.MapGet("/", ListAsync).WithName("ListVideos")
            .WithSummary("The tenant's videos, newest first, a page at a time (limit 1–200, default 50; the next page's URL is in the Link header, rel=\"next\"); "
                + "filtered by status (one or several, comma-separated), creation time (createdFrom, createdTo), reference, and q (words of the title, reference or article)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        videos.MapGet("/counts", CountsAsync).WithName("CountVideos")
            .WithSummary("How many of the tenant's videos are in each status, with the list's filters except status")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        videos.MapGet("/events", Events).WithName("StreamVideoEvents")
            .WithSummary("Server-sent events: a \"video\" event with the video whenever one of the tenant's videos changes (status, stage, progress); "
                + "resumes after Last-Event-ID; a \"ready\" event on connecting and a \"ping\" event when quiet")
            .Produces<VideoResponse>(StatusCodes.Status200OK, "text/event-stream");
        return videos;
    }

    /// <summary>The filters of the list and the counts, as the query string gives them.</summary>
    public sealed record Filter(IReadOnlyList<VideoStatus>? Statuses, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, string? Reference, string? Query)
    {
        public IQueryable<Video> Apply(IQueryable<Video> videos, bool byStatus = true)
        {
            if (byStatus && Statuses is { Count: > 0 } statuses) videos = videos.Where(v => statuses.Contains(v.Status));
            if (CreatedFrom is { } from) videos = videos.Where(v => v.CreatedAt >= from);
            if (CreatedTo is { } to) videos = videos.Where(v => v.CreatedAt < to);
            if (Reference is not null) videos = videos.Where(v => v.Reference == Reference);
            if (Query is not null)
            {
                var pattern = "%" + EscapeLike(Query) + "%";
                videos = videos.Where(v => EF.Functions.ILike(v.Title ?? "", pattern, "\\") || EF.Functions.ILike(v.Reference ?? "", pattern, "\\")
                    || EF.Functions.ILike(v.ArticleText ?? "", pattern, "\\"));
            }
            return videos;
        }

        private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
    }

    /// <summary>Reads the filters; null with <paramref name="problems"/> filled when one is malformed.</summary>
    public static Filter? ReadFilter(string? status, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, string? reference, string? q, Dictionary<string, string[]> problems)
    {
        List<VideoStatus>? statuses = null;
        if (status is not null)
        {
            statuses = [];
            foreach (var name in status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (Enum.TryParse<VideoStatus>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(name[0])) statuses.Add(parsed);
                else problems["status"] = [$"\"{Shorten(name)}\" is not a status: {string.Join(", ", Enum.GetNames<VideoStatus>().Select(n => n.ToLowerInvariant()))}."];
        }
        // Any offset the caller writes, compared as the instant it names (PostgreSQL stores UTC).
        createdFrom = createdFrom?.ToUniversalTime();
        createdTo = createdTo?.ToUniversalTime();
        if (createdFrom is { } from && createdTo is { } to && to <= from) problems["createdTo"] = ["createdTo must be after createdFrom."];
        if (reference is not null && VideosApi.ReferenceProblem(reference) is { } badReference) problems["reference"] = [badReference];
        var query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (query is { Length: > MaxQueryCharacters }) problems["q"] = [$"At most {MaxQueryCharacters} characters."];
        else if (query is not null && query.Any(char.IsControl)) problems["q"] = ["No control characters."];
        return problems.Count > 0 ? null : new Filter(statuses, createdFrom, createdTo, reference, query);
    }

    private static async Task<Results<Ok<VideoResponse[]>, ProblemHttpResult>> ListAsync(
        VidPressDbContext db, TenantContext tenant, DownloadLinks links, HttpRequest request, HttpResponse response,
        int? limit, string? status, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, string? reference, string? q, string? cursor, CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();
        var filter = ReadFilter(status, createdFrom, createdTo, reference, q, problems);
        (DateTimeOffset CreatedAt, Guid Id)? after = null;
        if (cursor is not null)
        {
            if (PageCursor.TryRead(cursor, out var position)) after = position;
            else problems["cursor"] = ["Not a cursor this API gave: take the Link header's next URL as it is."];
        }
        if (limit is < 1 or > MaxLimit) problems["limit"] = [$"Between 1 and {MaxLimit}."];
        if (filter is null || problems.Count > 0) return Problems.Validation(problems);

        var videos = filter.Apply(db.Videos.AsNoTracking().Where(v => v.TenantId == tenant.TenantId));
        if (after is { } a) videos = videos.Where(v => v.CreatedAt < a.CreatedAt || (v.CreatedAt == a.CreatedAt && v.Id.CompareTo(a.Id) < 0));
        var size = limit ?? DefaultLimit;
        var page = await videos.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Take(size + 1).ToListAsync(ct);
        if (page.Count > size)
        {
            page.RemoveAt(size);
            var next = new StringBuilder(request.PathBase + request.Path).Append('?');
            foreach (var (key, value) in request.Query.Where(p => p.Key is not "cursor"))
                next.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value.ToString())).Append('&');
            next.Append("cursor=").Append(PageCursor.Write(page[^1].CreatedAt, page[^1].Id));
            response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Select(v => VideoResponse.From(v).WithDownload(links)).ToArray());
    }

    private static async Task<Results<Ok<VideoCounts>, ProblemHttpResult>> CountsAsync(
        VidPressDbContext db, TenantContext tenant, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, string? reference, string? q, CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();
        if (ReadFilter(null, createdFrom, createdTo, reference, q, problems) is not { } filter) return Problems.Validation(problems);
        var counts = await filter.Apply(db.Videos.AsNoTracking().Where(v => v.TenantId == tenant.TenantId), byStatus: false)
            .GroupBy(v => v.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, ct);
        int Of(VideoStatus s) => counts.GetValueOrDefault(s);
        return TypedResults.Ok(new VideoCounts(Of(VideoStatus.Queued), Of(VideoStatus.Running), Of(VideoStatus.Succeeded), Of(VideoStatus.Failed),
            Of(VideoStatus.Cancelled), counts.Values.Sum()));
    }

    private static ServerSentEventsResult<VideoResponse?> Events(
        IDbContextFactory<VidPressDbContext> databases, TenantContext tenant, DownloadLinks links, TimeProvider clock,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken ct) =>
        TypedResults.ServerSentEvents(ChangesAsync(databases, tenant.TenantId, links, clock, EventStamp.Read(lastEventId), ct));

    /// <summary>How far back each poll looks again: a change committed after a later one was seen (transactions end out of order) is still sent.</summary>
    private static readonly TimeSpan EventsOverlap = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The tenant's videos as they change, oldest change first, each under an id naming the change (its time and the
    /// video), so a reconnecting client's Last-Event-ID resumes after it; a "ready" event on connecting and a ping when nothing
    /// changed for a while. Each
    /// poll looks a little further back than the last change it sent and skips what it sent already: a change is sent at
    /// least once, and a client takes each event as the video's latest state.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<VideoResponse?>> ChangesAsync(
        IDbContextFactory<VidPressDbContext> databases, Guid tenantId, DownloadLinks links, TimeProvider clock, (DateTimeOffset At, Guid Video)? resumeAfter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        // What the client has (its last event), or nothing before it connected: never sent, whatever the overlap finds.
        var floor = resumeAfter ?? (clock.GetUtcNow(), Guid.Empty);
        var since = floor.At;
        var sent = new Dictionary<Guid, DateTimeOffset>();
        var quietSince = clock.GetUtcNow();
        // At once, so the response starts (a client, or a proxy, learns the stream is open before anything changes).
        yield return new SseItem<VideoResponse?>(null, "ready");
        while (!ct.IsCancellationRequested)
        {
            List<Video> changed;
            var from = since - EventsOverlap;
            await using (var db = await databases.CreateDbContextAsync(ct))
                changed = await db.Videos.AsNoTracking().Where(v => v.TenantId == tenantId && v.UpdatedAt >= from)
                    .OrderBy(v => v.UpdatedAt).ThenBy(v => v.Id).Take(200).ToListAsync(ct);
            foreach (var video in changed)
            {
                if (sent.TryGetValue(video.Id, out var at) && at >= video.UpdatedAt) continue;
                if ((video.UpdatedAt, video.Id).CompareTo(floor) <= 0) continue;
                sent[video.Id] = video.UpdatedAt;
                if (video.UpdatedAt > since) since = video.UpdatedAt;
                quietSince = clock.GetUtcNow();
                yield return new SseItem<VideoResponse?>(VideoResponse.From(video).WithDownload(links), "video") { EventId = EventStamp.Write(video.UpdatedAt, video.Id) };
            }
            foreach (var old in sent.Where(p => p.Value < since - EventsOverlap).Select(p => p.Key).ToList()) sent.Remove(old);
            if (clock.GetUtcNow() - quietSince >= EventsPing)
            {
                quietSince = clock.GetUtcNow();
                yield return new SseItem<VideoResponse?>(null, "ping");
            }
            try { await Task.Delay(EventsPollInterval, clock, ct); }
            catch (OperationCanceledException) { yield break; }
        }
    }

    /// <summary>An event's id: the change's time in microseconds since the epoch (PostgreSQL's precision) and the video.</summary>
    private static class EventStamp
    {
        public static string Write(DateTimeOffset at, Guid video) =>
            ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture) + "." + video.ToString("N");

        public static (DateTimeOffset, Guid)? Read(string? id)
        {
            var parts = id?.Split('.');
            return parts is [var micros, var video] && long.TryParse(micros, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                && m < 253_402_300_799_000_000L && Guid.TryParseExact(video, "N", out var g)
                ? (DateTimeOffset.UnixEpoch.AddTicks(m * 10), g) : null;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>Where a page of the list ends: opaque to clients (base64url of the last video's creation time and id).</summary>
internal static class PageCursor
{
    public static string Write(DateTimeOffset createdAt, Guid id) =>
        Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.ASCII.GetBytes($"{createdAt.UtcTicks}.{id:N}"));

    public static bool TryRead(string cursor, out (DateTimeOffset CreatedAt, Guid Id) position)
    {
        position = default;
        if (cursor.Length > 100) return false;
        string text;
        try { text = Encoding.ASCII.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cursor)); }
        catch (FormatException) { return false; }
        var parts = text.Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id)) return false;
        position = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
