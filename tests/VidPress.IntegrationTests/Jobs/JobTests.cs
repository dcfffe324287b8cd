using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using VidPress.Api.Videos;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Jobs;

public sealed record VideoRow(string Status, string Stage, double Progress, int Attempt, bool CancelRequested, string? OutputKey);

/// <summary>What the job tests share: a long article, reading the video row, files on disk and ffmpeg processes.</summary>
public static class JobTests
{
    private static readonly string[] Subjects = ["The city council", "The harbour authority", "A group of engineers", "The regional museum", "The transport ministry", "Local volunteers", "The weather service", "A university team"];
    private static readonly string[] Actions = ["announced a plan to rebuild", "published a report about", "opened a public consultation on", "began testing", "raised new money for", "warned residents about"];
    private static readonly string[] Objects = ["the old bridge over the river", "the northern bus routes", "the flood barriers along the coast", "a network of electric ferries", "the library in the market square", "the cycle lanes near the station"];

    /// <summary>An English article long enough for a narration of a minute or more.</summary>
    public static string LongArticle(int sentences = 48)
    {
        var text = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            text.Append(Subjects[i % Subjects.Length]).Append(' ').Append(Actions[i / 2 % Actions.Length]).Append(' ')
                .Append(Objects[i / 3 % Objects.Length]).Append(" on day ").Append(i + 1).Append(" of the project, officials said. ");
            if (i % 6 == 5) text.Append("\n\n");
        }
        return text.ToString();
    }

    public static async Task<Guid> PostVideoAsync(HttpClient client, object body)
    {
        using var post = await client.PostAsJsonAsync("/videos", body);
        Assert.True(post.StatusCode == HttpStatusCode.Accepted, $"{(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
        return (await post.ReadAsync<VideoResponse>()).Id;
    }

    public static async Task<VideoRow> ReadAsync(string connectionString, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Status", "Stage", "Progress", "Attempt", "CancelRequested", "OutputKey" FROM videos WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"video {id} not found");
        return new VideoRow(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetInt32(3), reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    public static async Task<VideoRow> WaitForAsync(string connectionString, Guid id, Func<VideoRow, bool> condition, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = await ReadAsync(connectionString, id);
            if (condition(row)) return row;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Video {id} is {row} after {timeout.TotalSeconds:0} s.\n{diagnostics?.Invoke()}");
            await Task.Delay(200);
        }
    }

    public static string VideoFolder(string storageRoot, Guid id) =>
        Path.Combine(storageRoot, StorageKeys.VideoFolder(Core.Data.Tenant.DefaultId, id));

    public static List<string> Mp4Files(string storageRoot, Guid id)
    {
        var folder = VideoFolder(storageRoot, id);
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.mp4*", SearchOption.AllDirectories).ToList() : [];
    }

    public static List<string> ScratchFolders(string storageRoot, Guid id)
    {
        var scratch = Path.Combine(storageRoot, "scratch");
        return Directory.Exists(scratch) ? Directory.GetDirectories(scratch, $"render-{id:N}-*").ToList() : [];
    }

    /// <summary>Running ffmpeg processes (by pid) whose command line names this video's render scratch.</summary>
    /// <summary>
    /// The ffmpeg processes still rendering <paramref name="id"/> once <paramref name="timeout"/> has passed or none is
    /// left: a SIGKILL or a cancel takes effect a moment after it is sent, not at once.
    /// </summary>
    public static async Task<List<int>> FfmpegRenderingAfterAsync(Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var left = FfmpegRendering(id);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            left = FfmpegRendering(id);
        }
        return left;
    }

    public static List<int> FfmpegRendering(Guid id)
    {
        var marker = $"render-{id:N}-";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args.Length > 0 && Path.GetFileName(args[0]) == "ffmpeg" && args.Any(a => a.Contains(marker, StringComparison.Ordinal)))
                    found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>
    /// What a stuck job test needs to say why: Hangfire's queue, job states, distributed locks and servers, and
    /// every session on the database with what it waits for.
    /// </summary>
    public static string DescribeJobs(string connectionString)
    {
        var text = new StringBuilder();
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            void Dump(string title, string sql)
            {
                text.Append("-- ").AppendLine(title);
                using var command = new NpgsqlCommand(sql, connection);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                        text.Append(i == 0 ? "" : " | ").Append(reader.GetName(i)).Append('=').Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                    text.AppendLine();
                }
            }
            Dump("now", "SELECT now()");
            Dump("hangfire.jobqueue", "SELECT id, jobid, queue, fetchedat FROM hangfire.jobqueue ORDER BY id");
            Dump("hangfire.job", "SELECT id, statename, createdat FROM hangfire.job ORDER BY id DESC LIMIT 10");
            Dump("hangfire.lock", "SELECT resource, acquired FROM hangfire.lock");
            Dump("hangfire.server", "SELECT id, lastheartbeat FROM hangfire.server");
            Dump("sessions", """
                SELECT pid, application_name, state, wait_event_type, wait_event, xact_start, pg_blocking_pids(pid) AS blocked_by, left(query, 160) AS query
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            text.Append("(could not read the database: ").Append(e.Message).AppendLine(")");
        }
        return text.ToString();
    }

    public static IReadOnlyList<ReceivedWebhook> WebhooksFor(WebhookReceiver receiver, Guid id) =>
        receiver.Received.Where(h => h.Body.Contains(id.ToString(), StringComparison.Ordinal)).ToList();
}
