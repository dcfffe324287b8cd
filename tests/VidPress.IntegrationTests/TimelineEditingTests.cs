using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

[Collection(SharedService.Name)]
public sealed class TimelineEditingTests(ServiceFixture shared) : IAsyncLifetime
{
    private ShapeLibrary _service = null!;

    public async Task InitializeAsync() => _service = await ShapeLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_edited_timeline_re_renders_with_the_swapped_shot_at_its_time()
    {
        var (id, timeline) = await FinishedVideoAsync("A red circle rose over the city. Later a blue square appeared.");
        Assert.Equal(_service.AssetIds["red-circle"], timeline["clips"]![0]!["assetId"]!.GetValue<Guid>());

        // A gap between clips is refused and changes nothing.
        var broken = timeline.DeepClone();
        broken["clips"]![1]!["start"] = broken["clips"]![1]!["start"]!.GetValue<double>() + 0.5;
        using (var bad = await _service.Client.PutAsJsonAsync($"/videos/{id}/timeline", broken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }

        // Swap the first shot for the yellow square, as an editor would.
        var hits = await _service.GetJsonAsync("/library/search?q=" + Uri.EscapeDataString("a yellow square"));
        var yellow = hits.EnumerateArray().First(h => h.GetProperty("assetId").GetGuid() == _service.AssetIds["yellow-square"]);
        var edited = timeline.DeepClone();
        edited["clips"]![0]!["assetId"] = _service.AssetIds["yellow-square"];
        edited["clips"]![0]!["shotId"] = yellow.GetProperty("shotId").GetGuid();
        edited["clips"]![0]!["sourceStart"] = 0.5;
        var after = await RenderedAgainAsync(id, edited);
        var path = Path.Combine(_service.WorkFolder, $"{id}-edited.mp4");
        await File.WriteAllBytesAsync(path, await _service.Client.GetByteArrayAsync($"/videos/{id}/file"));

        using var clip = new ClipModel(new ClipOptions { ModelPath = Repository.Path("models", "tiny-clip") });
        var shapes = Media.ShapePictures.Select(p => p.Replace('-', ' ')).ToList();
        var texts = clip.EmbedTexts(shapes.Select(s => "a " + s).ToList());
        async Task<string> ShapeAt(double seconds)
        {
            var image = clip.EmbedImages([await new FrameDecoder().ReadFrameAsync(path, TimeSpan.FromSeconds(seconds))])[0];
            return shapes[Enumerable.Range(0, shapes.Count).MaxBy(i => image.Zip(texts[i]).Sum(p => p.First * p.Second))];
        }
        var first = after.GetProperty("clips")[0];
        var second = after.GetProperty("clips")[1];
        Assert.Equal("yellow square", await ShapeAt((first.GetProperty("start").GetDouble() + first.GetProperty("end").GetDouble()) / 2));
        Assert.Equal("blue square", await ShapeAt((second.GetProperty("start").GetDouble() + second.GetProperty("end").GetDouble()) / 2));

        // A stale edit (an old revision) is refused.
        using var stale = await _service.Client.PutAsJsonAsync($"/videos/{id}/timeline", edited);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
    }

    /// <summary>
    /// A video cancelled while it rendered keeps its timeline and its cancel flag; an edit renders it again
    /// (the flag would otherwise stop the new run before it starts, leaving it queued for good).
    /// </summary>
    [Fact]
    public async Task A_video_cancelled_while_rendering_renders_again_when_its_timeline_is_edited()
    {
        var (id, timeline) = await FinishedVideoAsync("A green triangle stood in the park. A red circle rose later.");
        // What a cancel during the render leaves behind: the timeline, the flag, status cancelled, no file.
        Assert.Equal(1, await _service.Database.ExecuteAsync(
            """UPDATE videos SET "Status" = 'Cancelled', "Stage" = 'Render', "CancelRequested" = true, "OutputKey" = NULL WHERE "Id" = @id""", ("id", id)));
        var edited = timeline.DeepClone();
        edited["subtitles"]![0]!["text"] = "Edited after a cancel.";
        var after = await RenderedAgainAsync(id, edited);
        Assert.Equal("Edited after a cancel.", after.GetProperty("subtitles")[0].GetProperty("text").GetString());
        using var file = await _service.Client.GetAsync($"/videos/{id}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
    }

    /// <summary>Two editors sending edits of the same revision at once: one is taken, the other is told it is stale.</summary>
    [Fact]
    public async Task Of_two_simultaneous_edits_of_one_revision_only_one_is_taken()
    {
        var (id, timeline) = await FinishedVideoAsync("A blue square was seen at noon. A yellow circle followed.");
        var edits = Enumerable.Range(0, 4).Select(i =>
        {
            var edited = timeline.DeepClone();
            edited["subtitles"]![0]!["text"] = $"Editor {i}";
            return edited;
        }).ToList();

        var answers = await Task.WhenAll(edits.Select(async e =>
        {
            using var put = await _service.Client.PutAsJsonAsync($"/videos/{id}/timeline", e);
            return put.StatusCode;
        }));
        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Accepted));
        // The others lost the race: refused as stale, or as arriving while the taken one is queued.
        Assert.All(answers.Where(a => a != HttpStatusCode.Accepted), a => Assert.True(a is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, a.ToString()));
        Assert.Equal(VideoStatus.Succeeded, (await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3))).Status);
        Assert.Equal(1, (await _service.GetJsonAsync($"/videos/{id}/timeline")).GetProperty("revision").GetInt32());
    }

    /// <summary>Posts an article, waits for its video to succeed and returns the video's id and timeline.</summary>
    private async Task<(Guid Id, JsonNode Timeline)> FinishedVideoAsync(string text)
    {
        using var post = await _service.Client.PostAsJsonAsync("/videos", new { text });
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        Assert.Equal(VideoStatus.Succeeded, (await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3))).Status);
        return (id, JsonNode.Parse((await _service.GetJsonAsync($"/videos/{id}/timeline")).GetRawText())!);
    }

    /// <summary>Sends an edit, expects it taken, waits for the new render and returns the timeline, now revision 1.</summary>
    private async Task<JsonElement> RenderedAgainAsync(Guid id, JsonNode edited)
    {
        using (var put = await _service.Client.PutAsJsonAsync($"/videos/{id}/timeline", edited))
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        Assert.Equal(VideoStatus.Succeeded, (await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3))).Status);
        var after = await _service.GetJsonAsync($"/videos/{id}/timeline");
        Assert.Equal(1, after.GetProperty("revision").GetInt32());
        return after;
    }
}
