using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace VidPress.Soak;

/// <summary>One posted video, as the soak saw it.</summary>
public sealed class PostedVideo(int index, string idempotencyKey, object body, int target)
{
    public int Index { get; } = index;
    public string IdempotencyKey { get; } = idempotencyKey;
    public object Body { get; } = body;
    public int TargetSeconds { get; } = target;
    public DateTimeOffset? SentAt { get; set; }
    public Guid? Id { get; set; }
    public int PostAttempts { get; set; }
    public List<string> PostErrors { get; } = [];
    public string Status { get; set; } = "";
    public string Stage { get; set; } = "";
    public Task? Posting { get; set; }
}

public sealed record Kill(TimeSpan At, string Worker, int Pid, bool Busy, string Running);

public sealed class Soak(SoakOptions options)
{
    private static readonly string[] Colours = ["red", "blue", "green", "yellow", "purple", "orange"];
    private static readonly string[] Places = ["harbour", "old town", "central park", "railway station", "river bank",
        "market square", "university", "city hall"];
    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] Terminal = ["Succeeded", "Failed", "Cancelled"];

    private readonly Stopwatch _clock = new();
    private readonly Random _random = new(options.Seed);
    private readonly List<Child> _everyChild = [];
    private readonly HashSet<int> _groups = [];
    private readonly Dictionary<string, Child?> _workers = [];
    private readonly Dictionary<string, int> _incarnations = [];
    private readonly List<(string Worker, TimeSpan Due)> _pendingRestarts = [];
    private readonly List<Kill> _kills = [];
    private readonly List<string> _events = [];
    private readonly string _signingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private readonly string _serviceSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private Child? _api;
    private string _apiUrl = "";
    private Receiver _receiver = null!;
    private HttpClient _http = null!;
    private int _pgRestarts;
    private string _pgRestartNote = "";
    private TimeSpan? _allPostedAt;

    private string Dll(string project) => Path.Combine(options.Root, "src", project, "bin", "Release", "net10.0", project + ".dll");

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var deadline = TimeSpan.FromMinutes(options.DeadlineMinutes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(deadline);
        _clock.Start();
        Say($"seed {options.Seed}: {options.Videos} videos, {options.Workers} workers x {options.WorkerSlots} slots, at least {options.MinKills} kills, " +
            $"one PostgreSQL restart ({options.PgRestartMode}), deadline {options.DeadlineMinutes} min; state {options.State}");
        var checks = new Checks();
        var videos = new List<PostedVideo>();
        string? abort = null;
        try
        {
            foreach (var dll in new[] { Dll("VidPress.Api"), Dll("VidPress.Worker") })
                if (!File.Exists(dll)) throw new SoakAbort($"{dll} is missing: build Release first (bench/soak/run.sh does)");
            if (Directory.Exists(options.StorageRoot)) Directory.Delete(options.StorageRoot, recursive: true);
            if (Directory.Exists(options.Logs)) Directory.Delete(options.Logs, recursive: true);
            Directory.CreateDirectory(options.StorageRoot);
            Directory.CreateDirectory(options.Logs);
            File.Delete(Path.Combine(options.State, "groups"));

            _receiver = await Receiver.StartAsync(options.Seed, options.RefuseRate);
            var key = (await AdminAsync(timeout.Token, "create-key", "--tenant", "soak", "--name", $"soak {options.Seed}")).Trim();
            var tenantSecret = (await AdminAsync(timeout.Token, "webhook-secret", "--tenant", "soak")).Trim();
            _receiver.UseSecret(tenantSecret);
            await StartApiAsync(timeout.Token);
            _http = new HttpClient { BaseAddress = new Uri(_apiUrl), Timeout = TimeSpan.FromSeconds(30) };
            _http.DefaultRequestHeaders.Add("X-Api-Key", key);
            for (var w = 1; w <= options.Workers; w++) StartWorker($"worker-{w}");
            await LoadLibraryAsync(timeout.Token);

            videos = PlanVideos();
            await ChaosAsync(videos, timeout.Token);
            await QuiesceAsync(videos, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            abort = stop.IsCancellationRequested ? "stopped by a signal" : $"the deadline of {options.DeadlineMinutes} min ran out";
        }
        catch (SoakAbort e)
        {
            abort = e.Message;
        }
        catch (Exception e)
        {
            abort = e.ToString();
        }
        if (abort is not null) Say($"ABORTED: {abort}");
        checks.Add("the soak ran to its end", abort is null, abort ?? "");

        // While the hosts still run: no media tool may be left working once every job is done.
        var toolsBefore = Processes.ToolsUnder(options.StorageRoot);
        checks.Add("no ffmpeg/espeak-ng running once the jobs were done", toolsBefore.Count == 0, Describe(toolsBefore));
        await StopEverythingAsync(checks);
        if (_receiver is not null) await _receiver.DisposeAsync();

        var wall = _clock.Elapsed;
        await CheckAsync(videos, checks);
        var report = Report(videos, checks, wall);
        await File.WriteAllTextAsync(Path.Combine(options.State, "soak-report.txt"), report);
        lock (_events) File.WriteAllLines(Path.Combine(options.State, "soak-events.txt"), _events);
        Console.WriteLine(report);
        return checks.AllPassed ? 0 : 1;
    }

    private void Say(string line)
    {
        var text = $"[{_clock.Elapsed.TotalSeconds,7:0.0} s] {line}";
        lock (_events) _events.Add(text);
        Console.WriteLine(text);
    }

    private Dictionary<string, string> HostEnvironment(string application) => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__VidPress"] = options.ConnectionString + ";Application Name=soak-" + application,
        ["Storage__Root"] = options.StorageRoot,
        ["Clip__ModelPath"] = Path.Combine(options.Root, "models", "tiny-clip"),
        // The receiver listens on 127.0.0.1: callback URLs to loopback are refused unless this is on (it is off by default).
        ["Network__AllowLoopback"] = "true",
        ["Downloads__SigningKey"] = _signingKey,
        ["Webhooks__Secret"] = _serviceSecret,
        ["Webhooks__PublicBaseUrl"] = _apiUrl.Length > 0 ? _apiUrl : "http://127.0.0.1:5080",
        // A refused delivery is retried within seconds, not the default hours, so the soak sees it through.
        ["Webhooks__RetryDelaysSeconds__0"] = "2",
        ["Webhooks__RetryDelaysSeconds__1"] = "5",
        ["Webhooks__RetryDelaysSeconds__2"] = "10",
        ["Webhooks__RetryDelaysSeconds__3"] = "20",
        ["Webhooks__RetryDelaysSeconds__4"] = "30",
        ["Generation__Enabled"] = "false",
        ["Rendering__Preset"] = "ultrafast",
        ["Jobs__InvisibilityTimeoutSeconds"] = options.InvisibilitySeconds.ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft"] = "Warning",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging__LogLevel__Hangfire"] = "Information",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
    };

    private Child StartChild(string name, string project, Dictionary<string, string> environment, IEnumerable<string> arguments)
    {
        _incarnations[name] = _incarnations.GetValueOrDefault(name) + 1;
        var log = Path.Combine(options.Logs, $"{name}.{_incarnations[name]}.log");
        var child = Child.Start(name, Dll(project), Path.GetDirectoryName(Dll(project))!, environment, arguments, log);
        _everyChild.Add(child);
        _groups.Add(child.Pid);
        // run.sh kills any group still alive from this list should this process itself be killed.
        File.AppendAllText(Path.Combine(options.State, "groups"), child.Pid.ToString(CultureInfo.InvariantCulture) + "\n");
        return child;
    }

    private async Task<string> AdminAsync(CancellationToken ct, params string[] verb)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Dll("VidPress.Api"))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll("VidPress.Api"));
        start.ArgumentList.Add("admin");
        foreach (var v in verb) start.ArgumentList.Add(v);
        start.Environment["ConnectionStrings__VidPress"] = options.ConnectionString;
        start.Environment["Storage__Root"] = options.StorageRoot;
        start.Environment["Clip__ModelPath"] = Path.Combine(options.Root, "models", "tiny-clip");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new SoakAbort($"admin {string.Join(' ', verb)}: exit {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private async Task StartApiAsync(CancellationToken ct)
    {
        // A free port: bound and let go, then handed to the API.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _apiUrl = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
            probe.Stop();
        }
        var environment = HostEnvironment("api");
        // The API only takes requests and enqueues: no Hangfire server in it, so every job runs in a worker process.
        environment["Jobs__RunWorkersInProcess"] = "false";
        _api = StartChild("api", "VidPress.Api", environment, ["--urls", _apiUrl]);
        using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = _clock.Elapsed + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                using var live = await health.GetAsync(_apiUrl + "/health/live", ct);
                if (live.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            if (_api.HasExited) throw new SoakAbort($"the API exited at start; see {_api.LogPath}");
            if (_clock.Elapsed > until) throw new SoakAbort($"the API did not answer /health/live in 3 minutes; see {_api.LogPath}");
            await Task.Delay(500, ct);
        }
        Say($"API {_apiUrl} (pid {_api.Pid}, in-process workers off); webhook receiver {_receiver.BaseUrl}");
    }

    private void StartWorker(string name)
    {
        var environment = HostEnvironment(name);
        environment["Jobs__WorkerCount"] = options.WorkerSlots.ToString(CultureInfo.InvariantCulture);
        var worker = StartChild(name, "VidPress.Worker", environment, []);
        _workers[name] = worker;
        Say($"{name} started (pid {worker.Pid}, start {_incarnations[name]})");
    }

    /// <summary>A few coloured clips made with ffmpeg's lavfi, uploaded through the API and ingested by the workers.</summary>
    private async Task LoadLibraryAsync(CancellationToken ct)
    {
        var folder = Path.Combine(options.State, "library");
        Directory.CreateDirectory(folder);
        var ids = new List<Guid>();
        foreach (var colour in Colours)
        {
            var file = Path.Combine(folder, colour + ".mp4");
            await ToolAsync("ffmpeg", ct, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
                "-i", $"color=c={colour}:s=1280x720:r=25:d=6", "-vf", "noise=alls=14:allf=t,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", file);
            using var form = new MultipartFormDataContent();
            var content = new ByteArrayContent(await File.ReadAllBytesAsync(file, ct));
            content.Headers.ContentType = new("video/mp4");
            form.Add(content, "file", colour + ".mp4");
            form.Add(new StringContent($"{colour} lights"), "title");
            form.Add(new StringContent($"{colour},lights,city"), "tags");
            using var upload = await _http.PostAsync("/library/assets", form, ct);
            if (!upload.IsSuccessStatusCode)
                throw new SoakAbort($"uploading {colour}.mp4: {(int)upload.StatusCode} {await upload.Content.ReadAsStringAsync(ct)}");
            ids.Add((await upload.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid());
        }
        var until = _clock.Elapsed + TimeSpan.FromMinutes(5);
        foreach (var id in ids)
            while (true)
            {
                var asset = await _http.GetFromJsonAsync<JsonElement>($"/library/assets/{id}", ct);
                var status = asset.GetProperty("status").GetString();
                if (status == "ready") break;
                if (status == "failed") throw new SoakAbort($"asset {id} failed to ingest: {asset}");
                if (_clock.Elapsed > until) throw new SoakAbort($"asset {id} still {status} after 5 minutes");
                await Task.Delay(500, ct);
            }
        Say($"library: {ids.Count} coloured clips ingested");
    }

    private static async Task<string> ToolAsync(string tool, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new SoakAbort($"{tool} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private List<PostedVideo> PlanVideos()
    {
        var list = new List<PostedVideo>();
        for (var i = 0; i < options.Videos; i++)
        {
            var colour = Colours[_random.Next(Colours.Length)];
            var place = Places[_random.Next(Places.Length)];
            var other = Places[_random.Next(Places.Length)];
            var day = Days[_random.Next(Days.Length)];
            var sentences = new List<string>
            {
                $"The city switched on {colour} lights along the {place} on {day} evening.",
                $"Residents said the {colour} glow could be seen from the {other}.",
                "The council will decide next week whether the lights stay.",
                $"Shop owners near the {place} said they welcomed the visitors.",
            };
            var text = string.Join(' ', sentences.Take(2 + _random.Next(3)));
            var target = _random.Next(options.TargetSeconds.Min, options.TargetSeconds.Max + 1);
            var body = new
            {
                text, title = $"{char.ToUpperInvariant(colour[0])}{colour[1..]} lights at the {place}", language = "en",
                targetDurationSeconds = target, aspectRatio = "16:9", resolution = "720p",
                callbackUrl = $"{_receiver.BaseUrl}/hooks/{i}",
            };
            list.Add(new PostedVideo(i, $"soak-{options.Seed}-{i}", body, target));
        }
        return list;
    }

    private double Uniform((double Min, double Max) range) => range.Min + _random.NextDouble() * (range.Max - range.Min);

    /// <summary>Posts the videos at random gaps while workers are killed and restarted and PostgreSQL restarts once.</summary>
    private async Task ChaosAsync(List<PostedVideo> videos, CancellationToken ct)
    {
        var start = _clock.Elapsed;
        var nextPost = start;
        var posted = 0;
        var nextKill = start + TimeSpan.FromSeconds(Uniform(options.KillGapSeconds));
        // Mid-run: once 40–60 % of the videos are posted, with renders, narrations and webhooks in flight.
        var restartAfter = (int)Math.Round(options.Videos * (0.4 + 0.2 * _random.NextDouble()));
        Task? pgRestart = null;
        var lastPoll = TimeSpan.Zero;
        TimeSpan? idleSince = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var now = _clock.Elapsed;
            if (posted < videos.Count && now >= nextPost)
            {
                var video = videos[posted++];
                video.Posting = PostAsync(video, ct);
                nextPost = now + TimeSpan.FromSeconds(Uniform(options.PostGapSeconds));
                if (posted == videos.Count) _allPostedAt = now;
            }
            if (pgRestart is null && posted >= restartAfter) pgRestart = RestartPostgresAsync(videos, ct);
            foreach (var due in _pendingRestarts.Where(r => r.Due <= now).ToList())
            {
                _pendingRestarts.Remove(due);
                StartWorker(due.Worker);
            }
            if (now - lastPoll >= TimeSpan.FromSeconds(1))
            {
                lastPoll = now;
                await PollAsync(videos, ct);
            }
            var unfinished = videos.Any(v => v.Id is null || !Terminal.Contains(v.Status));
            var chaosOn = unfinished && (posted < videos.Count || _kills.Count < options.MinKills || now < _allPostedAt + TimeSpan.FromSeconds(30));
            if (chaosOn && now >= nextKill)
            {
                await KillOneAsync(videos, ct);
                nextKill = now + TimeSpan.FromSeconds(Uniform(options.KillGapSeconds));
            }
            if (!unfinished && pgRestart is { IsCompleted: true } && _pendingRestarts.Count == 0) break;
            // A video left unfinished with no job left to run it is lost: said at once, instead of waiting for the deadline.
            // Quiet means no chaos and no Hangfire job pending for longer than a killed job's hand-over (invisibility
            // timeout) and a left lock's takeover (Jobs:DistributedLockTimeoutSeconds, 60 s) take together.
            if (!chaosOn && pgRestart is { IsCompleted: true } && _pendingRestarts.Count == 0 && now - lastPoll < TimeSpan.FromMilliseconds(300))
            {
                idleSince = await HangfireBusyAsync() == 0 ? idleSince ?? now : null;
                if (idleSince is { } since && now - since > TimeSpan.FromSeconds(options.InvisibilitySeconds + 90))
                {
                    Say($"STALLED: no Hangfire job pending for {(now - since).TotalSeconds:0} s, yet unfinished: " +
                        string.Join("; ", videos.Where(v => v.Id is null || !Terminal.Contains(v.Status))
                            .Select(v => $"video {v.Index} {v.Id} {v.Status}/{v.Stage}")));
                    break;
                }
            }
            // A stuck video must not make the soak run for ever: the deadline (ct) ends it.
            await Task.Delay(200, ct);
        }
        await pgRestart;
        Say($"every video ended: {string.Join(", ", videos.GroupBy(v => v.Status).Select(g => $"{g.Count()} {g.Key}"))}");
    }

    private async Task PostAsync(PostedVideo video, CancellationToken ct)
    {
        video.SentAt = DateTimeOffset.UtcNow;
        // Retried with the same Idempotency-Key until answered 202 (the database may be restarting): one video however often.
        while (true)
        {
            video.PostAttempts++;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/videos") { Content = JsonContent.Create(video.Body) };
                request.Headers.Add("Idempotency-Key", video.IdempotencyKey);
                using var response = await _http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    video.Id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
                    return;
                }
                video.PostErrors.Add($"{(int)response.StatusCode}");
                if ((int)response.StatusCode is >= 400 and < 500 and not 429 and not 408)
                    throw new SoakAbort($"video {video.Index} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
            catch (HttpRequestException e)
            {
                video.PostErrors.Add(e.HttpRequestError.ToString());
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                video.PostErrors.Add("timeout");
            }
            await Task.Delay(1000, ct);
        }
    }

    private async Task PollAsync(List<PostedVideo> videos, CancellationToken ct)
    {
        foreach (var failed in videos.Where(v => v.Posting is { IsFaulted: true }).ToList())
            throw failed.Posting!.Exception!.InnerException!;
        var ids = videos.Where(v => v.Id is not null).Select(v => v.Id!.Value).ToArray();
        if (ids.Length == 0) return;
        try
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString + ";Timeout=3;Command Timeout=5");
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("""SELECT "Id", "Status", "Stage" FROM videos WHERE "Id" = ANY(@ids)""", connection);
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var byId = videos.Where(v => v.Id is not null).ToDictionary(v => v.Id!.Value);
            while (await reader.ReadAsync(ct))
            {
                var video = byId[reader.GetGuid(0)];
                var status = reader.GetString(1);
                var stage = reader.GetString(2);
                if (status != video.Status && Terminal.Contains(status)) Say($"video {video.Index} {status.ToLowerInvariant()} ({video.Id})");
                video.Status = status;
                video.Stage = stage;
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // The database is restarting; the next poll reads it.
        }
    }

    /// <summary>A job a worker holds: what it is, and whether it is past its first seconds (a stage saved, or a webhook).</summary>
    private sealed record HeldJob(string What, bool Advanced);

    /// <summary>Which workers hold a job now (Hangfire's Processing state names its server: host:pid:guid).</summary>
    private async Task<Dictionary<int, List<HeldJob>>> RunningJobsAsync(List<PostedVideo> videos)
    {
        var running = new Dictionary<int, List<HeldJob>>();
        try
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString + ";Timeout=3;Command Timeout=5");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT s.data ->> 'ServerId', j.invocationdata ->> 'Type', j.arguments::text
                FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Processing'
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var byId = videos.Where(v => v.Id is not null).ToDictionary(v => v.Id!.Value.ToString());
            while (await reader.ReadAsync())
            {
                if (reader.IsDBNull(0)) continue;
                var parts = reader.GetString(0).Split(':');
                if (parts.Length < 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)) continue;
                var type = reader.IsDBNull(1) ? "?" : reader.GetString(1).Split(',')[0].Split('.')[^1];
                var arguments = reader.IsDBNull(2) ? "" : reader.GetString(2);
                var video = byId.FirstOrDefault(v => arguments.Contains(v.Key, StringComparison.Ordinal)).Value;
                var job = video is null ? new HeldJob(type, true)
                    : type == "VideoJob" ? new HeldJob($"{type} video {video.Index} (stage {video.Stage})", video.Stage is not ("Queued" or ""))
                    : new HeldJob($"{type} video {video.Index}", true);
                (running.TryGetValue(pid, out var list) ? list : running[pid] = []).Add(job);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException) { }
        return running;
    }

    /// <summary>
    /// kill -9 of one worker's process group; it is started again after a moment. The target is drawn from the
    /// workers holding a job, mostly (7 in 10) from those whose job is past its first seconds (narrating,
    /// rendering, publishing, delivering a webhook), since a kill right after a restart only tests the restart.
    /// </summary>
    private async Task KillOneAsync(List<PostedVideo> videos, CancellationToken ct)
    {
        var live = _workers.Where(w => w.Value is { HasExited: false }).ToList();
        if (live.Count == 0) return;
        await PollAsync(videos, ct);
        var running = await RunningJobsAsync(videos);
        var busy = live.Where(w => running.ContainsKey(w.Value!.Pid)).ToList();
        var advanced = busy.Where(w => running[w.Value!.Pid].Any(j => j.Advanced)).ToList();
        var pool = advanced.Count > 0 && _random.NextDouble() < 0.7 ? advanced : busy.Count > 0 ? busy : live;
        var pick = pool[_random.Next(pool.Count)];
        var worker = pick.Value!;
        var jobs = running.GetValueOrDefault(worker.Pid) ?? [];
        var what = jobs.Count > 0 ? string.Join("; ", jobs.Select(j => j.What)) : "idle";
        var tools = Processes.InGroups(new HashSet<int> { worker.Pid }).Count(p => p.Pid != worker.Pid);
        worker.KillGroup();
        _workers[pick.Key] = null;
        _kills.Add(new Kill(_clock.Elapsed, pick.Key, worker.Pid, jobs.Count > 0, $"{what}; {tools} child processes"));
        Say($"kill -9 #{_kills.Count}: {pick.Key} (group {worker.Pid}, {tools} child processes) running: {what}");
        _pendingRestarts.Add((pick.Key, _clock.Elapsed + TimeSpan.FromSeconds(Uniform(options.RestartDelaySeconds))));
    }

    private async Task RestartPostgresAsync(List<PostedVideo> videos, CancellationToken ct)
    {
        var running = videos.Count(v => v.Id is not null && v.Status is "Running");
        var clock = Stopwatch.StartNew();
        Say($"PostgreSQL: stop -m {options.PgRestartMode} ({running} videos running)");
        await PgCtlAsync(ct, "-m", options.PgRestartMode, "-w", "stop");
        await Task.Delay(TimeSpan.FromSeconds(options.PgOutageSeconds), ct);
        await PgCtlAsync(ct, "-l", Path.Combine(Path.GetDirectoryName(options.PgData)!, "postgres.log"), "-w", "-t", "60", "start");
        _pgRestarts++;
        _pgRestartNote = $"-m {options.PgRestartMode}, down {clock.Elapsed.TotalSeconds:0.0} s, {running} videos running";
        Say($"PostgreSQL back after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task PgCtlAsync(CancellationToken ct, params string[] arguments)
    {
        const string pgCtl = "/usr/lib/postgresql/15/bin/pg_ctl";
        // initdb and pg_ctl refuse root; the project's cluster runs as 'postgres' (see ./vidpress).
        string[] command = Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--", pgCtl] : [pgCtl];
        await ToolAsync(command[0], ct, [.. command[1..], "-D", options.PgData, .. arguments]);
    }

    /// <summary>
    /// After every video ended: waits for the webhooks (a success seen by the receiver for each) and for Hangfire to
    /// run dry (a job whose worker was killed is handed on after the invisibility timeout), then a little longer for
    /// late duplicates.
    /// </summary>
    private async Task QuiesceAsync(List<PostedVideo> videos, CancellationToken ct)
    {
        var until = _clock.Elapsed + TimeSpan.FromMinutes(4);
        while (true)
        {
            var hooked = videos.Where(v => v.Status == "Succeeded").All(v => _receiver.Deliveries.Any(d => d.VideoId == v.Id && d.Answer == 204));
            var busy = await HangfireBusyAsync();
            var staged = videos.All(v => v.Stage == "Done");
            if (hooked && busy == 0 && staged) break;
            if (_clock.Elapsed > until)
            {
                Say($"still not quiet after 4 minutes: webhooks {(hooked ? "all in" : "missing")}, {busy} Hangfire jobs pending, " +
                    $"stages {(staged ? "done" : "not done")}");
                break;
            }
            await Task.Delay(1000, ct);
            await PollAsync(videos, ct);
        }
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        Say("quiet: every success webhook received and no Hangfire job pending");
    }

    private async Task<long> HangfireBusyAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString + ";Timeout=3;Command Timeout=5");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting'))" +
                " + (SELECT count(*) FROM hangfire.jobqueue)",
                connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { return -1; }
    }

    private async Task StopEverythingAsync(Checks checks)
    {
        var unstopped = new List<string>();
        foreach (var child in _everyChild.Where(c => !c.HasExited))
        {
            if (!await Task.Run(() => child.Stop(TimeSpan.FromSeconds(30))))
            {
                unstopped.Add($"{child.Name} (pid {child.Pid})");
                child.KillGroup();
            }
        }
        checks.Add("every host stopped on SIGTERM within 30 s", unstopped.Count == 0, string.Join(", ", unstopped));
        // Anything the hosts started (ffmpeg, espeak-ng) is in their process groups.
        await Task.Delay(500);
        var left = Processes.InGroups(_groups);
        foreach (var group in left.Select(p => p.Group).Distinct()) Native.Signal(-group, Native.SigKill);
        checks.Add("no process of the soak's hosts left running", left.Count == 0, Describe(left));
        var tools = Processes.ToolsUnder(options.StorageRoot);
        checks.Add("no ffmpeg/espeak-ng left on the soak's files", tools.Count == 0, Describe(tools));
    }

    private static string Describe(List<Processes.Info> processes) =>
        string.Join("; ", processes.Select(p => $"{p.Pid} {p.CommandLine[..Math.Min(140, p.CommandLine.Length)]}"));

    private async Task CheckAsync(List<PostedVideo> videos, Checks checks)
    {
        var deliveries = _receiver?.Deliveries ?? [];
        var posted = videos.Where(v => v.Id is not null).ToList();
        checks.Add($"all {options.Videos} videos accepted (202)", posted.Count == options.Videos && options.Videos == videos.Count, $"{posted.Count} accepted");
        checks.Add($"at least {options.MinKills} workers killed", _kills.Count >= options.MinKills, $"{_kills.Count} kills");
        checks.Add("PostgreSQL restarted once", _pgRestarts == 1, $"{_pgRestarts} restarts");

        var rows = new Dictionary<Guid, (string Status, string Stage, string? OutputKey, double? Duration, Guid Tenant, int Attempt)>();
        long tenantVideos = -1, failedJobs = -1, pendingJobs = -1;
        var deliveryRows = new Dictionary<Guid, (long Succeeded, long Other)>();
        var failedJobList = "";
        try
        {
            await using var db = new NpgsqlConnection(options.ConnectionString);
            await db.OpenAsync();
            await using (var command = new NpgsqlCommand("""
                SELECT "Id", "Status", "Stage", "OutputKey", "DurationSeconds", "TenantId", "Attempt" FROM videos WHERE "Id" = ANY(@ids)
                """, db))
            {
                command.Parameters.AddWithValue("ids", posted.Select(v => v.Id!.Value).ToArray());
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    rows[reader.GetGuid(0)] = (reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.GetGuid(5), reader.GetInt32(6));
            }
            if (rows.Count > 0)
            {
                await using var count = new NpgsqlCommand("""SELECT count(*) FROM videos WHERE "TenantId" = @t""", db);
                count.Parameters.AddWithValue("t", rows.Values.First().Tenant);
                tenantVideos = (long)(await count.ExecuteScalarAsync())!;
            }
            await using (var command = new NpgsqlCommand("""
                SELECT "VideoId", count(*) FILTER (WHERE "Succeeded" AND "EventType" = 'video.succeeded'),
                    count(*) FILTER (WHERE "EventType" <> 'video.succeeded')
                FROM webhook_deliveries GROUP BY "VideoId"
                """, db))
            {
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) deliveryRows[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }
            await using (var command = new NpgsqlCommand(
                "SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')", db))
                pendingJobs = (long)(await command.ExecuteScalarAsync())!;
            await using (var command = new NpgsqlCommand("""
                SELECT j.id || ' ' || (j.invocationdata ->> 'Type') || ' ' || j.arguments::text || ': ' || coalesce(s.reason, '')
                FROM hangfire.job j LEFT JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Failed'
                """, db))
            {
                var failed = new List<string>();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) failed.Add(reader.GetString(0));
                failedJobs = failed.Count;
                failedJobList = string.Join("; ", failed);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            checks.Add("the database could be read for the checks", false, e.Message);
        }
        checks.Add($"the tenant has exactly {options.Videos} videos (no POST retry made a second)", tenantVideos == options.Videos, $"{tenantVideos} videos");
        checks.Add("no Hangfire job left enqueued, processing or scheduled", pendingJobs == 0, $"{pendingJobs} pending");
        checks.Add("no Hangfire job failed", failedJobs == 0, failedJobList);

        var notSucceeded = new List<string>();
        var badFiles = new List<string>();
        var badDurations = new List<string>();
        var hookProblems = new List<string>();
        var durations = new List<double>();
        foreach (var video in posted)
        {
            var id = video.Id!.Value;
            if (!rows.TryGetValue(id, out var row)) { notSucceeded.Add($"#{video.Index} {id}: no row"); continue; }
            if (row.Status != "Succeeded" || row.Stage != "Done") notSucceeded.Add($"#{video.Index} {id}: {row.Status}/{row.Stage}");
            var folder = Path.Combine(options.StorageRoot, "tenants", row.Tenant.ToString("N"), "videos", id.ToString("N"));
            var expectedKey = $"tenants/{row.Tenant:N}/videos/{id:N}/video.mp4";
            var files = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order().ToList() : [];
            var mp4s = files.Where(f => f.Contains(".mp4", StringComparison.Ordinal)).ToList();
            var others = files.Except(["video.mp4", "poster.jpg", "narration.wav"]).ToList();
            if (row.OutputKey != expectedKey || mp4s is not ["video.mp4"] || others.Count > 0)
                badFiles.Add($"#{video.Index} {id}: output key {row.OutputKey ?? "none"}, files [{string.Join(", ", files)}]");
            if (mp4s.Contains("video.mp4"))
            {
                var probed = await ProbeSecondsAsync(Path.Combine(folder, "video.mp4"));
                if (probed is { } seconds) durations.Add(seconds);
                if (probed is not { } s || row.Duration is not { } d || Math.Abs(s - d) > 0.3 || s < 2 || s > 2 * video.TargetSeconds + 2)
                    badDurations.Add($"#{video.Index} {id}: ffprobe {probed?.ToString("0.00", CultureInfo.InvariantCulture) ?? "unreadable"} s, " +
                        $"row {row.Duration?.ToString("0.00", CultureInfo.InvariantCulture) ?? "none"} s, target {video.TargetSeconds} s");
            }
            var mine = deliveries.Where(d => d.VideoId == id).ToList();
            var accepted = mine.Where(d => d.Answer == 204).ToList();
            var ids = accepted.Where(d => d.Type == "video.succeeded").Select(d => d.WebhookId).Distinct().ToList();
            // One event per run's outcome: the run that succeeded is the video's last (its fencing token).
            var expectedId = $"msg_{id:N}_video_succeeded_run{row.Attempt}";
            if (ids is not [var only] || only != expectedId || mine.Any(d => d.Type != "video.succeeded"))
                hookProblems.Add($"#{video.Index} {id}: accepted ids [{string.Join(", ", ids)}], " +
                    $"types [{string.Join(", ", mine.Select(d => d.Type).Distinct())}]");
            if (deliveryRows.GetValueOrDefault(id) is var (succeededRows, otherRows) && (succeededRows < 1 || otherRows > 0))
                hookProblems.Add($"#{video.Index} {id}: webhook_deliveries has {succeededRows} succeeded video.succeeded rows and {otherRows} of other events");
        }
        _runs = rows.Values.Select(r => r.Attempt).Order().ToList();
        checks.Add("every video succeeded (status Succeeded, stage Done)", notSucceeded.Count == 0 && posted.Count > 0, string.Join("; ", notSucceeded));
        checks.Add("one output key and one MP4 per video, nothing else in its folder", badFiles.Count == 0 && posted.Count > 0, string.Join("; ", badFiles));
        checks.Add("ffprobe reads each MP4 with the duration the API reports (±0.3 s)",
            badDurations.Count == 0 && durations.Count > 0, string.Join("; ", badDurations));
        checks.Add("one logical success webhook per video (one webhook-id, accepted), no other event",
            hookProblems.Count == 0 && posted.Count > 0, string.Join("; ", hookProblems));
        var unsigned = deliveries.Where(d => !d.SignatureValid).ToList();
        checks.Add("every delivery's Standard Webhooks signature verifies",
            unsigned.Count == 0, string.Join("; ", unsigned.Select(d => $"{d.WebhookId} {d.Type}")));
        checks.Add("no video.failed webhook", deliveries.All(d => d.Type != "video.failed"), "");

        var scratch = Path.Combine(options.StorageRoot, "scratch");
        var leftovers = Directory.Exists(scratch) ? Directory.GetFileSystemEntries(scratch).Select(Path.GetFileName).ToList() : [];
        checks.Add("no orphaned scratch folders or files under the storage root's scratch", leftovers.Count == 0, string.Join(", ", leftovers));
        var partial = Directory.GetFiles(options.StorageRoot, "*.partial-*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(options.StorageRoot, f)).ToList();
        checks.Add("no half-written (.partial-) files under the storage root", partial.Count == 0, string.Join(", ", partial));
        _durations = durations;
        _orphans = leftovers.Count + partial.Count;
    }

    private List<double> _durations = [];
    private List<int> _runs = [];
    private int _orphans = -1;

    private static async Task<double?> ProbeSecondsAsync(string path)
    {
        try
        {
            var text = await ToolAsync("ffprobe", CancellationToken.None, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path);
            return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        }
        catch (SoakAbort) { return null; }
    }

    private string Report(List<PostedVideo> videos, Checks checks, TimeSpan wall)
    {
        var deliveries = _receiver?.Deliveries ?? [];
        var accepted = deliveries.Where(d => d.Answer == 204).ToList();
        var distinct = accepted.Select(d => d.WebhookId).Distinct().Count();
        var duplicates = accepted.Count - distinct;
        var refused = deliveries.Count(d => d.Answer == 503);
        // End to end: from the first POST attempt to the first accepted success webhook.
        var endToEnd = videos.Where(v => v.Id is not null && v.SentAt is not null)
            .Select(v => accepted.Where(d => d.VideoId == v.Id && d.Type == "video.succeeded").Select(d => (DateTimeOffset?)d.At).Min() - v.SentAt)
            .OfType<TimeSpan>().Select(t => t.TotalSeconds).Order().ToList();
        static double Percentile(List<double> sorted, double p) => sorted.Count == 0
            ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        var succeeded = videos.Count(v => v.Status == "Succeeded");
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"Fault soak, seed {options.Seed}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"  kills ({_kills.Count}, {_kills.Count(k => k.Busy)} of a worker holding a job, " +
            $"{_kills.Count(k => k.Running.Contains("(stage Render)", StringComparison.Ordinal))} mid-render):");
        foreach (var k in _kills) text.AppendLine($"    {k.At.TotalSeconds,7:0.0} s  {k.Worker} pid {k.Pid}: {k.Running}");
        text.AppendLine($"  PostgreSQL restarts: {_pgRestarts} ({_pgRestartNote})");
        text.AppendLine($"  POSTs: {videos.Sum(v => v.PostAttempts)} for {videos.Count(v => v.Id is not null)} videos; " +
            $"answers other than 202: {string.Join(", ", videos.SelectMany(v => v.PostErrors).GroupBy(e => e)
                .Select(g => $"{g.Count()}x {g.Key}").DefaultIfEmpty("none"))}");
        text.AppendLine($"  webhooks: {deliveries.Count} deliveries, {distinct} distinct ids accepted, {duplicates} duplicate deliveries of an accepted id, " +
            $"{refused} refused (503) by the receiver and retried");
        if (_durations.Count > 0) text.AppendLine($"  MP4 durations {_durations.Min():0.0}–{_durations.Max():0.0} s");
        // Each run of a video's job takes a fencing token: a video killed twice and then finished took three.
        if (_runs.Count > 0)
            text.AppendLine($"  runs per video (fencing tokens): {string.Join(", ", _runs.GroupBy(r => r).Select(g => $"{g.Count()} videos x {g.Key}"))}");
        text.AppendLine("  checks:");
        foreach (var c in checks.All)
            text.AppendLine($"    [{(c.Passed ? "ok" : "FAIL")}] {c.Name}{(c.Passed || c.Detail.Length == 0 ? "" : ": " + c.Detail)}");
        text.AppendLine($"  logs: {options.Logs}");
        text.AppendLine(CultureInfo.InvariantCulture, $"SOAK {(checks.AllPassed ? "PASSED" : "FAILED")}: videos {succeeded}/{options.Videos} succeeded, " +
            $"kills {_kills.Count}, PG restarts {_pgRestarts}, " +
            $"duplicates {duplicates}, failed events {deliveries.Count(d => d.Type == "video.failed")}, orphans {_orphans}, " +
            $"wall {wall.TotalSeconds:0} s, end-to-end p50 {Percentile(endToEnd, 50):0.0} s p95 {Percentile(endToEnd, 95):0.0} s, seed {options.Seed}");
        return text.ToString();
    }
}

public sealed class SoakAbort(string message) : Exception(message);

public sealed class Checks
{
    public sealed record Check(string Name, bool Passed, string Detail);

    private readonly List<Check> _all = [];
    public IReadOnlyList<Check> All => _all;
    public bool AllPassed => _all.All(c => c.Passed);
    public void Add(string name, bool passed, string detail) => _all.Add(new Check(name, passed, detail));
}
