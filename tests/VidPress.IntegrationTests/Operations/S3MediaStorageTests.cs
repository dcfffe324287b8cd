using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>S3MediaStorage against s3rver, a real S3-compatible server: PUT, HEAD, GET, ListObjectsV2 and DELETE as the storage sends them.</summary>
public sealed class S3MediaStorageTests : IAsyncLifetime
{
    private S3rver _s3 = null!;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vidpress-s3-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync() => _s3 = await S3rver.StartAsync();

    public async Task DisposeAsync()
    {
        await _s3.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private S3MediaStorage Storage(string root, string prefix = "deploy-a") => new(Options.Create(new StorageOptions
    {
        Kind = StorageKind.S3,
        Root = root,
        S3 = new S3StorageOptions { ServiceUrl = _s3.ServiceUrl, Bucket = _s3.Bucket, AccessKey = S3rver.AccessKey, SecretKey = S3rver.SecretKey, Prefix = prefix },
    }));

    [Fact]
    public async Task Saved_and_imported_files_reach_the_bucket_and_another_machine_reads_them_through_its_cache()
    {
        using var writer = Storage(Path.Combine(_root, "machine-a"));
        using var reader = Storage(Path.Combine(_root, "machine-b"));

        await writer.SaveAsync("tenants/t1/assets/a1/original.mp4", new MemoryStream(Encoding.UTF8.GetBytes("clip bytes")));
        var rendered = Path.Combine(_root, "render.mp4");
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(rendered, "video bytes");
        await writer.ImportFileAsync("tenants/t1/videos/v1/video.mp4", rendered);

        Assert.Equal("clip bytes", Encoding.UTF8.GetString(await _s3.BytesAsync("deploy-a/tenants/t1/assets/a1/original.mp4")));
        Assert.Equal("video bytes", Encoding.UTF8.GetString(await _s3.BytesAsync("deploy-a/tenants/t1/videos/v1/video.mp4")));
        Assert.False(File.Exists(rendered));
        Assert.True(await reader.ExistsAsync("tenants/t1/videos/v1/video.mp4"));
        Assert.False(await reader.ExistsAsync("tenants/t1/videos/v1/poster.jpg"));

        var local = await reader.GetLocalPathAsync("tenants/t1/videos/v1/video.mp4");
        Assert.StartsWith(Path.Combine(_root, "machine-b"), local);
        Assert.Equal("video bytes", await File.ReadAllTextAsync(local));

        // Rewritten elsewhere (a re-render): the reader's cached copy is stale and is fetched again.
        await writer.SaveAsync("tenants/t1/videos/v1/video.mp4", new MemoryStream(Encoding.UTF8.GetBytes("video bytes, second render")));
        Assert.Equal("video bytes, second render", await File.ReadAllTextAsync(await reader.GetLocalPathAsync("tenants/t1/videos/v1/video.mp4")));

        await Assert.ThrowsAsync<FileNotFoundException>(() => reader.GetLocalPathAsync("tenants/t1/videos/v1/missing.mp4"));

        // Deleted on one machine: gone from the bucket, and the other machine's cached copy is not served.
        await writer.DeleteAsync("tenants/t1/videos/v1/video.mp4");
        Assert.DoesNotContain("deploy-a/tenants/t1/videos/v1/video.mp4", await _s3.KeysAsync());
        Assert.False(await reader.ExistsAsync("tenants/t1/videos/v1/video.mp4"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => reader.GetLocalPathAsync("tenants/t1/videos/v1/video.mp4"));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ExistsAsync("tenants/../../etc/passwd"));
    }

    [Fact]
    public async Task Deleting_a_prefix_removes_every_object_under_it_across_pages_and_nothing_beside_it()
    {
        using var storage = Storage(Path.Combine(_root, "machine-a"));
        // More than one page of ListObjectsV2 (1000 keys a page): the storage must follow continuation tokens.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1005), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await storage.SaveAsync($"tenants/t1/assets/a1/shots/{i}.jpg", new MemoryStream([(byte)i]), ct));
        await storage.SaveAsync("tenants/t1/assets/a1/original.mp4", new MemoryStream([1]));
        await storage.SaveAsync("tenants/t1/assets/a10/original.mp4", new MemoryStream([2]));

        await storage.DeletePrefixAsync("tenants/t1/assets/a1");

        Assert.Equal(["deploy-a/tenants/t1/assets/a10/original.mp4"], (await _s3.KeysAsync()).Order().ToArray());
        Assert.False(Directory.Exists(Path.Combine(_root, "machine-a", "s3-cache", "tenants", "t1", "assets", "a1")));
    }
}

/// <summary>The whole service storing its media in an s3rver bucket: upload, ingest, render and download go through S3.</summary>
public sealed class S3ServiceFixture : ServiceFixture
{
    public S3rver S3 { get; private set; } = null!;

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Storage:Kind"] = "S3",
        ["Storage:S3:ServiceUrl"] = S3.ServiceUrl,
        ["Storage:S3:Bucket"] = S3.Bucket,
        ["Storage:S3:AccessKey"] = S3rver.AccessKey,
        ["Storage:S3:SecretKey"] = S3rver.SecretKey,
        ["Storage:S3:Prefix"] = "ci",
    };

    public override async Task InitializeAsync()
    {
        S3 = await S3rver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await S3.DisposeAsync();
    }
}

public sealed class S3ServiceTests(S3ServiceFixture service) : IClassFixture<S3ServiceFixture>
{
    [Fact]
    public async Task A_video_rendered_with_S3_storage_is_stored_in_the_bucket_and_downloadable()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = "The council met on Monday. It approved a new bus route.", targetDurationSeconds = 10 });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());

        var keys = await service.S3.KeysAsync("ci/");
        var stored = keys.Single(k => k.EndsWith($"/videos/{id:N}/video.mp4"));
        var inBucket = await service.S3.BytesAsync(stored);
        var bytes = await service.Client.GetByteArrayAsync($"/videos/{id}/file");
        Assert.Equal(inBucket, bytes);
        Assert.Contains(keys, k => k.EndsWith($"/videos/{id:N}/narration.wav"));

        // A player's range request is answered from the bucket's object (through the local copy): the right bytes, 206.
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/videos/{id}/file");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        using var partial = await service.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(inBucket[100..200], await partial.Content.ReadAsByteArrayAsync());
    }
}
