using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Delivery;

/// <summary>
/// One video of the shape library made as a CMS asks for it: with its own reference and metadata, a second format, the
/// subtitles left un-burned for the player, and a callback. Everything a CMS gets back about it: the video, the list,
/// the webhook, the signed links of each format and of the subtitles, HEAD on every file, the SRT and WebVTT files.
/// </summary>
public sealed class CmsVideo(ShapeLibrary library)
{
    public ShapeLibrary Library { get; } = library;
    public string Reference { get; } = "cms-story-4711-" + Guid.NewGuid().ToString("N")[..8];
    public string HookPath { get; } = "/hooks/cms-" + Guid.NewGuid().ToString("N")[..8];
    public Guid Id { get; private set; }
    public VideoResponse Video { get; private set; } = null!;
    public JsonElement Webhook { get; private set; }

    public static Task<CmsVideo> OnAsync(ServiceFixture service) => service.SceneAsync("cms video", async s =>
    {
        var scene = new CmsVideo(await ShapeLibrary.OnAsync(s));
        scene.Id = await scene.Library.Client.PostVideoAsync(new
        {
            text = "A red circle rose over the city. Later a blue square appeared.",
            aspectRatio = "16:9", resolution = "720p", targetDurationSeconds = 10,
            formats = new[] { new { aspectRatio = "9:16", resolution = "720p" } },
            burnSubtitles = false,
            reference = scene.Reference,
            metadata = new Dictionary<string, string> { ["desk"] = "city", ["slot"] = "evening-news", ["cms.section"] = "Lokales & Stadt" },
            callbackUrl = s.Webhooks.BaseUrl + scene.HookPath,
        });
        scene.Video = await scene.Library.WaitForVideoAsync(scene.Id, TimeSpan.FromMinutes(4));
        Assert.True(scene.Video.Status == VideoStatus.Succeeded, scene.Video.ToString());
        var received = await s.Webhooks.WaitForAsync(r => r.Any(w => w.Path == scene.HookPath), TimeSpan.FromMinutes(1));
        scene.Webhook = JsonDocument.Parse(received.First(w => w.Path == scene.HookPath).Body).RootElement.Clone();
        return scene;
    });
}

[Collection(SharedService.Name)]
public sealed class CmsHandOffTests(ServiceFixture shared) : IAsyncLifetime
{
    private CmsVideo _cms = null!;
    private HttpClient Client => _cms.Library.Client;
    private readonly HttpClient _anonymous = shared.CreateClient(null);

    public async Task InitializeAsync() => _cms = await CmsVideo.OnAsync(shared);

    public Task DisposeAsync()
    {
        _anonymous.Dispose();
        return Task.CompletedTask;
    }

    private static string PathOf(string absolute)
    {
        var uri = new Uri(absolute);
        Assert.Equal(new Uri(ServiceFixture.PublicBaseUrl).Host, uri.Host);
        return uri.PathAndQuery;
    }

    [Fact]
    public async Task The_reference_and_metadata_come_back_in_the_video_the_list_and_the_webhook()
    {
        var video = await Client.GetVideoAsync(_cms.Id);
        Assert.Equal(_cms.Reference, video.Reference);
        Assert.Equal(new Dictionary<string, string> { ["desk"] = "city", ["slot"] = "evening-news", ["cms.section"] = "Lokales & Stadt" }, video.Metadata);
        Assert.False(video.BurnSubtitles);

        var listed = await Client.GetAsync<VideoResponse[]>($"/videos?reference={Uri.EscapeDataString(_cms.Reference)}");
        Assert.Equal([_cms.Id], listed.Select(v => v.Id));
        Assert.Equal(_cms.Reference, listed[0].Reference);
        Assert.Equal("city", listed[0].Metadata!["desk"]);
        Assert.Contains(await Client.GetAsync<VideoResponse[]>("/videos?limit=200"), v => v.Id == _cms.Id && v.Reference == _cms.Reference);
        Assert.Empty(await Client.GetAsync<VideoResponse[]>("/videos?reference=no-such-story"));

        var data = _cms.Webhook.GetProperty("data");
        Assert.Equal("video.succeeded", _cms.Webhook.GetProperty("type").GetString());
        Assert.Equal(_cms.Reference, data.GetProperty("reference").GetString());
        Assert.Equal("Lokales & Stadt", data.GetProperty("metadata").GetProperty("cms.section").GetString());
        Assert.Equal("evening-news", data.GetProperty("metadata").GetProperty("slot").GetString());
    }

