using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VidPress.Api.Library;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

/// <summary>
/// A timeline edit names assets, shots and music by id, and every id is resolved through the editing tenant:
/// another tenant's is a 400 naming the field, a storage key in the body counts for nothing, and the render itself
/// takes the music from the tenant's library, not from the stored document. Every list and value has its bound.
/// </summary>
[Collection(SharedService.Name)]
public sealed class ClientReferencesTests(ServiceFixture shared) : IAsyncLifetime
{
    private TwoNewsrooms _service = null!;

    public async Task InitializeAsync() => _service = await TwoNewsrooms.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> MusicAsync(HttpClient client, string name, int hertz)
    {
        var bed = Path.Combine(_service.WorkFolder, name + ".wav");
        await Media.Ffmpeg("-f", "lavfi", "-i", $"aevalsrc=0.8*sin(2*PI*{hertz}*t)*exp(-25*mod(t\\,0.5)):s=44100:d=8", bed);
        return (await client.UploadMusicAsync(bed, ("title", name))).Id;
    }

    private Task<string> TrackKeyAsync(Guid track) =>
        _service.Database.ScalarAsync<string>($"""select "StorageKey" from music_tracks where "Id" = '{track}'""");

    /// <summary>Tenant B's own asset and one of its shots.</summary>
    private async Task<(Guid Asset, Guid Shot)> AssetOfBAsync()
    {
        var clip = await Media.ShapeClipAsync(_service.WorkFolder, "blue-square");
        var asset = (await _service.ClientB.AddAssetAsync(clip, "blue-square.mp4", fields: ("title", "blue square"))).Id;
        var hits = await _service.ClientB.SearchAsync("a blue square");
        return (asset, hits.First(h => h.AssetId == asset).ShotId);
    }

