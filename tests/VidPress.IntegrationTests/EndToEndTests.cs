using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

[Collection(SharedService.Name)]
public sealed class EndToEndTests(ServiceFixture shared) : IAsyncLifetime
{
    private ShapeLibrary _service = null!;
    private ClipModel _clip = null!;

    public async Task InitializeAsync()
    {
        _service = await ShapeLibrary.OnAsync(shared);
        _clip = new ClipModel(new ClipOptions { ModelPath = Repository.Path("models", "tiny-clip") });
    }

    public Task DisposeAsync()
    {
        _clip.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task English_article_becomes_a_narrated_video_whose_shots_match_the_sentences()
    {
        var article = "A red circle rose over the city. Later a blue square appeared. Finally a green triangle was seen.";
        var callback = _service.Webhooks.BaseUrl + "/hooks/vidpress";
        using var post = await _service.Client.PostAsJsonAsync("/videos", new { text = article, aspectRatio = "16:9", resolution = "720p", callbackUrl = callback });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        Assert.Equal($"/videos/{id}", post.Headers.Location?.OriginalString);

        var video = await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        Assert.Equal(100, video.Progress);

        var path = Path.Combine(_service.WorkFolder, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await _service.Client.GetByteArrayAsync($"/videos/{id}/file"));
        var probe = await Media.ProbeAsync(path);
        var v = Media.Stream(probe, "video");
        var a = Media.Stream(probe, "audio");
        Assert.Equal("h264", v.GetProperty("codec_name").GetString());
        Assert.Equal("aac", a.GetProperty("codec_name").GetString());
        Assert.Equal(1280, v.GetProperty("width").GetInt32());
        Assert.Equal(720, v.GetProperty("height").GetInt32());

        var timeline = await _service.GetJsonAsync($"/videos/{id}/timeline");
        var clips = timeline.GetProperty("clips").EnumerateArray().ToList();
        Assert.Equal(3, clips.Count);
        var narrationSeconds = timeline.GetProperty("durationSeconds").GetDouble();
        var fileSeconds = Media.Seconds(probe.GetProperty("format"), "duration");
        Assert.InRange(fileSeconds, narrationSeconds - 0.3, narrationSeconds + 0.3);
        Assert.InRange(Math.Abs(Media.Seconds(v, "duration") - Media.Seconds(a, "duration")), 0, 0.1);

        // Each sentence's picture, read back from the MP4, shows that sentence's shape.
        string[] expected = ["red circle", "blue square", "green triangle"];
        var libraryShapes = Media.ShapePictures.Select(p => p.Replace('-', ' ')).ToList();
        var shapeTexts = _clip.EmbedTexts(libraryShapes.Select(s => "a " + s).ToList());
        for (var i = 0; i < clips.Count; i++)
        {
            var middle = (clips[i].GetProperty("start").GetDouble() + clips[i].GetProperty("end").GetDouble()) / 2;
            var frame = await Media.FrameAsync(path, middle, Path.Combine(_service.WorkFolder, $"{id}-{i}.png"));
            var embedding = _clip.EmbedImages([await new FrameDecoder().ReadImageAsync(frame)])[0];
            var best = libraryShapes[Enumerable.Range(0, shapeTexts.Count).MaxBy(k => Dot(embedding, shapeTexts[k]))];
            Assert.Equal(expected[i], best);
            Assert.Equal(_service.AssetIds[expected[i].Replace(' ', '-')], clips[i].GetProperty("assetId").GetGuid());
        }

        var credits = await _service.GetJsonAsync($"/videos/{id}/credits");
        Assert.Equal(3, credits.GetProperty("shots").GetArrayLength());
        Assert.Equal("VidPress test footage", Assert.Single(credits.GetProperty("creditLines").EnumerateArray()).GetString());

        var hooks = await _service.Webhooks.WaitForAsync(r => r.Any(h => h.Body.Contains(id.ToString())), TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var mine = _service.Webhooks.Received.Where(h => h.Body.Contains(id.ToString())).ToList();
        var success = Assert.Single(mine);
        Assert.Equal("/hooks/vidpress", success.Path);
        using var body = JsonDocument.Parse(success.Body);
        Assert.Equal("video.succeeded", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("data").GetProperty("videoId").GetGuid());
        Assert.StartsWith("v1,", success.Headers["webhook-signature"]);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
}
