using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

[Collection(SharedService.Name)]
public sealed class FormatsTests(ServiceFixture shared) : IAsyncLifetime
{
    private ShapeLibrary _service = null!;

    public async Task InitializeAsync() => _service = await ShapeLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_job_asked_for_several_formats_gets_every_one_at_its_size()
    {
        using var post = await _service.Client.PostAsJsonAsync("/videos", new
        {
            text = "A red circle rose over the city. Later a blue square appeared.",
            aspectRatio = "16:9", resolution = "720p",
            formats = new[] { new { aspectRatio = "9:16", resolution = "720p" }, new { aspectRatio = "1:1", resolution = "720p" } },
        });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        var outputs = video.Outputs;
        Assert.Equal(["16:9", "9:16", "1:1"], outputs.Select(o => o.AspectRatio));

        var duration = video.DurationSeconds!.Value;
        foreach (var output in outputs)
        {
            var path = Path.Combine(_service.WorkFolder, $"{id}-{output.Width}x{output.Height}.mp4");
            await File.WriteAllBytesAsync(path, await _service.Client.GetByteArrayAsync(output.File));
            var probe = await Media.ProbeAsync(path);
            var stream = Media.Stream(probe, "video");
            Assert.Equal(output.Width, stream.GetProperty("width").GetInt32());
            Assert.Equal(output.Height, stream.GetProperty("height").GetInt32());
            Assert.InRange(Media.Seconds(probe.GetProperty("format"), "duration"), duration - 0.1, duration + 0.1);
        }
        using var missing = await _service.Client.GetAsync($"/videos/{id}/file?format=4x3-720p");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_unknown_extra_format_is_refused()
    {
        using var post = await _service.Client.PostAsJsonAsync("/videos", new { text = "A red circle.", formats = new[] { new { aspectRatio = "4:3", resolution = "720p" } } });
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }
}
