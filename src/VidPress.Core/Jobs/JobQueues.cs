using VidPress.Core.Data;

namespace VidPress.Core.Jobs;

/// <summary>
/// The Hangfire queues: breaking videos on <c>breaking</c>, webhooks on <c>default</c>, still generation on <c>gpu</c>,
/// other videos on <c>render</c>, library ingest on <c>uploads</c>.
/// <para>
/// Their names are their priority. Hangfire.PostgreSql (1.21.1, <c>PostgreSqlJobQueue.Dequeue_Transaction</c> and
/// <c>Dequeue_UpdateCount</c>) fetches with <c>WHERE "queue" = ANY (@Queues) ORDER BY "fetchedat" NULLS FIRST, "queue",
/// "jobid"</c>: a worker listening on several queues takes the job of the alphabetically first queue that has one
/// (then the oldest), whatever order the server's queue list gives. So breaking &lt; default &lt; gpu &lt; render &lt;
/// uploads is the order every worker serves them in. The names are lowercase ASCII letters only, so the database's
/// collation sorts them as <see cref="StringComparer.Ordinal"/> does (a unit test holds the order).
/// </para>
/// </summary>
public static class JobQueues
{
    public const string Breaking = "breaking";
    public const string Default = "default";
    public const string Gpu = "gpu";
    public const string Render = "render";
    public const string Ingest = "uploads";

    /// <summary>Every queue, in the order a worker serving all of them takes their jobs.</summary>
    public static readonly IReadOnlyList<string> All = [Breaking, Default, Gpu, Render, Ingest];

    /// <summary>The queue a video's runs wait on.</summary>
    public static string ForVideo(VideoPriority priority) => priority == VideoPriority.Breaking ? Breaking : Render;

    /// <summary>
    /// The queues a server given <paramref name="configured"/> listens on: a server for videos (<c>render</c>) also
    /// serves breaking ones, and one for <c>default</c> also serves ingest (which ran there before it had a queue of its own).
    /// </summary>
    public static string[] Served(IEnumerable<string> configured)
    {
        var queues = new List<string>(configured);
        if (queues.Contains(Render) && !queues.Contains(Breaking)) queues.Add(Breaking);
        if (queues.Contains(Default) && !queues.Contains(Ingest)) queues.Add(Ingest);
        return [.. queues.Distinct().OrderBy(q => q, StringComparer.Ordinal)];
    }
}
