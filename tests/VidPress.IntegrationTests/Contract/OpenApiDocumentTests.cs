using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Contract;

/// <summary>The running service's OpenAPI document, as an integrator's tools read it.</summary>
[Collection(SharedService.Name)]
public sealed class OpenApiDocumentTests(ServiceFixture service)
{
    /// <summary>The document as the service serves it, written to a file for the command-line tools.</summary>
    private async Task<string> WriteDocumentAsync()
    {
        using var response = await service.Client.GetAsync("/swagger/v1/swagger.json");
        response.EnsureSuccessStatusCode();
        var path = Path.Combine(service.WorkFolder, "openapi-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(path, await response.Content.ReadAsStringAsync());
        return path;
    }

    [Fact]
    public async Task Redocly_recommended_rules_pass_with_no_error_and_no_warning()
    {
        var document = await WriteDocumentAsync();
        var (exitCode, output, error) = await OpsTools.RunAsync("redocly", ["lint", "--extends=recommended", "--format=json", document]);
        // The JSON report: every problem with its rule and severity, and the totals.
        using var report = JsonDocument.Parse(output[output.IndexOf('{')..]);
        var problems = string.Join("\n", report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.GetProperty("pointer").GetString()))}"));
        var totals = report.RootElement.GetProperty("totals");
        Assert.True(exitCode == 0 && totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0,
            $"redocly lint exited {exitCode} with {totals}:\n{problems}\n{error}");
    }

    private async Task<JsonElement> DocumentAsync() => await service.GetJsonAsync("/swagger/v1/swagger.json");

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Theory]
    [InlineData("VideoStatus", new[] { "queued", "running", "succeeded", "failed", "cancelled" })]
    [InlineData("AssetStatus", new[] { "ingesting", "ready", "failed" })]
    [InlineData("AssetKind", new[] { "video", "image" })]
    [InlineData("AnchorKind", new[] { "person", "organisation", "place", "keyword" })]
    [InlineData("ClipKind", new[] { "videoShot", "still", "titleCard", "generatedStill" })]
    [InlineData("OverlayKind", new[] { "openingTitle", "lowerThird", "generatedLabel" })]
    [InlineData("Transition", new[] { "cut", "crossfade" })]
    [InlineData("SubtitleFormat", new[] { "srt", "vtt" })]
    public async Task Enums_are_strings_with_the_values_on_the_wire(string name, string[] values)
    {
        var schema = Schema(await DocumentAsync(), name);
        Assert.Equal("string", schema.GetProperty("type").GetString());
        Assert.Equal(values, Strings(schema.GetProperty("enum")));
    }

    [Fact]
    public async Task A_created_video_carries_only_values_its_schema_lists_and_every_required_property()
    {
        var document = await DocumentAsync();
        using var response = await service.Client.PostAsJsonAsync("/videos", new { text = "The council met on Tuesday. It agreed a new budget for the harbour." });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var video = await response.Content.ReadFromJsonAsync<JsonElement>();
        await service.Client.PostAsync($"/videos/{video.GetProperty("id").GetString()}/cancel", null);
        Assert.Contains(video.GetProperty("status").GetString(), Strings(Schema(document, "VideoStatus").GetProperty("enum")));
        Assert.Contains(video.GetProperty("stage").GetString(), Strings(Schema(document, "VideoStage").GetProperty("enum")));
        foreach (var required in Strings(Schema(document, "VideoResponse").GetProperty("required")))
            Assert.True(video.TryGetProperty(required, out var value) && value.ValueKind != JsonValueKind.Null, $"{required} in {video}");
        Assert.Equal(response.Headers.Location?.ToString(), video.GetProperty("links").GetProperty("self").GetString());
    }

    [Fact]
    public async Task What_is_always_sent_is_required_and_what_may_be_left_out_is_nullable()
    {
        var document = await DocumentAsync();
        var video = Schema(document, "VideoResponse");
        var required = Strings(video.GetProperty("required"));
        Assert.All(new[] { "id", "status", "stage", "progress", "aspectRatio", "resolution", "attempt", "createdAt", "links", "outputs", "burnSubtitles" },
            p => Assert.Contains(p, required));
        Assert.All(new[] { "title", "error", "finishedAt", "reference", "metadata", "durationSeconds" }, p => Assert.DoesNotContain(p, required));
        Assert.True(video.GetProperty("properties").GetProperty("error").GetProperty("nullable").GetBoolean());
        Assert.False(video.GetProperty("properties").GetProperty("id").TryGetProperty("nullable", out _));
        Assert.Contains("self", Strings(Schema(document, "VideoLinks").GetProperty("required")));
        Assert.Contains("id", Strings(Schema(document, "AssetResponse").GetProperty("required")));
        // Every request field of a video is optional: one of text, url and script is enough.
        Assert.False(Schema(document, "CreateVideoRequest").TryGetProperty("required", out _));
    }

    [Theory]
    [InlineData("/videos/{id}/file", "video/mp4", false)]
    [InlineData("/videos/{id}/download", "video/mp4", false)]
    [InlineData("/videos/{id}/poster", "image/jpeg", false)]
    [InlineData("/library/shots/{id}/thumbnail", "image/jpeg", false)]
    [InlineData("/videos/{id}/subtitles", "text/vtt", true)]
    [InlineData("/videos/{id}/subtitles/download", "application/x-subrip", true)]
    public async Task Files_are_binary_bodies_with_their_media_type_and_byte_ranges(string path, string mediaType, bool entityTag)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty("get");
        var responses = operation.GetProperty("responses");
        foreach (var code in new[] { "200", "206" })
        {
            var body = responses.GetProperty(code).GetProperty("content").GetProperty(mediaType).GetProperty("schema");
            Assert.Equal("binary", body.GetProperty("format").GetString());
            Assert.True(responses.GetProperty(code).GetProperty("headers").TryGetProperty("Accept-Ranges", out _));
            Assert.Equal(entityTag, responses.GetProperty(code).GetProperty("headers").TryGetProperty("ETag", out _));
        }
        Assert.True(responses.GetProperty("206").GetProperty("headers").TryGetProperty("Content-Range", out _));
        Assert.True(responses.TryGetProperty("416", out _));
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Range" && p.GetProperty("in").GetString() == "header");
    }

    [Fact]
    public async Task Headers_are_described()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        foreach (var path in new[] { "/videos", "/library/assets" })
        {
            var create = paths.GetProperty(path).GetProperty("post");
            Assert.Contains(create.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
            Assert.True(create.GetProperty("responses").GetProperty("202").GetProperty("headers").TryGetProperty("Location", out _), path);
            Assert.True(create.GetProperty("responses").GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _), path);
        }
        Assert.True(paths.GetProperty("/library/music").GetProperty("post").GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _));
        var subtitles = paths.GetProperty("/videos/{id}/subtitles").GetProperty("get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "format");
        Assert.True(subtitles.GetProperty("required").GetBoolean());
        Assert.Equal("#/components/schemas/SubtitleFormat", subtitles.GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Signed_links_need_no_key_and_never_answer_401()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        foreach (var path in new[] { "/videos/{id}/download", "/videos/{id}/subtitles/download" })
        {
            var operation = paths.GetProperty(path).GetProperty("get");
            Assert.Equal(0, operation.GetProperty("security").GetArrayLength());
            Assert.False(operation.GetProperty("responses").TryGetProperty("401", out _), path);
            Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _), path);
        }
        Assert.True(paths.GetProperty("/videos/{id}/file").GetProperty("get").GetProperty("responses").TryGetProperty("401", out _));
    }

    [Fact]
    public async Task Webhook_events_are_described_with_their_payload_and_signature_headers()
    {
        var document = await DocumentAsync();
        var webhooks = document.GetProperty("x-webhooks");
        foreach (var name in new[] { "video.succeeded", "video.failed" })
        {
            var post = webhooks.GetProperty(name).GetProperty("post");
            Assert.Equal("#/components/schemas/WebhookPayload",
                post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.Equal(new[] { "webhook-id", "webhook-timestamp", "webhook-signature" },
                post.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!).ToArray());
        }
        Assert.Equal(new[] { "data", "timestamp", "type" }, Strings(Schema(document, "WebhookPayload").GetProperty("required")).Order().ToArray());
        Assert.Contains("videoId", Strings(Schema(document, "WebhookVideo").GetProperty("required")));
    }
}
