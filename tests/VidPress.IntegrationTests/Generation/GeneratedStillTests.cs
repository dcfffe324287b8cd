using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Api.Library;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Generation;
using VidPress.Core.Jobs;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Generation;

/// <summary>A library with only a red circle, and a fallback threshold that nothing else passes.</summary>
public class SmallLibraryFixture : ServiceFixture
{
    protected virtual string GenerationModelPath => Repository.Path("models", "tiny-sd");

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Timeline:MinimumShotScore"] = "0.8",
        ["Generation:Enabled"] = "true",
        ["Generation:ModelPath"] = GenerationModelPath,
        ["Jobs:Queues:0"] = "render",
        ["Jobs:Queues:1"] = "default",
        ["Jobs:Queues:2"] = "gpu",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var clip = await Media.ShapeClipAsync(WorkFolder, "red-circle");
        using var response = await Client.UploadAsync("/library/assets", clip, "red-circle.mp4", "video/mp4", ("title", "red circle"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadAsync<AssetResponse>()).Id;
        Assert.Equal(AssetStatus.Ready, (await WaitForAssetAsync(id, TimeSpan.FromMinutes(2))).Status);
    }
}

public sealed class GeneratedStillTests(SmallLibraryFixture service) : IClassFixture<SmallLibraryFixture>
{
    private const string Article = "A red circle rose over the city. Then a green triangle appeared.";

    private async Task<(Guid Id, VideoResponse Video, JsonElement Timeline)> MakeAsync(bool generate)
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = Article, generateStills = generate });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        return (id, video, await service.GetJsonAsync($"/videos/{id}/timeline"));
    }

    [Fact]
    public async Task Sentence_without_a_fitting_shot_gets_a_labelled_generated_still_when_generation_is_on()
    {
        var (id, video, timeline) = await MakeAsync(generate: true);
        var clips = timeline.GetProperty("clips").EnumerateArray().ToList();
        Assert.Equal("videoShot", clips[0].GetProperty("kind").GetString());
        var generated = clips.Single(c => c.GetProperty("generated").GetBoolean());
        Assert.Equal("generatedStill", generated.GetProperty("kind").GetString());
        Assert.Equal(1, generated.GetProperty("sentenceIndex").GetInt32());
        var listed = Assert.Single(video.GeneratedStills);
        var assetId = listed.AssetId!.Value;
        Assert.Equal(generated.GetProperty("assetId").GetGuid(), assetId);
        var label = timeline.GetProperty("overlays").EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "generatedLabel");
        Assert.InRange(label.GetProperty("start").GetDouble(), generated.GetProperty("start").GetDouble() - 0.01, generated.GetProperty("end").GetDouble());

        // The still shows what was asked for: the tiny CLIP names it "a green triangle" among all 24 shapes.
        var asset = await service.Client.GetAssetAsync(assetId);
        Assert.Contains("ai-generated", asset.Tags);
        var stillPath = Directory.GetFiles(service.StorageRoot, "original.png", SearchOption.AllDirectories).Single(p => p.Contains(assetId.ToString("N")));
        using var clip = new ClipModel(new ClipOptions { ModelPath = Repository.Path("models", "tiny-clip") });
        var image = clip.EmbedImages([await new FrameDecoder().ReadImageAsync(stillPath)])[0];
        string[] colours = ["red", "green", "blue", "yellow", "purple", "orange", "white", "black"];
        var prompts = colours.SelectMany(c => new[] { "circle", "square", "triangle" }.Select(s => $"a {c} {s}")).ToList();
        var texts = clip.EmbedTexts(prompts);
        var named = prompts[Enumerable.Range(0, prompts.Count).MaxBy(i => image.Zip(texts[i]).Sum(p => p.First * p.Second))];
        Assert.True(named == "a green triangle", $"{asset.Title} looks like {named}");

        // And the rendered frame carries the on-screen label in its top right corner.
        var path = Path.Combine(service.WorkFolder, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await service.Client.GetByteArrayAsync($"/videos/{id}/file"));
        var middle = (generated.GetProperty("start").GetDouble() + generated.GetProperty("end").GetDouble()) / 2;
        var frame = await new FrameDecoder().ReadFrameAsync(path, TimeSpan.FromSeconds(middle));
        var ink = 0;
        for (var y = 0; y < frame.Height / 8; y++)
            for (var x = frame.Width * 3 / 4; x < frame.Width; x++)
                if (frame[x, y] is { R: > 220, G: > 220, B: > 220 }) ink++;
        Assert.True(ink > 100, $"label ink {ink}");
    }

    /// <summary>
    /// Hangfire runs a job at least once: two copies of the still job for one video (here enqueued side by side
    /// while the video waits for its stills) make one still, stored once, and the video is rendered with it.
    /// </summary>
    [Fact]
    public async Task Two_copies_of_the_still_job_store_one_still_and_render_the_video_once_more()
    {
        var (id, video, timeline) = await MakeAsync(generate: true);
        var assetId = Assert.Single(video.GeneratedStills).AssetId!.Value;
        var index = timeline.GetProperty("clips").EnumerateArray().ToList().FindIndex(c => c.GetProperty("generated").GetBoolean());
        // Back to where the video job leaves a video for the GPU queue: running, waiting for stills, the clip a fallback.
        Assert.Equal(1, await service.Database.ExecuteAsync($$"""
            UPDATE videos SET "Status" = 'Running', "Stage" = 'Generation', "OutputKey" = NULL,
              "Timeline" = jsonb_set(jsonb_set("Timeline", '{clips,{{index}},generated}', 'false'), '{overlays}',
                (SELECT coalesce(jsonb_agg(o), '[]'::jsonb) FROM jsonb_array_elements("Timeline"->'overlays') o WHERE o->>'kind' <> 'generatedLabel'))
            WHERE "Id" = @id
            """, ("id", id)));
        var jobs = service.Factory.Services.GetRequiredService<IBackgroundJobClient>();
        jobs.Enqueue<StillGenerationJob>(j => j.RunAsync(id, CancellationToken.None));
        jobs.Enqueue<StillGenerationJob>(j => j.RunAsync(id, CancellationToken.None));

        var again = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(again.Status == VideoStatus.Succeeded, again.ToString());
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"select count(*) from assets where \"Description\" like 'Generated for video {id}%'"));
        Assert.Equal(assetId, Assert.Single(again.GeneratedStills).AssetId);
        var after = await service.GetJsonAsync($"/videos/{id}/timeline");
        Assert.Equal(assetId, after.GetProperty("clips")[index].GetProperty("assetId").GetGuid());
        Assert.Single(after.GetProperty("overlays").EnumerateArray(), o => o.GetProperty("kind").GetString() == "generatedLabel");
        Assert.Single(Directory.GetFiles(service.StorageRoot, "original.png", SearchOption.AllDirectories), p => p.Contains(assetId.ToString("N")));
    }

    [Fact]
    public async Task The_same_sentence_gets_a_title_card_when_generation_is_off()
    {
        var (_, video, timeline) = await MakeAsync(generate: false);
        var clips = timeline.GetProperty("clips").EnumerateArray().ToList();
        var fallback = clips.Single(c => c.GetProperty("sentenceIndex").GetInt32() == 1);
        Assert.Equal("titleCard", fallback.GetProperty("kind").GetString());
        Assert.True(fallback.GetProperty("fallback").GetBoolean());
        Assert.Empty(video.GeneratedStills);
    }
}