    [Fact]
    public async Task Every_format_has_its_own_signed_link_that_opens_that_format_and_no_other()
    {
        var video = await Client.GetVideoAsync(_cms.Id);
        Assert.Equal(["16x9-720p", "9x16-720p"], video.Outputs.Select(o => o.Format));
        Assert.Equal(["16x9-720p", "9x16-720p"], video.Links.Downloads!.Keys.Order());
        var webhookLinks = _cms.Webhook.GetProperty("data").GetProperty("links").GetProperty("downloads");
        Assert.Equal(["16x9-720p", "9x16-720p"], webhookLinks.EnumerateObject().Select(p => p.Name).Order());

        foreach (var output in video.Outputs)
        {
            Assert.Equal(video.Links.Downloads[output.Format], output.Download);
            var keyed = await Client.GetByteArrayAsync(output.File);
            foreach (var link in new[] { output.Download!, PathOf(webhookLinks.GetProperty(output.Format).GetString()!) })
            {
                Assert.Contains($"format={output.Format}", link);
                using var response = await _anonymous.GetAsync(link);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(keyed, await response.Content.ReadAsByteArrayAsync());
            }
            var path = Path.Combine(_cms.Library.WorkFolder, $"{_cms.Id}-{output.Format}.mp4");
            await File.WriteAllBytesAsync(path, keyed);
            var stream = Media.Stream(await Media.ProbeAsync(path), "video");
            Assert.Equal((output.Width, output.Height), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        }
        // The two formats differ, so serving the wrong one would have shown above; a link's format cannot be swapped.
        var vertical = video.Links.Downloads["9x16-720p"];
        using var swapped = await _anonymous.GetAsync(vertical.Replace("format=9x16-720p", "format=16x9-720p"));
        Assert.Equal(HttpStatusCode.Forbidden, swapped.StatusCode);
        await Problems.ProblemAsync(swapped);
        using var added = await _anonymous.GetAsync(video.Links.Download + "&format=9x16-720p");
        Assert.Equal(HttpStatusCode.Forbidden, added.StatusCode);
        // The main link still opens the main format.
        Assert.Equal(await Client.GetByteArrayAsync(video.Links.File!), await _anonymous.GetByteArrayAsync(video.Links.Download!));
    }

    [Fact]
    public async Task A_range_outside_a_file_is_a_416_problem_giving_the_files_size()
    {
        var video = await Client.GetVideoAsync(_cms.Id);
        foreach (var path in new[] { video.Links.File!, video.Links.Poster!, video.Links.Subtitles!.Srt, video.Links.Subtitles.Vtt })
        {
            var size = (await Client.GetByteArrayAsync(path)).Length;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(999_999_999_999, null);
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"bytes */{size}", response.Content.Headers.ContentRange?.ToString());
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(416, problem.RootElement.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task Head_answers_every_file_endpoint_with_the_get_headers_and_no_body()
    {
        var video = await Client.GetVideoAsync(_cms.Id);
        var timeline = await _cms.Library.GetJsonAsync($"/videos/{_cms.Id}/timeline");
        var shot = timeline.GetProperty("clips")[0].GetProperty("shotId").GetGuid();
        // Every file answers byte ranges (a player seeks in the MP4, a CDN fetches any file in parts).
        (HttpClient Client, string Path)[] files =
        [
            (Client, video.Links.File!),
            (Client, video.Outputs[1].File),
            (_anonymous, video.Links.Download!),
            (_anonymous, video.Links.Downloads!["9x16-720p"]),
            (Client, video.Links.Poster!),
            (Client, $"/library/shots/{shot}/thumbnail"),
            (Client, video.Links.Subtitles!.Srt),
            (Client, video.Links.Subtitles.Vtt),
            (_anonymous, video.Links.SubtitlesDownload!.Vtt),
        ];
        foreach (var (client, path) in files)
        {
            using var get = await client.GetAsync(path);
            var body = await get.Content.ReadAsByteArrayAsync();
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.True(get.StatusCode == HttpStatusCode.OK && head.StatusCode == HttpStatusCode.OK, $"{path}: GET {(int)get.StatusCode}, HEAD {(int)head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            Assert.Equal(body.Length, head.Content.Headers.ContentLength);
            Assert.Equal(get.Headers.AcceptRanges.ToString(), head.Headers.AcceptRanges.ToString());
            Assert.Contains("bytes", head.Headers.AcceptRanges);
            Assert.Equal(get.Headers.ETag?.ToString(), head.Headers.ETag?.ToString());
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        // A HEAD is refused as its GET is: a changed signature, a missing key.
        using var forged = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, video.Links.Download! + "0"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using var unkeyed = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, video.Links.File!));
        Assert.Equal(HttpStatusCode.Unauthorized, unkeyed.StatusCode);
    }

    [Fact]
    public async Task Each_mp4_carries_an_etag_of_its_bytes_for_revalidation_and_resumed_downloads()
    {
        var video = await Client.GetVideoAsync(_cms.Id);
        foreach (var (client, path) in new[] { (Client, video.Links.File!), (Client, video.Outputs[1].File), (_anonymous, video.Links.Downloads!["9x16-720p"]) })
        {
            using var get = await client.GetAsync(path);
            var bytes = await get.Content.ReadAsByteArrayAsync();
            // The tag is the file's own hash, worked out here from what came down.
            var expected = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..32] + "\"";
            Assert.Equal(expected, get.Headers.ETag?.Tag);
            Assert.False(get.Headers.ETag!.IsWeak);

            using var revalidate = new HttpRequestMessage(HttpMethod.Get, path);
            revalidate.Headers.IfNoneMatch.Add(get.Headers.ETag);
            using var notModified = await client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

            // A download resumed against the same render gets the rest; against another render, the whole new file.
            using var resume = new HttpRequestMessage(HttpMethod.Get, path);
            resume.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, null);
            resume.Headers.IfRange = new System.Net.Http.Headers.RangeConditionHeaderValue(get.Headers.ETag);
            using var rest = await client.SendAsync(resume);
            Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
            Assert.Equal(bytes[1000..], await rest.Content.ReadAsByteArrayAsync());
            using var stale = new HttpRequestMessage(HttpMethod.Get, path);
            stale.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, null);
            stale.Headers.IfRange = new System.Net.Http.Headers.RangeConditionHeaderValue("\"0123456789abcdef0123456789abcdef\"");
            using var whole = await client.SendAsync(stale);
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(bytes.Length, (await whole.Content.ReadAsByteArrayAsync()).Length);
        }
        // The two formats are different files, so their tags differ.
        using var main = await Client.GetAsync(video.Links.File!, HttpCompletionOption.ResponseHeadersRead);
        using var second = await Client.GetAsync(video.Outputs[1].File, HttpCompletionOption.ResponseHeadersRead);
        Assert.NotEqual(main.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task The_subtitles_are_the_timelines_cues_as_srt_and_webvtt()
    {
        var video = await Client.GetVideoAsync(_cms.Id);
        var cues = (await _cms.Library.GetJsonAsync($"/videos/{_cms.Id}/timeline")).GetProperty("subtitles").EnumerateArray()
            .Select(c => (Start: c.GetProperty("start").GetDouble(), End: c.GetProperty("end").GetDouble(), Text: c.GetProperty("text").GetString()!)).ToList();
        Assert.NotEmpty(cues);

        using var srt = await Client.GetAsync(video.Links.Subtitles!.Srt);
        Assert.Equal("application/x-subrip", srt.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["en"], srt.Content.Headers.ContentLanguage);
        var srtBlocks = (await srt.Content.ReadAsStringAsync()).Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cues.Count, srtBlocks.Length);

        using var vtt = await Client.GetAsync(video.Links.Subtitles.Vtt);
        Assert.Equal("text/vtt", vtt.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", vtt.Content.Headers.ContentType?.CharSet);
        var vttText = await vtt.Content.ReadAsStringAsync();
        Assert.StartsWith("WEBVTT\n\n", vttText);
        var vttBlocks = vttText["WEBVTT\n\n".Length..].Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < cues.Count; i++)
        {
            var lines = vttBlocks[i].Split('\n');
            Assert.Equal($"{Stamp(cues[i].Start, '.')} --> {Stamp(cues[i].End, '.')}", lines[1]);
            Assert.Equal(cues[i].Text.Replace('\n', ' '), string.Join(' ', lines[2..]));
            Assert.Equal($"{Stamp(cues[i].Start, ',')} --> {Stamp(cues[i].End, ',')}", srtBlocks[i].Split("\r\n")[1]);
        }

        // The signed WebVTT is the same file, for a player on any site; its ETag makes a revalidation a 304.
        var signed = PathOf(_cms.Webhook.GetProperty("data").GetProperty("links").GetProperty("subtitlesDownload").GetProperty("vtt").GetString()!);
        using var track = await _anonymous.GetAsync(signed);
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        Assert.Equal(vttText, await track.Content.ReadAsStringAsync());
        Assert.Equal("*", track.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var again = new HttpRequestMessage(HttpMethod.Get, signed);
        again.Headers.IfNoneMatch.Add(track.Headers.ETag!);
        using var notModified = await _anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var otherFormat = await _anonymous.GetAsync(signed.Replace("format=vtt", "format=srt"));
        Assert.Equal(HttpStatusCode.Forbidden, otherFormat.StatusCode);

        using var unknown = await Client.GetAsync($"/videos/{_cms.Id}/subtitles?format=ass");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await Problems.ProblemAsync(unknown)).GetProperty("errors").TryGetProperty("format", out _));
        using var foreign = await shared.CreateClient((await shared.CreateKeyAsync("cms-outsider")).Key).GetAsync(video.Links.Subtitles.Vtt);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        static string Stamp(double seconds, char separator)
        {
            var ms = (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);
            return $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}{separator}{ms % 1000:000}";
        }
    }

    [Fact]
    public async Task Subtitles_left_unburned_are_not_in_the_picture()
    {
        var cue = (await _cms.Library.GetJsonAsync($"/videos/{_cms.Id}/timeline")).GetProperty("subtitles")[0];
        var at = (cue.GetProperty("start").GetDouble() + cue.GetProperty("end").GetDouble()) / 2;
        var path = Path.Combine(_cms.Library.WorkFolder, $"{_cms.Id}-unburned.mp4");
        await File.WriteAllBytesAsync(path, await Client.GetByteArrayAsync($"/videos/{_cms.Id}/file"));
        // The shapes' pictures have no white; a burned cue would be white text in the bottom quarter (RenderingTests
        // shows the same count above 500 for a burned one).
        Assert.True(await Ink.BottomQuarterAsync(path, at) < 20, "no subtitle drawn at the cue's time");
    }

    [Fact]
    public async Task A_failed_video_its_retry_and_an_edit_keep_the_reference_and_metadata()
    {
        var hook = "/hooks/cms-retry-" + Guid.NewGuid().ToString("N")[..8];
        // "!!! ???" fails at the script stage at once: a failed video, cheaply.
        var id = await Client.PostVideoAsync(new { text = "!!! ??? ...", reference = "story-failing", metadata = new { desk = "sport" }, callbackUrl = shared.Webhooks.BaseUrl + hook });
        Assert.Equal(VideoStatus.Failed, (await Client.WaitForVideoAsync(id, TimeSpan.FromMinutes(1))).Status);
        // The first failure's event is told before the retry: a retry that comes first makes it stale, and the sender
        // drops a run's event once a newer run exists (WebhookSender), so the second wait below would see one.
        await shared.Webhooks.WaitForAsync(r => r.Any(w => w.Path == hook), TimeSpan.FromMinutes(1));
        using (var retry = await Client.PostAsync($"/videos/{id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            var retried = await retry.ReadAsync<VideoResponse>();
            Assert.Equal(("story-failing", "sport"), (retried.Reference, retried.Metadata!["desk"]));
        }
        Assert.Equal(VideoStatus.Failed, (await Client.WaitForVideoAsync(id, TimeSpan.FromMinutes(1))).Status);
        var failures = (await shared.Webhooks.WaitForAsync(r => r.Count(w => w.Path == hook) >= 2, TimeSpan.FromMinutes(1))).Where(w => w.Path == hook).ToList();
        Assert.Equal(2, failures.Select(w => w.Headers["webhook-id"]).Distinct().Count());
        Assert.All(failures, w =>
        {
            var data = JsonDocument.Parse(w.Body).RootElement.GetProperty("data");
            Assert.Equal("failed", data.GetProperty("status").GetString());
            Assert.Equal("story-failing", data.GetProperty("reference").GetString());
            Assert.Equal("sport", data.GetProperty("metadata").GetProperty("desk").GetString());
        });

        // An edit renders the scene's video again: its new event carries the reference too, and the subtitles stay un-burned.
        var timeline = JsonNode.Parse((await _cms.Library.GetJsonAsync($"/videos/{_cms.Id}/timeline")).GetRawText())!;
        using (var put = await Client.PutAsJsonAsync($"/videos/{_cms.Id}/timeline", timeline))
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var edited = await Client.WaitForVideoAsync(_cms.Id, TimeSpan.FromMinutes(4));
        Assert.Equal((VideoStatus.Succeeded, _cms.Reference, false), (edited.Status, edited.Reference, edited.BurnSubtitles));
        var events = (await shared.Webhooks.WaitForAsync(r => r.Count(w => w.Path == _cms.HookPath) >= 2, TimeSpan.FromMinutes(1)))
            .Where(w => w.Path == _cms.HookPath).ToList();
        var again = JsonDocument.Parse(events[^1].Body).RootElement.GetProperty("data");
        Assert.NotEqual(events[0].Headers["webhook-id"], events[^1].Headers["webhook-id"]);
        Assert.Equal(_cms.Reference, again.GetProperty("reference").GetString());
        Assert.Equal("city", again.GetProperty("metadata").GetProperty("desk").GetString());
    }

    [Theory]
    [InlineData("""{ "reference": "" }""", "reference")]
    [InlineData("""{ "reference": "   " }""", "reference")]
    [InlineData("""{ "reference": "line\nbreak" }""", "reference")]
    [InlineData("""{ "metadata": { "desk": null } }""", "metadata.desk")]
    [InlineData("""{ "metadata": { "desk": "a\tb" } }""", "metadata.desk")]
    [InlineData("""{ "metadata": { "bad key": "x" } }""", "metadata")]
    [InlineData("""{ "metadata": { "": "x" } }""", "metadata")]
    [InlineData("""{ "metadata": [1, 2] }""", "metadata")]
    [InlineData("""{ "burnSubtitles": "no" }""", "burnSubtitles")]
    public async Task A_bad_reference_or_metadata_is_a_problem_naming_the_field_and_stores_nothing(string fields, string field)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["text"] = "A red circle rose over the city.";
        await AssertRefusedAsync(body, field);
    }

    [Fact]
    public async Task References_and_metadata_are_held_to_their_sizes()
    {
        await AssertRefusedAsync(new JsonObject { ["text"] = "A red circle.", ["reference"] = new string('r', 201) }, "reference");
        var many = new JsonObject();
        for (var i = 0; i < 21; i++) many[$"k{i}"] = "v";
        await AssertRefusedAsync(new JsonObject { ["text"] = "A red circle.", ["metadata"] = many }, "metadata");
        await AssertRefusedAsync(new JsonObject { ["text"] = "A red circle.", ["metadata"] = new JsonObject { [new string('k', 41)] = "v" } }, "metadata");
        await AssertRefusedAsync(new JsonObject { ["text"] = "A red circle.", ["metadata"] = new JsonObject { ["desk"] = new string('v', 501) } }, "metadata.desk");
        using var list = await Client.GetAsync($"/videos?reference={new string('r', 201)}");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        await Problems.ProblemAsync(list);
    }

    private async Task AssertRefusedAsync(JsonObject body, string field)
    {
        var before = await shared.Database.ScalarAsync<long>($"SELECT count(*) FROM videos WHERE \"TenantId\" = '{_cms.Library.TenantId}'");
        using var post = await Client.PostAsJsonAsync("/videos", body);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var problem = await Problems.ProblemAsync(post);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"{body.ToJsonString()}: {problem}");
        Assert.Equal(before, await shared.Database.ScalarAsync<long>($"SELECT count(*) FROM videos WHERE \"TenantId\" = '{_cms.Library.TenantId}'"));
    }
}

/// <summary>White text in a frame: what a burned subtitle leaves in the bottom quarter.</summary>
public static class Ink
{
    public static async Task<int> BottomQuarterAsync(string video, double seconds)
    {
        var frame = await new FrameDecoder().ReadFrameAsync(video, TimeSpan.FromSeconds(seconds));
        var ink = 0;
        for (var y = frame.Height * 3 / 4; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
                if (frame[x, y] is { R: > 220, G: > 220, B: > 220 }) ink++;
        return ink;
    }
}
