using VidPress.Core.Media;

namespace VidPress.UnitTests.Media;

public sealed class LocalFilesSweeperTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vidpress-sweep-" + Guid.NewGuid().ToString("N")[..8]);

    private string Write(string relative, TimeSpan age)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, (Now - age).UtcDateTime);
        return path;
    }

    private static void Age(string folder, TimeSpan age) => Directory.SetLastWriteTimeUtc(folder, (Now - age).UtcDateTime);

    [Fact]
    public void Scratch_folders_of_dead_runs_go_and_those_still_written_to_stay()
    {
        Write("scratch/render-dead/segment-000.mp4", TimeSpan.FromDays(2));
        Age(Path.Combine(_root, "scratch", "render-dead"), TimeSpan.FromDays(2));
        // An old folder whose run still writes a file inside is alive.
        Write("scratch/render-live/segment-000.mp4", TimeSpan.FromDays(2));
        Write("scratch/render-live/segment-001.mp4", TimeSpan.FromMinutes(1));
        Age(Path.Combine(_root, "scratch", "render-live"), TimeSpan.FromDays(2));
        Write("scratch/upload-new/upload.mp4", TimeSpan.FromHours(2));

        var (scratch, cached) = LocalFilesSweeper.Sweep(_root, Now, new StorageOptions { Kind = StorageKind.Local });

        Assert.Equal((1, 0), (scratch, cached));
        Assert.False(Directory.Exists(Path.Combine(_root, "scratch", "render-dead")));
        Assert.True(Directory.Exists(Path.Combine(_root, "scratch", "render-live")));
        Assert.True(Directory.Exists(Path.Combine(_root, "scratch", "upload-new")));
    }

    [Fact]
    public void Cached_copies_go_after_a_week_unused_counted_from_their_last_use()
    {
        var stale = Write("s3-cache/tenants/a/assets/b/original.mp4", TimeSpan.FromDays(30));
        Write("s3-cache/tenants/a/assets/b/original.mp4.etag", TimeSpan.FromDays(30));
        var used = Write("s3-cache/tenants/a/assets/c/original.mp4", TimeSpan.FromDays(30));
        Write("s3-cache/tenants/a/assets/c/original.mp4.etag", TimeSpan.FromHours(3)); // read from the cache 3 h ago
        var fresh = Write("s3-cache/tenants/a/videos/d/video.mp4", TimeSpan.FromDays(1));
        var partial = Write("s3-cache/tenants/a/videos/e/video.mp4.partial-0123", TimeSpan.FromDays(2));

        var (_, cached) = LocalFilesSweeper.Sweep(_root, Now, new StorageOptions { Kind = StorageKind.S3 });

        Assert.Equal(2, cached);
        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(stale + ".etag"));
        Assert.False(File.Exists(partial));
        Assert.True(File.Exists(used));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void Local_storage_keeps_its_media_whatever_their_age()
    {
        // With local storage the media tree is the media itself, never a cache: only scratch is swept.
        var original = Write("tenants/a/assets/b/original.mp4", TimeSpan.FromDays(400));
        var lookalike = Write("s3-cache/tenants/a/x.mp4", TimeSpan.FromDays(400));
        LocalFilesSweeper.Sweep(_root, Now, new StorageOptions { Kind = StorageKind.Local });
        Assert.True(File.Exists(original));
        Assert.True(File.Exists(lookalike));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