/// <summary>The same library, with a diffusion model folder that does not load (its files are not models).</summary>
public sealed class BrokenModelFixture : SmallLibraryFixture
{
    protected override string GenerationModelPath
    {
        get
        {
            var folder = Path.Combine(StorageRoot, "broken-sd");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "model_index.json"), "{ this is not json");
            return folder;
        }
    }
}

public sealed class FailedGenerationTests(BrokenModelFixture service) : IClassFixture<BrokenModelFixture>
{
    /// <summary>
    /// Stills are an extra: a generator that cannot load leaves the sentence's title card, says why on the clip,
    /// and the video is delivered (the job's failures used to leave the video running at generation for good).
    /// </summary>
    [Fact]
    public async Task A_generator_that_fails_leaves_the_title_card_with_the_reason_and_the_video_is_made()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = "A red circle rose over the city. Then a green triangle appeared.", generateStills = true });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());

        var timeline = await service.GetJsonAsync($"/videos/{id}/timeline");
        var fallback = timeline.GetProperty("clips").EnumerateArray().Single(c => c.GetProperty("sentenceIndex").GetInt32() == 1);
        Assert.Equal("titleCard", fallback.GetProperty("kind").GetString());
        Assert.False(fallback.GetProperty("generated").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(fallback.GetProperty("generationError").GetString()));
        Assert.Empty(video.GeneratedStills);
        Assert.Equal(0L, await service.Database.ScalarAsync<long>($"select count(*) from assets where \"Description\" like 'Generated for video {id}%'"));
    }
}
