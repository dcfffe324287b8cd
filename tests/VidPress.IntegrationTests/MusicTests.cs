using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

[Collection(SharedService.Name)]
public sealed partial class MusicTests(ServiceFixture shared) : IAsyncLifetime
{
    private ShapeLibrary _service = null!;

    public async Task InitializeAsync() => _service = await ShapeLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task With_a_music_bed_every_cut_of_the_rendered_video_lies_on_a_detected_beat()
    {
        // A 120 BPM bed: a decaying 60 Hz kick every half second over a quiet pad.
        var bed = Path.Combine(_service.WorkFolder, "bed-120.wav");
        await Media.Ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.8*sin(2*PI*60*t)*exp(-25*mod(t\\,0.5))+0.1*sin(2*PI*220*t):s=44100:d=30", bed);
        using var upload = await _service.Client.UploadAsync("/library/music", bed, fields: [("title", "Steady pulse"), ("moods", "calm,news")]);
        Assert.True(upload.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        var track = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(track.GetProperty("tempoBpm").GetDouble(), 119, 121);
        // The upload's Location (or, for a file already there, its id) names a track one can read back.
        var location = upload.Headers.Location?.ToString() ?? $"/library/music/{track.GetProperty("id").GetGuid()}";
        var readBack = await _service.GetJsonAsync(location);
        Assert.Equal(track.GetProperty("id").GetGuid(), readBack.GetProperty("id").GetGuid());
        Assert.Equal("Steady pulse", readBack.GetProperty("title").GetString());
        using (var unknown = await _service.Client.GetAsync($"/library/music/{Guid.NewGuid()}"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var post = await _service.Client.PostAsJsonAsync("/videos", new
        {
            text = "A red circle rose over the city. Later a blue square appeared. Finally a green triangle was seen.",
            music = "calm",
        });
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        var timeline = await _service.GetJsonAsync($"/videos/{id}/timeline");
        var beats = timeline.GetProperty("music").GetProperty("beats").EnumerateArray().Select(b => b.GetDouble()).ToList();
        Assert.NotEmpty(beats);

        var path = Path.Combine(_service.WorkFolder, $"{id}-music.mp4");
        await File.WriteAllBytesAsync(path, await _service.Client.GetByteArrayAsync($"/videos/{id}/file"));
        // Cuts as ffmpeg's scene detector sees them in the finished file.
        var scan = await ToolProcess.RunCheckedAsync("ffmpeg", ["-hide_banner", "-nostdin", "-i", path, "-vf", "select='gt(scene,0.08)',showinfo", "-an", "-f", "null", "-"], TimeSpan.FromMinutes(2));
        var cuts = PtsTime().Matches(scan.StandardError).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(timeline.GetProperty("clips").GetArrayLength() - 1, cuts.Count);
        foreach (var cut in cuts)
            Assert.True(beats.Min(b => Math.Abs(b - cut)) <= 0.150, $"cut at {cut:0.000} s is {beats.Min(b => Math.Abs(b - cut)):0.000} s from the nearest beat");

        // The bed is under the voice: the soundtrack is louder than speech alone would be between sentences.
        var (integrated, truePeak) = await Rendering.RenderingFixture.LoudnessAsync(path);
        Assert.InRange(integrated, -17, -15);
        Assert.True(truePeak <= -1.0);
    }

    [GeneratedRegex(@"pts_time:([0-9.]+)")]
    private static partial Regex PtsTime();
}
