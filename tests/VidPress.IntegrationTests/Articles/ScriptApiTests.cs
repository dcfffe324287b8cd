using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Articles;

/// <summary>POST /videos with the caller's own script, and GET /videos/{id}/script.</summary>
[Collection(SharedService.Name)]
public sealed class ScriptApiTests(ServiceFixture shared) : IAsyncLifetime
{
    private ShapeLibrary _service = null!;

    public async Task InitializeAsync() => _service = await ShapeLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(object body)
    {
        using var response = await _service.Client.PostAsJsonAsync("/videos", body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string> BadScripts() => new()
    {
        { """{ "text": "An article.", "script": [{ "text": "A sentence." }] }""", "exactly one of 'text', 'url' and 'script'" },
        { """{ "url": "http://news.example/a", "script": [{ "text": "A sentence." }] }""", "exactly one of 'text', 'url' and 'script'" },
        { """{ }""", "'script'" },
        { """{ "script": [] }""", "no sentences" },
        { """{ "script": [{ "text": "Fine." }, { "text": "   " }] }""", "script[1].text" },
        { """{ "script": [{ "text": "Fine." }, { }] }""", "script[1].text" },
        { """{ "script": [{ "text": "Fine.", "keywords": [""] }] }""", "script[0].keywords" },
        { """{ "script": [{ "text": "Fine.", "assetId": "00000000-0000-0000-0000-000000000000" }] }""", "script[0].assetId" },
        { """{ "script": [{ "text": "Fine.", "assetId": "5d1c7e0e-8d2f-4a53-9d0f-3f0f4b8f9a11" }] }""", "No ready asset" },
    };

    [Theory]
    [MemberData(nameof(BadScripts))]
    public async Task A_bad_script_is_refused_with_the_field_that_is_wrong(string json, string expected)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await _service.Client.PostAsync("/videos", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, body);
    }

    [Fact]
    public async Task A_script_of_more_than_200_sentences_is_refused()
    {
        var (status, body) = await PostAsync(new { script = Enumerable.Range(0, 201).Select(i => new { text = $"Sentence {i}." }) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 200", body);
    }

    [Fact]
    public async Task A_sentence_over_1000_characters_is_refused()
    {
        var (status, body) = await PostAsync(new { script = new[] { new { text = "Fine." }, new { text = new string('a', 1001) } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("script[1].text", body);
        Assert.Contains("at most 1000", body);
    }

    [Fact]
    public async Task The_script_of_an_unknown_video_is_not_found()
    {
        using var response = await _service.Client.GetAsync($"/videos/{Guid.NewGuid()}/script");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_callers_script_is_narrated_as_written_with_its_pinned_asset_and_anchors()
    {
        var pinned = _service.AssetIds["blue-square"];
        var (status, body) = await PostAsync(new
        {
            title = "Depot opens",
            script = new object[]
            {
                new { text = "Mayor Jane Whitfield opened a red circle depot in Manchester." },
                new { text = "A blue square building houses the buses.", keywords = new[] { "blue square" }, assetId = pinned },
            },
        });
        Assert.True(status == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();

        var video = await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        Assert.Equal($"/videos/{id}/script", video.Links.Script);

        var script = await _service.GetJsonAsync($"/videos/{id}/script");
        Assert.Equal("en", script.GetProperty("language").GetString());
        var sentences = script.GetProperty("sentences").EnumerateArray().ToList();
        Assert.Equal(["Mayor Jane Whitfield opened a red circle depot in Manchester.", "A blue square building houses the buses."],
            sentences.Select(s => s.GetProperty("text").GetString()));
        Assert.False(sentences[0].TryGetProperty("pinnedAssetId", out _));
        Assert.Equal(pinned, sentences[1].GetProperty("pinnedAssetId").GetGuid());
        Assert.Equal("blue square", sentences[1].GetProperty("keywords")[0].GetString());
        var anchors = sentences[0].GetProperty("anchors").EnumerateArray().ToList();
        Assert.Contains(anchors, a => a.GetProperty("text").GetString() == "Jane Whitfield" && a.GetProperty("kind").GetString() == "person");
        Assert.Contains(anchors, a => a.GetProperty("text").GetString() == "Manchester" && a.GetProperty("kind").GetString() == "place");
        Assert.Contains(script.GetProperty("tags").EnumerateArray(), t => t.GetProperty("text").GetString() == "Jane Whitfield");

        var timeline = await _service.GetJsonAsync($"/videos/{id}/timeline");
        Assert.Equal(2, timeline.GetProperty("clips").GetArrayLength());
    }

    /// <summary>A pinned asset is shown for its sentence even when the library holds a better match for the words.</summary>
    [Fact]
    public async Task A_pinned_asset_is_shown_for_its_sentence_over_a_better_match()
    {
        var pinned = _service.AssetIds["red-circle"];
        var (status, body) = await PostAsync(new
        {
            script = new object[]
            {
                new { text = "A green triangle stood in the park.", assetId = pinned },
                new { text = "A green triangle stood in the park again." },
            },
        });
        Assert.True(status == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        var video = await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());

        var clips = (await _service.GetJsonAsync($"/videos/{id}/timeline")).GetProperty("clips").EnumerateArray().ToList();
        Assert.Equal(pinned, clips.Single(c => c.GetProperty("sentenceIndex").GetInt32() == 0).GetProperty("assetId").GetGuid());
        // The unpinned sentence is searched as usual and finds the triangle.
        Assert.Equal(_service.AssetIds["green-triangle"], clips.Single(c => c.GetProperty("sentenceIndex").GetInt32() == 1).GetProperty("assetId").GetGuid());
    }
}
