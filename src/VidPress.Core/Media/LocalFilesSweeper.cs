using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Media;

/// <summary>
/// Keeps a machine's local files bounded: at start and every <see cref="StorageOptions.SweepInterval"/> it removes
/// scratch folders nothing has written to for <see cref="StorageOptions.ScratchMaxAge"/> (runs that died: a job's
/// own scratch is removed when it ends), and, with S3 storage, cached copies unused for
/// <see cref="StorageOptions.CacheMaxAge"/>, which are fetched again when next needed.
/// </summary>
public sealed class LocalFilesSweeper(IOptions<StorageOptions> options, TimeProvider clock, ILogger<LocalFilesSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = options.Value;
        // Off the start-up path: a large cache takes a while to walk, and the host must not wait for it.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (scratch, cached) = Sweep(Path.GetFullPath(storage.Root), clock.GetUtcNow(), storage);
                if (scratch + cached > 0) logger.LogInformation("Removed {Scratch} stale scratch folders and {Cached} unused cached copies", scratch, cached);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Sweeping local files under {Root} failed; trying again later", storage.Root);
            }
            try { await Task.Delay(storage.SweepInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass; returns how many scratch folders and cached copies it removed.</summary>
    public static (int Scratch, int Cached) Sweep(string root, DateTimeOffset now, StorageOptions storage)
    {
        var scratch = 0;
        var scratchRoot = Path.Combine(root, "scratch");
        if (Directory.Exists(scratchRoot))
            foreach (var folder in Directory.EnumerateDirectories(scratchRoot))
                if (now - LastWritten(folder) > storage.ScratchMaxAge && TryDelete(() => Directory.Delete(folder, recursive: true))) scratch++;

        var cached = 0;
        var cacheRoot = Path.Combine(root, "s3-cache");
        if (storage.Kind == StorageKind.S3 && Directory.Exists(cacheRoot))
            foreach (var file in Directory.EnumerateFiles(cacheRoot, "*", SearchOption.AllDirectories).ToList())
            {
                if (file.EndsWith(".etag", StringComparison.Ordinal)) continue;
                // A copy is as recent as its last use (its .etag is touched on every hit) or its download.
                var etag = file + ".etag";
                var used = File.Exists(etag) ? Max(File.GetLastWriteTimeUtc(etag), File.GetLastWriteTimeUtc(file)) : File.GetLastWriteTimeUtc(file);
                var maxAge = file.Contains(".partial-", StringComparison.Ordinal) ? storage.ScratchMaxAge : storage.CacheMaxAge;
                if (now - new DateTimeOffset(used, TimeSpan.Zero) <= maxAge) continue;
                // An open reader (ffmpeg) keeps its copy: a removed file stays readable until it is closed.
                if (TryDelete(() => { File.Delete(etag); File.Delete(file); })) cached++;
            }
        return (scratch, cached);
    }

    private static DateTimeOffset LastWritten(string folder)
    {
        var newest = Directory.GetLastWriteTimeUtc(folder);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
            newest = Max(newest, File.GetLastWriteTimeUtc(entry));
        return new DateTimeOffset(newest, TimeSpan.Zero);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static bool TryDelete(Action delete)
    {
        try { delete(); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
