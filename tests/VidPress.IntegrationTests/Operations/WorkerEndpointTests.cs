using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using VidPress.IntegrationTests.Jobs;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>An API that only enqueues: the work is done by a separate worker process, started by the test.</summary>
public sealed class EnqueueOnlyServiceFixture : ServiceFixture
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Jobs:RunWorkersInProcess"] = "false" };
}

/// <summary>
/// The operational figures on both hosts: the API's /metrics and the worker's own port (/metrics, /health), read as
/// Prometheus would, before and after a worker made a video, ingested an asset and delivered a webhook.
/// </summary>
public sealed partial class WorkerEndpointTests(EnqueueOnlyServiceFixture service) : IClassFixture<EnqueueOnlyServiceFixture>
{
    [Fact]
    public async Task Queue_depth_wait_end_to_end_webhook_and_ingest_figures_move_when_a_worker_makes_a_video()
    {
        // Queued while no worker runs: the API's gauge sees them waiting.
        var clip = await Media.ShapeClipAsync(service.WorkFolder, "red-circle", 3);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(clip));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "red-circle.mp4");
        using var upload = await service.Client.PostAsync("/library/assets", form);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var assetId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var post = await service.Client.PostAsJsonAsync("/videos", new
        {
            text = "The bridge reopened on Friday. Traffic returned within hours.", targetDurationSeconds = 8,
            callbackUrl = service.Webhooks.BaseUrl + "/hooks/ops",
        });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var videoId = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var before = await service.Client.GetStringAsync("/metrics");
        Assert.True(Value(before, "vidpress_queue_depth", ("queue", "render")) >= 1, Series(before, "vidpress_queue_depth"));
        Assert.True(Value(before, "vidpress_queue_depth", ("queue", "uploads")) >= 1, Series(before, "vidpress_queue_depth"));
        // Queued for a while before a worker takes them: the wait measured must show it.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var port = FreePort();
        await using var worker = WorkerProcess.Start(service.Database.ConnectionString, service.StorageRoot, new Dictionary<string, string>
        {
            ["Worker__MetricsPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Jobs__WorkerCount"] = "2",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        var asset = await service.WaitForAssetAsync(assetId, TimeSpan.FromMinutes(3));
        Assert.True(asset.Status == VidPress.Core.Data.AssetStatus.Ready, asset + "\n" + worker.Log);
        var video = await service.WaitForVideoAsync(videoId, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VidPress.Core.Data.VideoStatus.Succeeded, video + "\n" + worker.Log);
        await service.Webhooks.WaitForAsync(r => r.Any(w => w.Path == "/hooks/ops"), TimeSpan.FromMinutes(1));

        // The worker's figures: the webhook is counted just after the receiver answered, so poll briefly.
        var metrics = "";
        for (var i = 0; i < 40 && Value(metrics, "vidpress_webhook_attempts_total", ("outcome", "delivered")) < 1; i++)
        {
            await Task.Delay(250);
            metrics = await http.GetStringAsync("/metrics");
        }
        Assert.True(Value(metrics, "vidpress_webhook_attempts_total", ("outcome", "delivered")) >= 1, Series(metrics, "vidpress_webhook"));
        Assert.True(Value(metrics, "vidpress_queue_wait_seconds_count", ("queue", "render"), ("job", "video")) >= 1, Series(metrics, "vidpress_queue_wait"));
        Assert.True(Value(metrics, "vidpress_queue_wait_seconds_sum", ("queue", "render"), ("job", "video")) >= 1, Series(metrics, "vidpress_queue_wait"));
        Assert.True(Value(metrics, "vidpress_queue_wait_seconds_count", ("queue", "uploads"), ("job", "assetingest")) >= 1, Series(metrics, "vidpress_queue_wait"));
        Assert.True(Value(metrics, "vidpress_video_end_to_end_seconds_count") >= 1, Series(metrics, "vidpress_video_end_to_end"));
        // Published after at least the second the video waited in the queue.
        Assert.True(Value(metrics, "vidpress_video_end_to_end_seconds_sum") >= 1, Series(metrics, "vidpress_video_end_to_end"));
        Assert.Equal(new FileInfo(clip).Length, Value(metrics, "vidpress_ingest_bytes_total", ("kind", "video")));
        Assert.True(Value(metrics, "vidpress_ingest_media_seconds_total", ("kind", "video")) is >= 2.9 and <= 3.1, Series(metrics, "vidpress_ingest"));
        Assert.True(Value(metrics, "vidpress_ingest_speed_count", ("kind", "video")) >= 1, Series(metrics, "vidpress_ingest"));
        Assert.True(Value(metrics, "vidpress_ingest_speed_sum", ("kind", "video")) > 0, Series(metrics, "vidpress_ingest"));
        Assert.True(Value(metrics, "vidpress_stage_duration_seconds_count", ("stage", "render"), ("outcome", "ok")) >= 1, Series(metrics, "vidpress_stage"));
        // .NET runtime and process figures of the worker process itself.
        Assert.True(Value(metrics, "dotnet_gc_collections_total") >= 1 || Value(metrics, "dotnet_gc_heap_total_allocated_bytes_total") > 0, Series(metrics, "dotnet_gc"));
        Assert.True(Value(metrics, "process_cpu_time_seconds_total") > 0, Series(metrics, "process_cpu"));
        Assert.True(Value(metrics, "process_memory_usage_bytes") > 10_000_000, Series(metrics, "process_memory"));

        // Taken off the queues: the API's gauge (cached for 5 s) falls back to zero.
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var after = await service.Client.GetStringAsync("/metrics");
        Assert.Equal(0, Value(after, "vidpress_queue_depth", ("queue", "render")));
        Assert.True(Value(after, "process_cpu_time_seconds_total") > 0, Series(after, "process_cpu"));
        Assert.True(Value(after, "dotnet_gc_collections_total") >= 1 || Value(after, "dotnet_gc_heap_total_allocated_bytes_total") > 0, Series(after, "dotnet_gc"));

        using var health = await http.GetAsync("/health");
        var body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(health.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("hangfire-server").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Worker_health_is_200_with_a_beating_Hangfire_server_and_503_once_its_database_is_gone_and_it_logs_one_JSON_object_a_line()
    {
        var database = await TestDatabase.CreateAsync();
        var storage = Directory.CreateTempSubdirectory("vidpress-worker-health-").FullName;
        var port = FreePort();
        try
        {
            await using var worker = WorkerProcess.Start(database.ConnectionString, storage, new Dictionary<string, string>
            {
                ["Worker__MetricsPort"] = port.ToString(CultureInfo.InvariantCulture),
                ["Logging__Format"] = "json",
            });
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

            // Ready once its Hangfire server has announced itself and beats.
            HttpStatusCode status = 0;
            string body = "";
            for (var i = 0; i < 240 && status != HttpStatusCode.OK; i++)
            {
                await Task.Delay(250);
                Assert.False(worker.HasExited, worker.Log);
                try
                {
                    using var response = await http.GetAsync("/health");
                    (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }
            Assert.True(status == HttpStatusCode.OK, body + "\n" + worker.Log);
            using (var live = await http.GetAsync("/health/live")) Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            using (var unknown = await http.GetAsync("/health/anything")) Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            // The database goes away (dropped, its sessions ended): not ready, but still alive.
            await database.DisposeAsync();
            using var gone = await http.GetAsync("/health");
            var problem = await gone.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(gone.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
            Assert.Equal("Unhealthy", problem.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
            using (var live = await http.GetAsync("/health/live")) Assert.Equal(HttpStatusCode.OK, live.StatusCode);

            // Logging:Format=json: every line is one JSON object with the formatter's fields, the Hangfire start among them.
            var lines = worker.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length >= 2, worker.Log);
            var events = lines.Select(line =>
            {
                try
                {
                    return JsonDocument.Parse(line).RootElement;
                }
                catch (JsonException e)
                {
                    throw new Xunit.Sdk.XunitException($"Not one JSON object: {line}\n({e.Message})");
                }
            }).ToList();
            foreach (var e in events)
            {
                Assert.Equal(JsonValueKind.Object, e.ValueKind);
                foreach (var field in new[] { "Timestamp", "LogLevel", "Category", "Message" }) Assert.True(e.TryGetProperty(field, out _), e.ToString());
                Assert.EndsWith("Z", e.GetProperty("Timestamp").GetString());
            }
            Assert.Contains(events, e => e.GetProperty("Message").GetString()!.Contains("Worker health on", StringComparison.Ordinal));
        }
        finally
        {
            await database.DisposeAsync();
            Directory.Delete(storage, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The sum of a series' samples whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    private static double Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        double total = 0;
        foreach (Match m in Sample().Matches(exposition))
        {
            if (m.Groups["name"].Value != name) continue;
            var set = m.Groups["labels"].Value;
            if (labels.All(l => set.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return total;
    }

    private static string Series(string exposition, string prefix) =>
        string.Join('\n', exposition.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))) is { Length: > 0 } found ? found : $"(no {prefix}* series)";

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
