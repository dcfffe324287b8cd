using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Core.Embeddings;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests;

/// <summary>A service with a library of six shape clips, shared by the end-to-end tests.</summary>
public sealed class LibraryServiceFixture : ServiceFixture
{
    public Dictionary<string, Guid> AssetIds { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var picture in Media.ShapePictures)
        {
            var clip = await Media.ShapeClipAsync(WorkFolder, picture);
            using var form = new MultipartFormDataContent();
            var file = new StreamContent(File.OpenRead(clip));
            file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(file, "file", picture + ".mp4");
            form.Add(new StringContent(picture.Replace('-', ' ')), "title");
            form.Add(new StringContent("shape,test"), "tags");
            form.Add(new StringContent("VidPress test footage"), "credit");
            using var response = await Client.PostAsync("/library/assets", form);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{picture}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            AssetIds[picture] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
        foreach (var id in AssetIds.Values)
            Assert.Equal("ready", (await WaitForAssetAsync(id, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
    }
}

[CollectionDefinition(Name)]
public sealed class LibraryCollection : ICollectionFixture<LibraryServiceFixture>
{
    public const string Name = "service with shape library";
}

[Collection(LibraryCollection.Name)]
public sealed class EndToEndTests(LibraryServiceFixture service) : IAsyncLifetime
{
    private ClipModel _clip = null!;

    public Task InitializeAsync()
    {
        _clip = new ClipModel(new ClipOptions { ModelPath = Repository.Path("models", "tiny-clip") });
        return Task.CompletedTask;
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
        var callback = service.Webhooks.BaseUrl + "/hooks/vidpress";
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = article, aspectRatio = "16:9", resolution = "720p", callbackUrl = callback });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/videos/{id}", post.Headers.Location?.OriginalString);

        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.GetProperty("status").GetString() == "succeeded", video.ToString());
        Assert.Equal(100, video.GetProperty("progress").GetDouble());

        var path = Path.Combine(service.WorkFolder, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await service.Client.GetByteArrayAsync($"/videos/{id}/file"));
        var probe = await Media.ProbeAsync(path);
        var v = Media.Stream(probe, "video");
        var a = Media.Stream(probe, "audio");
        Assert.Equal("h264", v.GetProperty("codec_name").GetString());
        Assert.Equal("aac", a.GetProperty("codec_name").GetString());
        Assert.Equal(1280, v.GetProperty("width").GetInt32());
        Assert.Equal(720, v.GetProperty("height").GetInt32());

        var timeline = await service.GetJsonAsync($"/videos/{id}/timeline");
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
            var frame = await Media.FrameAsync(path, middle, Path.Combine(service.WorkFolder, $"{id}-{i}.png"));
            var embedding = _clip.EmbedImages([await new FrameDecoder().ReadImageAsync(frame)])[0];
            var best = libraryShapes[Enumerable.Range(0, shapeTexts.Count).MaxBy(k => Dot(embedding, shapeTexts[k]))];
            Assert.Equal(expected[i], best);
            Assert.Equal(service.AssetIds[expected[i].Replace(' ', '-')], clips[i].GetProperty("assetId").GetGuid());
        }

        var credits = await service.GetJsonAsync($"/videos/{id}/credits");
        Assert.Equal(3, credits.GetProperty("shots").GetArrayLength());
        Assert.Equal("VidPress test footage", Assert.Single(credits.GetProperty("creditLines").EnumerateArray()).GetString());

        var hooks = await service.Webhooks.WaitForAsync(r => r.Any(h => h.Body.Contains(id.ToString())), TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var mine = service.Webhooks.Received.Where(h => h.Body.Contains(id.ToString())).ToList();
        var success = Assert.Single(mine);
        Assert.Equal("/hooks/vidpress", success.Path);
        using var body = JsonDocument.Parse(success.Body);
        Assert.Equal("video.succeeded", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("data").GetProperty("videoId").GetGuid());
        Assert.StartsWith("v1,", success.Headers["webhook-signature"]);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
}
