using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// Files whose header lies about how much they hold, made here with ffmpeg and a patched header: the service decodes
/// what the file really produces only up to what the header declared (plus a little), refuses the rest with a 422
/// problem, stores nothing, and goes on serving.
/// </summary>
[Collection(SharedService.Name)]
public sealed class HostileMediaTests(ServiceFixture shared) : IAsyncLifetime
{
    private MediaLibrary _service = null!;

    public async Task InitializeAsync() => _service = await MediaLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Work(string name) => Path.Combine(_service.WorkFolder, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    [Fact]
    public async Task Flac_of_twenty_minutes_whose_header_claims_60_s_is_refused_as_music_and_nothing_is_stored()
    {
        // 20 minutes of silence at 8 kHz is a ~250 KB FLAC; decoded for the beat tracker it would be 106 MB of samples.
        var flac = Work("bed.flac");
        await Media.Ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "1200", "-c:a", "flac", flac);
        var bytes = await File.ReadAllBytesAsync(flac);
        // STREAMINFO (the first metadata block, at byte 8): its last 36 bits before the MD5 are the total samples.
        var packed = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(18));
        Assert.Equal(1200UL * 8000, packed & ((1UL << 36) - 1));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(18), (packed & ~((1UL << 36) - 1)) | (60UL * 8000));
        await File.WriteAllBytesAsync(flac, bytes);
        Assert.Equal(60, Media.Seconds((await Media.ProbeAsync(flac)).GetProperty("format"), "duration"), 1);

        var problem = await AssertRefusedAsync(() => UploadMusicAsync(flac, "bed.flac"), "select count(*) from music_tracks");

        Assert.Contains("60 s its header declares", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Mkv_of_an_hour_whose_header_claims_60_s_is_refused_at_upload_and_nothing_is_stored()
    {
        var mkv = await HourOfBlackClaimingAMinuteAsync();

        var problem = await AssertRefusedAsync(() => _service.UploadAsync(mkv, "long.mkv", new Dictionary<string, string> { ["title"] = "should not exist" }),
            "select count(*) from assets");

        Assert.Contains("60 s its header declares", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_ingest_decoding_pass_stops_at_the_declared_duration_of_a_file_that_runs_on()
    {
        // The upload refuses such a file by its packets; the decoding pass holds to the same limit on its own.
        var mkv = await HourOfBlackClaimingAMinuteAsync();
        var folder = Directory.CreateDirectory(Work("candidates")).FullName;
        var scenes = new VidPress.Core.Library.SceneDetector(
            Microsoft.Extensions.Options.Options.Create(new MediaOptions()),
            Microsoft.Extensions.Options.Options.Create(new VidPress.Core.Library.IngestOptions()));

        var error = await Assert.ThrowsAsync<MediaRejectedException>(() => scenes.ScanAsync(mkv, folder, 60, orientation: null, CancellationToken.None));

        Assert.Contains("60 s its header declares", error.Message);
        // It stopped soon after the limit (65 s, at one frame a second), not after the hour's 3600 frames: the decoder and
        // the candidate encoder run some frames ahead of the log that the limit is checked on (~170 here), never the hour.
        Assert.InRange(Directory.GetFiles(folder).Length, 1, 600);
    }

    [Fact]
    public async Task Picture_over_the_pixel_limit_once_decoded_is_refused_by_the_frame_decoder()
    {
        var png = Work("picture.png");
        await Media.Ffmpeg("-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1", png);

        var error = await Assert.ThrowsAsync<MediaRejectedException>(() => new FrameDecoder(maxPixels: 64 * 47).ReadImageAsync(png));

        Assert.Contains("64×48", error.Message);
        var image = await new FrameDecoder(maxPixels: 64 * 48).ReadImageAsync(png);
        Assert.Equal((64, 48), (image.Width, image.Height));
    }

    /// <summary>An hour of black at one frame a second (a ~70 KB Matroska file) whose header says it lasts 60 s.</summary>
    private async Task<string> HourOfBlackClaimingAMinuteAsync()
    {
        var mkv = Work("long.mkv");
        await Media.Ffmpeg("-f", "lavfi", "-i", "color=c=black:s=64x64:r=1", "-t", "3600", "-c:v", "libx264", "-preset", "ultrafast", "-g", "600", mkv);
        var bytes = await File.ReadAllBytesAsync(mkv);
        // The segment's Duration element (id 0x4489, an 8-byte float of milliseconds) and the track's DURATION tag.
        var duration = bytes.AsSpan().IndexOf(new byte[] { 0x44, 0x89, 0x88 });
        Assert.True(duration > 0);
        Assert.Equal(3_600_000.0, BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(duration + 3)));
        BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(duration + 3), 60_000.0);
        var tag = bytes.AsSpan().IndexOf("01:00:00.000000000"u8);
        Assert.True(tag > 0);
        "00:01:00.000000000"u8.CopyTo(bytes.AsSpan(tag));
        await File.WriteAllBytesAsync(mkv, bytes);
        Assert.Equal(60, Media.Seconds((await Media.ProbeAsync(mkv)).GetProperty("format"), "duration"), 1);
        return mkv;
    }

    private async Task<HttpResponseMessage> UploadMusicAsync(string path, string fileName)
    {
        return await _service.Client.UploadAsync("/library/music", path, fileName, fields: ("title", "should not exist"));
    }

    /// <summary>A 422 problem, no new row in <paramref name="countRows"/>'s table, no new file, and the _service still answering.</summary>
    private async Task<JsonElement> AssertRefusedAsync(Func<Task<HttpResponseMessage>> upload, string countRows)
    {
        var filesBefore = _service.StoredFiles();
        var rowsBefore = await _service.Database.ScalarAsync<long>(countRows);
        using var response = await upload();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.Equal(rowsBefore, await _service.Database.ScalarAsync<long>(countRows));
        Assert.Equal(filesBefore, _service.StoredFiles());
        using var health = await _service.Client.GetAsync("/library/music");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        return problem;
    }
}
