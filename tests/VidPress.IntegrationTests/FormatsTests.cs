using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests;

[Collection(LibraryCollection.Name)]
public sealed class FormatsTests(LibraryServiceFixture service)
{
    [Fact]
    public async Task One_job_asked_for_several_formats_gets_every_one_at_its_size()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new
        {
            text = "A red circle rose over the city. Later a blue square appeared.",
            aspectRatio = "16:9", resolution = "720p",
            formats = new[] { new { aspectRatio = "9:16", resolution = "720p" }, new { aspectRatio = "1:1", resolution = "720p" } },
        });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.GetProperty("status").GetString() == "succeeded", video.ToString());
        var outputs = video.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(["16:9", "9:16", "1:1"], outputs.Select(o => o.GetProperty("aspectRatio").GetString()));

        var duration = video.GetProperty("durationSeconds").GetDouble();
        foreach (var output in outputs)
        {
            var path = Path.Combine(service.WorkFolder, $"{id}-{output.GetProperty("width")}x{output.GetProperty("height")}.mp4");
            await File.WriteAllBytesAsync(path, await service.Client.GetByteArrayAsync(output.GetProperty("file").GetString()));
            var probe = await Media.ProbeAsync(path);
            var stream = Media.Stream(probe, "video");
            Assert.Equal(output.GetProperty("width").GetInt32(), stream.GetProperty("width").GetInt32());
            Assert.Equal(output.GetProperty("height").GetInt32(), stream.GetProperty("height").GetInt32());
            Assert.InRange(Media.Seconds(probe.GetProperty("format"), "duration"), duration - 0.1, duration + 0.1);
        }
        using var missing = await service.Client.GetAsync($"/videos/{id}/file?format=4x3-720p");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_unknown_extra_format_is_refused()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = "A red circle.", formats = new[] { new { aspectRatio = "4:3", resolution = "720p" } } });
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }
}
