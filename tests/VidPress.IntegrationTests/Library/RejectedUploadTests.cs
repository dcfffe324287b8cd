using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>Uploads the service must refuse with a 4xx problem, leaving no asset row and no file behind.</summary>
[Collection(SharedService.Name)]
public sealed class RejectedUploadTests(ServiceFixture shared) : IAsyncLifetime
{
    private MediaLibrary _service = null!;

    public async Task InitializeAsync() => _service = await MediaLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Work(string name) => Path.Combine(_service.WorkFolder, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    [Fact]
    public async Task Text_file_named_mp4_is_refused() =>
        await AssertRefusedAsync(await WriteAsync("notes.mp4", "This is not a video, only text pretending to be one.\n"), "notes.mp4");

    [Fact]
    public async Task Hls_playlist_pointing_at_a_local_file_is_refused() =>
        await AssertRefusedAsync(await WriteAsync("playlist.mp4",
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"), "playlist.mp4");

    [Fact]
    public async Task Ffconcat_list_is_refused() =>
        await AssertRefusedAsync(await WriteAsync("list.mp4", "ffconcat version 1.0\nfile '/etc/passwd'\nfile 'file:///etc/hostname'\n"), "list.mp4");

    [Fact]
    public async Task Zero_byte_file_is_refused() => await AssertRefusedAsync(await WriteAsync("empty.mp4", ""), "empty.mp4");

    [Fact]
    public async Task Truncated_mp4_is_refused()
    {
        var whole = Work("whole.mp4");
        await Media.Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", whole);
        var bytes = await File.ReadAllBytesAsync(whole);
        var cut = Work("cut.mp4");
        // An upload broken off half-way: the index (moov), written last, is missing.
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        await AssertRefusedAsync(cut, "cut.mp4");
    }

    [Fact]
    public async Task Png_of_30000_by_30000_pixels_is_refused() => await AssertRefusedAsync(HugePng(Work("huge.png"), 30000, 30000), "huge.png");

    [Fact]
    public async Task File_with_audio_but_no_picture_is_refused()
    {
        var audio = Work("sound.m4a");
        await Media.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", audio);
        await AssertRefusedAsync(audio, "sound.mp4");
    }

    [Fact]
    public async Task File_over_the_size_limit_is_refused_with_413()
    {
        var big = Work("big.mp4");
        await File.WriteAllBytesAsync(big, new byte[MediaLibrary.MaxUploadBytes + 1]);
        var problem = await AssertRefusedAsync(big, "big.mp4");
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Work(name);
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(false));
        return path;
    }

    private async Task<JsonElement> AssertRefusedAsync(string path, string fileName)
    {
        var filesBefore = _service.StoredFiles();
        var rowsBefore = await _service.AssetRowsAsync();
        using var response = await _service.UploadAsync(path, fileName, new Dictionary<string, string> { ["title"] = "should not exist" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{fileName}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.Equal(rowsBefore, await _service.AssetRowsAsync());
        Assert.Equal(filesBefore, _service.StoredFiles());
        return problem;
    }

    /// <summary>
    /// A valid PNG of the given size made without the pixels in memory: 1-bit greyscale rows of zeros compress
    /// about a thousandfold, so 30000×30000 is a 100 KB file.
    /// </summary>
    private static string HugePng(string path, int width, int height)
    {
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth 1
        header[9] = 0; // greyscale
        Chunk(file, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8];
            for (var y = 0; y < height; y++) zlib.Write(row);
        }
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
        return path;
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
