using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VidPress.Core.Embeddings;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests;

[Collection(LibraryCollection.Name)]
public sealed class TimelineEditingTests(LibraryServiceFixture service)
{
    [Fact]
    public async Task An_edited_timeline_re_renders_with_the_swapped_shot_at_its_time()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = "A red circle rose over the city. Later a blue square appeared." });
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal("succeeded", (await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3))).GetProperty("status").GetString());
        var timeline = JsonNode.Parse((await service.GetJsonAsync($"/videos/{id}/timeline")).GetRawText())!;
        Assert.Equal(service.AssetIds["red-circle"], timeline["clips"]![0]!["assetId"]!.GetValue<Guid>());

        // A gap between clips is refused and changes nothing.
        var broken = timeline.DeepClone();
        broken["clips"]![1]!["start"] = broken["clips"]![1]!["start"]!.GetValue<double>() + 0.5;
        using (var bad = await service.Client.PutAsJsonAsync($"/videos/{id}/timeline", broken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }

        // Swap the first shot for the yellow square, as an editor would.
        var hits = await service.GetJsonAsync("/library/search?q=" + Uri.EscapeDataString("a yellow square"));
        var yellow = hits.EnumerateArray().First(h => h.GetProperty("assetId").GetGuid() == service.AssetIds["yellow-square"]);
        var edited = timeline.DeepClone();
        edited["clips"]![0]!["assetId"] = service.AssetIds["yellow-square"];
        edited["clips"]![0]!["shotId"] = yellow.GetProperty("shotId").GetGuid();
        edited["clips"]![0]!["sourceStart"] = 0.5;
        using (var put = await service.Client.PutAsJsonAsync($"/videos/{id}/timeline", edited))
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);

        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.Equal("succeeded", video.GetProperty("status").GetString());
        var after = await service.GetJsonAsync($"/videos/{id}/timeline");
        Assert.Equal(1, after.GetProperty("revision").GetInt32());
        var path = Path.Combine(service.WorkFolder, $"{id}-edited.mp4");
        await File.WriteAllBytesAsync(path, await service.Client.GetByteArrayAsync($"/videos/{id}/file"));

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
        using var stale = await service.Client.PutAsJsonAsync($"/videos/{id}/timeline", edited);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
    }
}
