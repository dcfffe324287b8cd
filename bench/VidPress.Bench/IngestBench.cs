using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Core.Media;

/// <summary>
/// Ingest benchmark: C clips of S seconds of 1280x720 25 fps H.264 (x264 veryfast, keyframe every 250 frames), each six
/// equal scenes of moving synthetic footage with light grain made with ffmpeg, at 4 Mb/s (a typical 720p news
/// clip's rate; decoding cost follows the bitrate), probed and ingested one after another
/// through the service's own LibraryIngest (scene scores, keyframe decode, CLIP embedding, quality, thumbnails,
/// rows) with the tiny CLIP model, in a fresh database. Reports seconds of footage per wall-clock second.
///   VidPress.Bench ingest [clips=3] [seconds=60] [height=720]
/// Other heights keep 16:9 and 25 fps, with the bitrate scaled by the pixel count (360p: 1 Mb/s, 1080p: 9 Mb/s).
/// </summary>
internal static class IngestBench
{
    public static async Task RunAsync(string[] args)
    {
        var clips = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var height = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 720;
        var root = RepositoryRoot();
        var work = Environment.GetEnvironmentVariable("VIDPRESS_BENCH_WORK") ?? Path.Combine(Path.GetTempPath(), "vidpress-ingest-bench");
        Directory.CreateDirectory(work);
        var files = new List<string>();
        for (var c = 0; c < clips; c++) files.Add(await MakeClipAsync(work, c, seconds, height));

        var admin = Environment.GetEnvironmentVariable("VIDPRESS_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres";
        var dbName = "vidpress_ingest_" + Guid.NewGuid().ToString("N")[..8];
        await using (var c = new NpgsqlConnection(admin)) { await c.OpenAsync(); await new NpgsqlCommand($"CREATE DATABASE {dbName}", c).ExecuteNonQueryAsync(); }
        var storageRoot = Path.Combine(work, "storage-" + dbName);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:VidPress"] = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString,
                ["Storage:Root"] = storageRoot,
                // VIDPRESS_BENCH_CLIP=vit-b32 ingests with the ViT-B/32 architecture (ClipBench) instead of the tiny model.
                ["Clip:ModelPath"] = Environment.GetEnvironmentVariable("VIDPRESS_BENCH_CLIP") == "vit-b32"
                    ? ClipBench.EnsureVitB32(Path.Combine(root, "models", "tiny-clip"))
                    : Path.Combine(root, "models", "tiny-clip"),
                ["Downloads:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            }).Build();
            var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddLogging(l => l.AddProvider(new StageLogger()).SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft", LogLevel.None).AddFilter(typeof(LibraryIngest).FullName, LogLevel.Information))
                .AddVidPressPipeline(configuration)
                .BuildServiceProvider();
            await using (var scope = services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<VidPressDbContext>().Database.MigrateAsync();

            // Uploads first (probe, hash, storage, row), as the API makes them; then the ingests, timed.
            var assets = new List<(Guid Id, MediaInfo Info)>();
            for (var i = 0; i < files.Count; i++)
            {
                await using var scope = services.CreateAsyncScope();
                var sp = scope.ServiceProvider;
                var db = sp.GetRequiredService<VidPressDbContext>();
                var info = await sp.GetRequiredService<MediaProbe>().ProbeAsync(files[i], default);
                var id = Guid.NewGuid();
                var asset = new Asset
                {
                    Id = id, TenantId = Tenant.DefaultId, Kind = AssetKind.Video, Status = AssetStatus.Ingesting, Title = Path.GetFileNameWithoutExtension(files[i]),
                    Tags = [], FileName = Path.GetFileName(files[i]), StorageKey = StorageKeys.AssetOriginal(Tenant.DefaultId, id, ".mp4"),
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(files[i]))), SizeBytes = new FileInfo(files[i]).Length,
                    Width = info.Width, Height = info.Height, DurationSeconds = info.DurationSeconds, FrameRate = info.FrameRate, CreatedAt = DateTimeOffset.UtcNow,
                    SearchTerms = "",
                };
                // Storage takes the file over (moves it): give it a copy, the clip is kept for the next run.
                var upload = Path.Combine(work, "upload.mp4");
                File.Copy(files[i], upload, overwrite: true);
                await sp.GetRequiredService<IMediaStorage>().ImportFileAsync(asset.StorageKey, upload, default);
                db.Assets.Add(asset);
                await db.SaveChangesAsync();
                assets.Add((id, info));
            }

            async Task<double> IngestAsync(int i)
            {
                await using var scope = services.CreateAsyncScope();
                var sp = scope.ServiceProvider;
                var (id, info) = assets[i];
                var sw = Stopwatch.StartNew();
                await sp.GetRequiredService<LibraryIngest>().IngestAsync(id, default);
                var elapsed = sw.Elapsed.TotalSeconds;
                var db = sp.GetRequiredService<VidPressDbContext>();
                var shots = await db.Shots.CountAsync(s => s.AssetId == id);
                var keyframes = await db.Keyframes.CountAsync(k => k.Shot!.AssetId == id);
                Console.WriteLine($"clip {i + 1}: {info.DurationSeconds:0.0} s of {info.Width}x{info.Height} in {elapsed:0.00} s = {info.DurationSeconds / elapsed:0.0}x realtime " +
                    $"({shots} shots, {keyframes} keyframes){(i == 0 && assets.Count > 1 ? " [warm-up, not counted]" : "")}");
                return elapsed;
            }

            // The first asset also pays for loading the CLIP model and ONNX Runtime's first run: reported, not counted.
            // VIDPRESS_BENCH_PARALLEL=N ingests the others N at a time, as a worker with N job slots does during an import.
            var parallel = int.Parse(Environment.GetEnvironmentVariable("VIDPRESS_BENCH_PARALLEL") ?? "1", CultureInfo.InvariantCulture);
            double footage, wall;
            if (assets.Count == 1)
            {
                footage = assets[0].Info.DurationSeconds;
                wall = await IngestAsync(0);
            }
            else
            {
                await IngestAsync(0);
                var clock = Stopwatch.StartNew();
                await Parallel.ForEachAsync(Enumerable.Range(1, assets.Count - 1), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) => await IngestAsync(i));
                wall = clock.Elapsed.TotalSeconds;
                footage = assets.Skip(1).Sum(a => a.Info.DurationSeconds);
            }
            Console.WriteLine($"ingest: {footage:0} s of footage in {wall:0.00} s wall-clock = {footage / wall:0.0}x realtime ({Environment.ProcessorCount} cores, {parallel} at a time)");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", c).ExecuteNonQueryAsync();
            }
            if (Directory.Exists(storageRoot)) Directory.Delete(storageRoot, recursive: true);
        }
    }

    /// <summary>Six scenes of moving synthetic pictures with film-like noise, cut hard; made once and kept in the work folder.</summary>
    private static async Task<string> MakeClipAsync(string folder, int index, int seconds, int height)
    {
        var path = Path.Combine(folder, $"clip{index}-{seconds}s-{height}p.mp4");
        var width = height * 16 / 9 / 2 * 2;
        var size = $"{width}x{height}";
        var bitrate = 4.0 * width * height / (1280 * 720);
        string Rate(double megabits) => (megabits * 1000).ToString("0", CultureInfo.InvariantCulture) + "k";
        if (File.Exists(path)) return path;
        var scene = (seconds / 6.0).ToString("0.###", CultureInfo.InvariantCulture);
        string[] sources =
        [
            $"testsrc2=s={size}:r=25",
            $"gradients=s={size}:r=25:speed=0.02:seed={index + 1}",
            $"cellauto=s={size}:r=25:rule={(30 + index * 60) % 256}",
            $"smptehdbars=s={size}:r=25,hue=H=t*{index + 1}",
            $"life=s={size}:r=25:mold=10:ratio=0.3:seed={index + 7}:life_color=#00ff00:death_color=#aa00aa",
            $"testsrc=s={size}:r=25,negate,hue=h={index * 40}",
        ];
        var order = Enumerable.Range(0, sources.Length).Select(i => sources[(i + index) % sources.Length]).ToList();
        var graph = string.Concat(order.Select((s, i) => $"{s},trim=duration={scene},setpts=PTS-STARTPTS,format=yuv420p,setsar=1,noise=alls=6:allf=t[v{i}];"))
            + string.Concat(order.Select((_, i) => $"[v{i}]")) + $"concat=n={order.Count}:v=1:a=0[out]";
        var temp = path + ".part.mp4";
        var result = await ToolProcess.RunAsync("ffmpeg",
            ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-b:v", Rate(bitrate), "-maxrate", Rate(bitrate * 1.25), "-bufsize", Rate(bitrate * 2),
             "-pix_fmt", "yuv420p", "-movflags", "+faststart", temp], TimeSpan.FromMinutes(10), default);
        if (result.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + result.StandardError);
        File.Move(temp, path);
        return path;
    }

    internal static string RepositoryRoot()
    {
        // A published copy (bench/gpu/pack.sh) runs outside the repository and is told where it is.
        if (Environment.GetEnvironmentVariable("VIDPRESS_REPO_ROOT") is { Length: > 0 } given) return given;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "models", "tiny-clip"))) return dir.FullName;
        throw new DirectoryNotFoundException("models/tiny-clip not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Prints the ingest's own log lines (its per-stage timings) to the console.</summary>
    private sealed class StageLogger : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Console.WriteLine("  " + formatter(state, exception) + (exception is null ? "" : " " + exception.Message));
    }
}
