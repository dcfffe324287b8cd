using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using VidPress.Core.Tenants;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>
/// Two newsrooms for the request fuzzer. Newsroom A (the one fuzzed) has a video clip, a still, a music bed and a
/// rendered video using them; newsroom B a still and a cancelled video, whose ids A must never reach. Once every
/// job the seeding enqueued has finished, the in-process Hangfire server is stopped: jobs that fuzzed requests
/// enqueue then wait, so the tables and files change only by what a request itself does.
/// </summary>
public sealed class FuzzServiceFixture : ServiceFixture
{
    public HttpClient ClientA { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public HttpClient WrongKey { get; private set; } = null!;
    public FuzzPools Pools { get; } = new();
    public FuzzFiles Files { get; } = new();
    public ErrorLog Errors { get; } = new();
    public JsonElement Document { get; private set; }
    public Guid VideoA { get; private set; }
    private string _videoRow = null!;
    private string _videoColumns = null!;
    private Lazy<Task<FuzzResult>>? _run;

    /// <summary>The one fuzzing run of this fixture, shared by the tests that look at its result.</summary>
    public Task<FuzzResult> RunAsync() => (_run ??= new Lazy<Task<FuzzResult>>(() => new RequestFuzzer(this).RunAsync())).Value;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(Errors);
        var a = await CreateKeyAsync("fuzz-a");
        var b = await CreateKeyAsync("fuzz-b");
        ClientA = CreateClient(a.Key);
        var clientB = CreateClient(b.Key);
        Anonymous = CreateClient(null);
        WrongKey = CreateClient("vp_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        var clip = await Media.ShapeClipAsync(WorkFolder, "red-circle");
        var clipA = await UploadAsync(ClientA, "/library/assets", clip, "video/mp4", ("title", "red circle"), ("licence", "cc-by"), ("credit", "Newsroom A"));
        var stillA = await UploadAsync(ClientA, "/library/assets", Picture("blue-square"), "image/png", ("title", "blue square"));
        var stillB = await UploadAsync(clientB, "/library/assets", Picture("green-triangle"), "image/png", ("title", "green triangle"));
        var bed = Path.Combine(WorkFolder, "bed.wav");
        await Media.Ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.8*sin(2*PI*60*t)*exp(-25*mod(t\\,0.5))+0.1*sin(2*PI*220*t):s=44100:d=8", bed);
        var musicA = await UploadAsync(ClientA, "/library/music", bed, "audio/wav", ("title", "pulse"), ("moods", "calm"), ("credit", "Newsroom A"));
        foreach (var (client, id) in new[] { (ClientA, clipA), (ClientA, stillA), (clientB, stillB) })
            Assert.Equal("ready", await WaitAsync(client, $"/library/assets/{id}", s => s != "ingesting"));
        var shotsA = await ShotsAsync(ClientA, "a red circle");
        var shotsB = await ShotsAsync(clientB, "a green triangle");

        var videoBody = JsonSerializer.Serialize(new
        {
            text = "A red circle rose over the city.", aspectRatio = "16:9", resolution = "720p", targetDurationSeconds = 5, music = "calm",
            callbackUrl = Webhooks.BaseUrl + "/hooks/fuzz", title = "Fuzz seed",
        });
        VideoA = await PostVideoAsync(ClientA, videoBody);
        var videoB = await PostVideoAsync(clientB, JsonSerializer.Serialize(new { text = "A green triangle.", targetDurationSeconds = 5 }));
        using (await clientB.PostAsync($"/videos/{videoB}/cancel", null)) { }
        Assert.Equal("succeeded", await WaitAsync(ClientA, $"/videos/{VideoA}", s => s is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(4)));
        await WaitAsync(clientB, $"/videos/{videoB}", s => s is not ("queued" or "running"), TimeSpan.FromMinutes(4));
        await StopJobsAsync();

        Pools.Own.AddRange([VideoA, clipA, stillA, musicA, .. shotsA]);
        Pools.OwnByKind["videos"] = [VideoA];
        Pools.OwnByKind["assets"] = [clipA, stillA];
        Pools.OwnByKind["shots"] = shotsA;
        Pools.OwnByKind["music"] = [musicA];
        Pools.Precious.UnionWith([VideoA, clipA]);
        Pools.Disposable.Add(stillA);
        Pools.Others.AddRange([videoB, stillB, .. shotsB]);

        var video = await ClientA.GetFromJsonAsync<JsonElement>($"/videos/{VideoA}");
        var download = new Uri("http://x" + video.GetProperty("links").GetProperty("download").GetString());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(download.Query);
        Pools.QueryExamples["expires"] = [query["expires"].ToString()];
        Pools.QueryExamples["sig"] = [query["sig"].ToString()];
        Pools.QueryExamples["format"] = ["16x9-720p", "9x16-1080p"];
        Pools.QueryExamples["q"] = ["a red circle", "harbour"];
        Pools.QueryExamples["licence"] = ["cc-by"];
        Pools.AddExample("POST /videos", videoBody);
        Pools.AddExample("POST /videos", JsonSerializer.Serialize(new
        {
            script = new object[] { new { text = "A red circle.", keywords = new[] { "circle", "red" }, assetId = clipA }, new { text = "Then a square." } },
            formats = new[] { new { aspectRatio = "9:16", resolution = "1080p" } }, fit = "letterbox", language = "en", generateStills = false,
        }));
        Pools.AddExample("POST /videos", JsonSerializer.Serialize(new { url = "https://example.org/news/1", targetDurationSeconds = 30, aspectRatio = "1:1" }));
        using (var timeline = await ClientA.GetAsync($"/videos/{VideoA}/timeline"))
        {
            timeline.EnsureSuccessStatusCode();
            Pools.AddExample("PUT /videos/{id}/timeline", await timeline.Content.ReadAsStringAsync());
        }

        AddFiles(clip, bed);
        Document = await GetJsonAsync("/swagger/v1/swagger.json");
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using (var columns = new NpgsqlCommand(
            "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns "
            + "WHERE table_name = 'videos' AND column_name <> 'Id'",
            connection))
            _videoColumns = (string)(await columns.ExecuteScalarAsync())!;
        await using var row = new NpgsqlCommand("SELECT row_to_json(v)::text FROM videos v WHERE \"Id\" = @id", connection);
        row.Parameters.AddWithValue("id", VideoA);
        _videoRow = (string)(await row.ExecuteScalarAsync())!;
    }

    /// <summary>Puts the rendered video back as it was seeded, after an accepted edit, retry or cancel changed it.</summary>
    public async Task RestoreVideoAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand(
            $"UPDATE videos v SET ({_videoColumns}) = (SELECT {_videoColumns} FROM json_populate_record(NULL::videos, @row::json)) WHERE v.\"Id\" = @id",
            connection);
        update.Parameters.AddWithValue("row", _videoRow);
        update.Parameters.AddWithValue("id", VideoA);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    /// <summary>The service's route endpoints as "METHOD /path/{param}", constraints removed.</summary>
    public IReadOnlyList<string> RouteEndpoints() =>
        Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText ?? "")}"))
            .Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();

    private static string Normalise(string pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace("/" + pattern.TrimStart('/'), @"\{([^}:?=]+)[^}]*\}", "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static string Picture(string name) => Repository.Path("models", "tiny-clip", name + ".png");

    private void AddFiles(string clip, string bed)
    {
        var png = File.ReadAllBytes(Repository.Path("models", "tiny-clip", "red-circle.png"));
        var mp4 = File.ReadAllBytes(clip);
        var wav = File.ReadAllBytes(bed);
        Files.Add("empty", "empty.mp4", [], "video/mp4");
        Files.Add("truncated png", "cut.png", png[..Math.Min(60, png.Length)], "image/png");
        Files.Add("png header and garbage", "garbage.png", [.. png[..16], .. Enumerable.Range(0, 512).Select(i => (byte)(i * 31))], "image/png");
        Files.Add("text named .mp4", "story.mp4", "This is not a video.\n"u8.ToArray(), "video/mp4");
        Files.Add("truncated mp4", "cut.mp4", mp4[..Math.Min(2048, mp4.Length)], "video/mp4");
        Files.Add("ffconcat list", "list.mp4",
            "ffconcat version 1.0\nfile '/etc/passwd'\nfile 'http://169.254.169.254/latest/meta-data/'\n"u8.ToArray(), "video/mp4");
        Files.Add("hls playlist", "live.m3u8",
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://169.254.169.254/latest/meta-data/\n#EXTINF:10,\nfile:///etc/passwd\n"u8.ToArray(),
            "application/vnd.apple.mpegurl");
        Files.Add("svg with a file reference", "x.png",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"file:///etc/passwd\"/></svg>"u8.ToArray(), "image/svg+xml");
        Files.Add("subtitles", "x.srt", "1\n00:00:00,000 --> 00:00:01,000\nhello\n"u8.ToArray(), "application/x-subrip");
        Files.Add("gif header", "x.gif", "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray(), "image/gif");
        Files.Add("wav header only", "x.wav", WavHeader(), "audio/wav");
        Files.Add("random bytes", "x.bin", Enumerable.Range(0, 2048).Select(i => (byte)((i * 7919) ^ (i >> 3))).ToArray(), "application/octet-stream");
        Files.Add("the seeded png", "blue.png", File.ReadAllBytes(Repository.Path("models", "tiny-clip", "blue-square.png")), "image/png");
        Files.Add("a new png", "yellow.png", File.ReadAllBytes(Repository.Path("models", "tiny-clip", "yellow-square.png")), "image/png");
        Files.Add("the seeded clip", "clip.mp4", mp4, "video/mp4");
        Files.Add("the seeded music", "bed.wav", wav, "audio/wav");
    }

    /// <summary>A WAV header claiming an hour of 48 kHz stereo, followed by no samples.</summary>
    private static byte[] WavHeader()
    {
        var header = new MemoryStream();
        var w = new BinaryWriter(header);
        w.Write("RIFF"u8); w.Write(int.MaxValue); w.Write("WAVEfmt "u8); w.Write(16); w.Write((short)1); w.Write((short)2);
        w.Write(48000); w.Write(48000 * 4); w.Write((short)4); w.Write((short)16); w.Write("data"u8); w.Write(48000 * 4 * 3600);
        return header.ToArray();
    }

    private async Task StopJobsAsync()
    {
        var monitor = Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (monitor.ProcessingCount() > 0 || monitor.Queues().Any(q => q.Length > 0) || monitor.ScheduledCount() > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The seeding's jobs did not finish.");
            await Task.Delay(200);
        }
        // Hangfire registers its server as a transient IHostedService: the running instance is only in the host's own list.
        var host = Factory.Services.GetRequiredService<IHost>();
        var field = host.GetType().GetField("_hostedServices", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
        Assert.True(field is not null, $"{host.GetType()} keeps its hosted services elsewhere; the fuzzer cannot stop the job server.");
        var servers = ((IEnumerable<IHostedService>)field.GetValue(host)!)
            .Where(h => h.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(servers);
        foreach (var server in servers) await server.StopAsync(CancellationToken.None);
        while (monitor.Servers().Count > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The job server did not stop.");
            await Task.Delay(100);
        }
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string path, string file, string contentType, params (string Name, string Value)[] fields)
    {
        using var response = await client.UploadAsync(path, file, contentType: contentType, fields: fields);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<List<Guid>> ShotsAsync(HttpClient client, string query)
    {
        var hits = await client.GetFromJsonAsync<JsonElement>($"/library/search?q={Uri.EscapeDataString(query)}");
        var shots = hits.EnumerateArray().Select(h => h.GetProperty("shotId").GetGuid()).Distinct().ToList();
        Assert.NotEmpty(shots);
        return shots;
    }

    private static async Task<Guid> PostVideoAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/videos", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<string> WaitAsync(HttpClient client, string path, Func<string, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("status").GetString()!;
            if (done(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} still {status}.");
            await Task.Delay(250);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzServiceCollection : ICollectionFixture<FuzzServiceFixture>
{
    public const string Name = "request fuzzer";
}
