using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.UnitTests.Media;

public sealed class LocalDiskStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vidpress-storage-" + Guid.NewGuid().ToString("N")[..8]);

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("//")]
    public async Task A_root_written_with_or_without_a_trailing_slash_stores_and_reads_keys(string suffix)
    {
        var storage = new LocalDiskStorage(Options.Create(new StorageOptions { Root = _root + suffix }));
        await storage.SaveAsync("tenants/a/assets/b/original.png", new MemoryStream([1, 2, 3]));
        Assert.True(await storage.ExistsAsync("tenants/a/assets/b/original.png"));
        Assert.Equal(Path.Combine(_root, "tenants", "a", "assets", "b", "original.png"), await storage.GetLocalPathAsync("tenants/a/assets/b/original.png"));
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("tenants/../../outside.txt")]
    [InlineData("/etc/passwd")]
    public async Task Keys_that_leave_the_root_are_refused_whatever_the_root_looks_like(string key)
    {
        foreach (var root in new[] { _root, _root + "/" })
        {
            var storage = new LocalDiskStorage(Options.Create(new StorageOptions { Root = root }));
            await Assert.ThrowsAsync<ArgumentException>(() => storage.SaveAsync(key, new MemoryStream([1])));
        }
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "outside.txt")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