    /// <summary>A finished video of tenant A's own (no webhook), and its timeline.</summary>
    private async Task<(Guid Id, JsonNode Timeline)> VideoOfAAsync()
    {
        var id = await _service.ClientA.PostVideoAsync(new { text = "A red circle rose over the city.", targetDurationSeconds = 5 });
        Assert.Equal(VideoStatus.Succeeded, (await _service.ClientA.WaitForVideoAsync(id, TimeSpan.FromMinutes(3))).Status);
        return (id, JsonNode.Parse((await _service.ClientA.GetFromJsonAsync<JsonElement>($"/videos/{id}/timeline")).GetRawText())!);
    }

    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problems.ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        return problem;
    }

    /// <summary>The video is as it was: still revision 0, succeeded, no new run.</summary>
    private async Task UnchangedAsync(Guid id, int attempt)
    {
        var video = await _service.ClientA.GetVideoAsync(id);
        Assert.Equal(VideoStatus.Succeeded, video.Status);
        Assert.Equal(attempt, video.Attempt);
        Assert.Equal(0, (await _service.ClientA.GetFromJsonAsync<JsonElement>($"/videos/{id}/timeline")).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Another_tenants_asset_shot_or_music_in_a_timeline_edit_is_a_400_naming_the_field_and_nothing_is_rendered()
    {
        var (assetB, shotB) = await AssetOfBAsync();
        var musicB = await MusicAsync(_service.ClientB, "music-of-b", 80);
        var id = _service.VideoA;
        var timeline = JsonNode.Parse((await _service.ClientA.GetFromJsonAsync<JsonElement>($"/videos/{id}/timeline")).GetRawText())!;
        var attempt = (await _service.ClientA.GetVideoAsync(id)).Attempt;
        Assert.Equal(_service.AssetA, timeline["clips"]![0]!["assetId"]!.GetValue<Guid>());

        var edits = new List<(Action<JsonNode> Edit, string Field)>
        {
            (t => { t["clips"]![0]!["assetId"] = assetB; t["clips"]![0]!["shotId"] = shotB; }, "clips[0].assetId"),
            // A's own asset with B's shot: the two must belong together.
            (t => t["clips"]![0]!["shotId"] = shotB, "clips[0].shotId"),
            (t => t["clips"]![0]!["shotId"] = Guid.NewGuid(), "clips[0].shotId"),
            // A generated still is an AI-generated image of the tenant's, not any asset.
            (t => { t["clips"]![0]!["kind"] = "generatedStill"; t["clips"]![0]!["shotId"] = null; }, "clips[0].assetId"),
            (t => t["music"] = new JsonObject { ["id"] = musicB }, "music.id"),
            (t => t["music"] = new JsonObject { ["id"] = Guid.NewGuid() }, "music.id"),
        };
        var trackKeyB = await TrackKeyAsync(musicB);
        // A storage key instead of an id: never taken.
        edits.Add((t => t["music"] = new JsonObject { ["trackKey"] = trackKeyB, ["tempoBpm"] = 120, ["beats"] = new JsonArray() }, "music.id"));
        foreach (var (edit, field) in edits)
        {
            var edited = timeline.DeepClone();
            edit(edited);
            using var put = await _service.ClientA.PutAsJsonAsync($"/videos/{id}/timeline", edited);
            await RefusedAsync(put, field);
        }
        await UnchangedAsync(id, attempt);
    }

    [Fact]
    public async Task A_forged_track_or_narration_key_in_an_edit_has_no_effect()
    {
        var musicA = await MusicAsync(_service.ClientA, "music-of-a", 60);
        var musicB = await MusicAsync(_service.ClientB, "music-of-b-forged", 90);
        var (id, timeline) = await VideoOfAAsync();
        var narration = timeline["narrationKey"]!.GetValue<string>();
        var edited = timeline.DeepClone();
        edited["music"] = new JsonObject { ["id"] = musicA, ["trackKey"] = await TrackKeyAsync(musicB), ["tempoBpm"] = 1, ["beats"] = new JsonArray(0.5) };
        edited["narrationKey"] = $"tenants/{_service.B.TenantId:N}/videos/{Guid.NewGuid():N}/narration.wav";
        using (var put = await _service.ClientA.PutAsJsonAsync($"/videos/{id}/timeline", edited))
            Assert.True(put.StatusCode == HttpStatusCode.Accepted, await put.Content.ReadAsStringAsync());
        var video = await _service.ClientA.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());

        // What was rendered, as stored: A's own narration and A's track, with the track's own tempo.
        var stored = JsonNode.Parse(await _service.Database.ScalarAsync<string>($"""select "Timeline"::text from videos where "Id" = '{id}'"""))!;
        Assert.Equal(narration, stored["narrationKey"]!.GetValue<string>());
        Assert.Equal(musicA, stored["music"]!["id"]!.GetValue<Guid>());
        Assert.Equal(await TrackKeyAsync(musicA), stored["music"]!["trackKey"]!.GetValue<string>());
        var track = await _service.ClientA.GetAsync<MusicTrackResponse>($"/library/music/{musicA}");
        Assert.Equal(track.TempoBpm, stored["music"]!["tempoBpm"]!.GetValue<double>());
        Assert.NotEqual(new[] { 0.5 }, stored["music"]!["beats"]!.AsArray().Select(b => b!.GetValue<double>()));
    }

    /// <summary>Defence in depth: a stored document naming another tenant's track (however it got there) is not rendered with it.</summary>
    [Fact]
    public async Task The_render_takes_the_music_through_the_tenant_not_from_the_stored_document()
    {
        var musicB = await MusicAsync(_service.ClientB, "music-of-b-stored", 100);
        var (id, _) = await VideoOfAAsync();
        var music = new JsonObject { ["trackKey"] = await TrackKeyAsync(musicB), ["tempoBpm"] = 120, ["beats"] = new JsonArray(), ["id"] = musicB };
        Assert.Equal(1, await _service.Database.ExecuteAsync(
            """UPDATE videos SET "Timeline" = jsonb_set("Timeline", '{music}', @music::jsonb), "Status" = 'Failed', "Stage" = 'Done', "OutputKey" = NULL WHERE "Id" = @id""",
            ("music", music.ToJsonString()), ("id", id)));
        using (var retry = await _service.ClientA.PostAsync($"/videos/{id}/retry", null))
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var video = await _service.ClientA.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Contains("music", video.Error);
    }

    [Fact]
    public async Task Thousands_of_overlays_or_cues_and_values_past_their_bounds_are_a_400_naming_the_field()
    {
        var id = _service.VideoA;
        var timeline = JsonNode.Parse((await _service.ClientA.GetFromJsonAsync<JsonElement>($"/videos/{id}/timeline")).GetRawText())!;
        var attempt = (await _service.ClientA.GetVideoAsync(id)).Attempt;
        var duration = timeline["durationSeconds"]!.GetValue<double>();
        JsonObject Overlay(string text) => new() { ["kind"] = "lowerThird", ["start"] = 0, ["end"] = duration / 2, ["text"] = text };
        JsonObject Cue(string text) => new() { ["start"] = 0, ["end"] = duration / 2, ["text"] = text };

        var edits = new List<(Action<JsonNode> Edit, string Field)>
        {
            (t => t["overlays"] = new JsonArray(Enumerable.Range(0, 3000).Select(i => (JsonNode)Overlay($"name {i}")).ToArray()), "overlays"),
            (t => t["subtitles"] = new JsonArray(Enumerable.Range(0, 3000).Select(i => (JsonNode)Cue($"cue {i}")).ToArray()), "subtitles"),
            (t => t["overlays"] = new JsonArray(Overlay(new string('x', 201))), "overlays[0].text"),
            (t =>
            {
                var late = Overlay("Late");
                late["end"] = duration + 60;
                t["overlays"] = new JsonArray(late);
            }, "overlays[0]"),
            (t => t["subtitles"]![0]!["text"] = new string('x', 501), "subtitles[0].text"),
            (t => t["crossfadeSeconds"] = 1e6, "crossfadeSeconds"),
            (t => t["title"] = new string('t', 501), "title"),
            (t => t["clips"]![0]!["cardText"] = new string('c', 501), "clips[0].cardText"),
            (t => t["clips"]![0]!["matchedTerms"] = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode)$"term {i}").ToArray()), "clips[0].matchedTerms"),
            (t => t["clips"]![0]!["matchedTerms"] = new JsonArray(new string('m', 1001)), "clips[0].matchedTerms"),
            (t => t["clips"]![0]!["motion"] = new JsonObject
            {
                ["startZoom"] = 1, ["endZoom"] = 1000, ["startCenterX"] = 0.5, ["startCenterY"] = 0.5, ["endCenterX"] = 0.5, ["endCenterY"] = 0.5,
            }, "clips[0].motion"),
            (t => t["clips"]![0]!["sourceStart"] = 1e300, "clips[0].sourceStart"),
        };
        foreach (var (edit, field) in edits)
        {
            var edited = timeline.DeepClone();
            edit(edited);
            using var put = await _service.ClientA.PutAsJsonAsync($"/videos/{id}/timeline", edited);
            await RefusedAsync(put, field);
        }

        // Values JSON cannot hold or PostgreSQL cannot store, written into the body as text.
        var json = timeline.ToJsonString();
        var raw = new List<(string Body, string Field)>
        {
            (ReplaceFirst(json, "\"start\":0", "\"start\":\"NaN\""), "clips[0].start"),
            (ReplaceFirst(json, "\"sourceStart\":", "\"sourceStart\":1e400,\"x\":"), "clips[0].sourceStart"),
            (ReplaceFirst(json, "\"revision\":0", "\"revision\":100000000000000000000"), "revision"),
            (ReplaceFirst(json, "\"text\":\"", "\"text\":\"\\u0000"), "clips[0].text"),
        };
        foreach (var (body, field) in raw)
        {
            using var put = await _service.ClientA.PutAsync($"/videos/{id}/timeline", new StringContent(body, Encoding.UTF8, "application/json"));
            await RefusedAsync(put, field);
        }
        await UnchangedAsync(id, attempt);
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{what}' is not in the timeline.");
        return text[..at] + with + text[(at + what.Length)..];
    }
}
