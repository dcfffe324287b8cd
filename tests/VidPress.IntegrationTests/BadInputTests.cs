using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

/// <summary>Bad requests get a 4xx problem document, and nothing of them is kept.</summary>
[Collection(SharedService.Name)]
public sealed class BadInputTests(ServiceFixture service)
{
    public static TheoryData<string, string> BadVideoRequests => new()
    {
        { """{ "text": "" }""", "text" },
        { """{ "text": "   " }""", "text" },
        { """{ }""", "text" },
        { $$"""{ "text": "{{new string('a', 100_001)}}" }""", "text" },
        { """{ "text": "A red circle.", "aspectRatio": "4:3" }""", "aspectRatio" },
        { """{ "text": "A red circle.", "resolution": "4k" }""", "resolution" },
        { """{ "text": "A red circle.", "url": "https://example.org/a" }""", "url" },
        { """{ "url": "file:///etc/passwd" }""", "url" },
        { """{ "url": "gopher://example.com/" }""", "url" },
        { """{ "text": "A red circle.", "callbackUrl": "ftp://example.org/" }""", "callbackUrl" },
        { """{ "text": "A red circle.", "language": "xx" }""", "language" },
        { """{ "text": "A red circle.", "targetDurationSeconds": 100000 }""", "targetDurationSeconds" },
        // Not numbers JSON has, read as numbers: NaN and infinities written as strings, and numbers past a double.
        { """{ "text": "A red circle.", "targetDurationSeconds": "NaN" }""", "targetDurationSeconds" },
        { """{ "text": "A red circle.", "targetDurationSeconds": "Infinity" }""", "targetDurationSeconds" },
        { """{ "text": "A red circle.", "targetDurationSeconds": "-Infinity" }""", "targetDurationSeconds" },
        { """{ "text": "A red circle.", "targetDurationSeconds": 1e400 }""", "targetDurationSeconds" },
        { """{ "text": "A red circle.", "targetDurationSeconds": -1e400 }""", "targetDurationSeconds" },
        // NUL (which PostgreSQL refuses) and unpaired surrogates (not UTF-8) in any string, wherever it sits.
        { """{ "text": "A red\u0000 circle." }""", "text" },
        { """{ "text": "A red \ud800 circle." }""", "text" },
        { """{ "text": "A red circle.", "title": "Red\u0000" }""", "title" },
        { """{ "script": [{ "text": "A red circle.", "keywords": ["red", "ci\u0000rcle"] }] }""", "script[0].keywords[1]" },
        { """{ "text": "A red circle.", "formats": [{ "aspectRatio": "9:16\u0000", "resolution": "720p" }] }""", "formats[0].aspectRatio" },
        { """{ "text": "A red circle.", "music": "calm\u0000" }""", "music" },
        { $$"""{ "text": "A red circle.", "callbackUrl": "https://example.org/{{new string('a', 2100)}}" }""", "callbackUrl" },
        { $$"""{ "url": "https://example.org/{{new string('a', 2100)}}" }""", "url" },
    };

    [Theory]
    [MemberData(nameof(BadVideoRequests))]
    public async Task Bad_video_request_is_a_problem_and_stores_nothing(string json, string field)
    {
        var before = await service.Database.ScalarAsync<long>("select count(*) from videos");
        using var response = await service.Client.PostAsync("/videos", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await service.Database.ScalarAsync<long>("select count(*) from videos"));
    }

    [Fact]
    public async Task Malformed_json_is_a_problem_and_stores_nothing()
    {
        var before = await service.Database.ScalarAsync<long>("select count(*) from videos");
        using var response = await service.Client.PostAsync("/videos", new StringContent("{ \"text\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        // Says what could not be read, not only "Bad Request".
        Assert.Contains("JSON", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await service.Database.ScalarAsync<long>("select count(*) from videos"));
    }

    [Theory]
    [InlineData("/videos?limit=abc", "limit")]
    [InlineData("/library/search?q=square&limit=many", "limit")]
    public async Task An_unreadable_query_parameter_is_a_400_problem_naming_it(string path, string parameter)
    {
        using var response = await service.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Contains(parameter, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/library/search?q=a%00red%20circle", "q")]
    [InlineData("/library/search?q=circle&licence=own%00", "licence")]
    [InlineData("/videos/0b8f1d3e-0000-4000-8000-000000000000/file?format=9x16%00", "format")]
    [InlineData("/videos?limit=99999999999", "limit")]
    [InlineData("/library/search?q=circle&limit=1e400", "limit")]
    public async Task A_query_parameter_with_a_nul_or_out_of_range_is_a_400_problem_naming_it(string path, string parameter)
    {
        using var response = await service.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task A_search_with_too_many_licence_filters_is_a_400_problem()
    {
        var query = string.Join("&", Enumerable.Range(0, 21).Select(i => $"licence=l{i}"));
        using var response = await service.Client.GetAsync("/library/search?q=circle&" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ProblemAsync(response)).GetProperty("errors").TryGetProperty("licence", out _));
    }

    public static TheoryData<string, string, string, string> BadUploadFields => new()
    {
        { "/library/assets", "title", "Red\0circle", "title" },
        { "/library/assets", "credit", "Agency\0", "credit" },
        { "/library/assets", "file", "clip\0.mp4", "file" },
        { "/library/assets", "file", new string('a', 300) + ".mp4", "file" },
        { "/library/music", "title", new string('t', 501), "title" },
        { "/library/music", "credit", new string('c', 3 * 1024 * 1024), "credit" },
        { "/library/music", "moods", string.Join(",", Enumerable.Range(0, 21).Select(i => $"mood{i}")), "moods" },
        { "/library/music", "moods", new string('m', 51), "moods" },
        { "/library/music", "credit", "Agency\0", "credit" },
        { "/library/music", "file", "bed\0.wav", "file" },
    };

    /// <summary>An upload field past its bound, or with a NUL, is a 400 naming it; no row, no file and no folder is left.</summary>
    [Theory]
    [MemberData(nameof(BadUploadFields))]
    public async Task A_bad_upload_field_is_a_400_naming_it_and_stores_nothing(string path, string field, string value, string named)
    {
        var music = path.EndsWith("music", StringComparison.Ordinal);
        var table = music ? "music_tracks" : "assets";
        var before = await service.Database.ScalarAsync<long>($"select count(*) from {table}");
        var entriesBefore = StoredEntries();
        var media = music ? await BedAsync() : Repository.Path("models", "tiny-clip", "red-circle.png");
        var fileName = field == "file" ? value : Path.GetFileName(media);

        // Written out by hand, so the file name arrives exactly as sent (RFC 5987 filename*, which carries any character).
        const string boundary = "vidpress-test-boundary";
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}\r\n");
        Write("Content-Type: application/octet-stream\r\n\r\n");
        body.Write(await File.ReadAllBytesAsync(media));
        if (field != "file") Write($"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}");
        Write($"\r\n--{boundary}--\r\n");
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        using var response = await service.Client.PostAsync(path, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(named, out _), problem.ToString());
        Assert.Equal(before, await service.Database.ScalarAsync<long>($"select count(*) from {table}"));
        Assert.Equal(entriesBefore, StoredEntries());
    }

    private async Task<string> BedAsync()
    {
        var bed = Path.Combine(service.WorkFolder, "bad-field-bed.wav");
        if (!File.Exists(bed)) await Media.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=3", bed);
        return bed;
    }

    /// <summary>Every file and folder under the storage root but the tests' own and scratch space.</summary>
    private string[] StoredEntries() =>
        Directory.Exists(Path.Combine(service.StorageRoot, "tenants"))
            ? Directory.GetFileSystemEntries(Path.Combine(service.StorageRoot, "tenants"), "*", SearchOption.AllDirectories).Order().ToArray()
            : [];

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem_and_stores_nothing()
    {
        var before = await service.Database.ScalarAsync<long>("select count(*) from videos");
        using var response = await service.Client.PostAsync("/videos", new StringContent("text=A red circle", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await ProblemAsync(response);
        Assert.Equal(before, await service.Database.ScalarAsync<long>("select count(*) from videos"));
    }

    [Theory]
    [InlineData("/videos/0b8f1d3e-0000-4000-8000-000000000000")]
    [InlineData("/videos/0b8f1d3e-0000-4000-8000-000000000000/file")]
    [InlineData("/videos/0b8f1d3e-0000-4000-8000-000000000000/timeline")]
    [InlineData("/library/assets/0b8f1d3e-0000-4000-8000-000000000000")]
    public async Task Unknown_id_is_a_404_problem(string path)
    {
        using var response = await service.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ProblemAsync(response);
    }

    [Fact]
    public async Task Non_media_upload_is_refused_and_leaves_no_row_and_no_file()
    {
        var filesBefore = StoredFiles();
        var assetsBefore = await service.Database.ScalarAsync<long>("select count(*) from assets");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("this is not a video, only text"u8.ToArray()), "file", "clip.mp4" },
            { new StringContent("not media"), "title" },
        };
        using var response = await service.Client.PostAsync("/library/assets", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await ProblemAsync(response);
        Assert.Equal(assetsBefore, await service.Database.ScalarAsync<long>("select count(*) from assets"));
        Assert.Equal(filesBefore, StoredFiles());
    }

    [Fact]
    public async Task Upload_without_a_file_is_a_problem()
    {
        using var form = new MultipartFormDataContent { { new StringContent("no file"), "title" } };
        using var response = await service.Client.PostAsync("/library/assets", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ProblemAsync(response);
    }

    [Fact]
    public async Task Article_without_sentences_fails_the_video_with_a_reason_and_the_service_keeps_serving()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = "!!! ??? ..." });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Contains("no sentences", video.Error);
        using var health = await service.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private string[] StoredFiles() =>
        Directory.Exists(service.StorageRoot)
            ? Directory.GetFiles(service.StorageRoot, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(service.WorkFolder)).Order().ToArray()
            : [];

    private static Task<JsonElement> ProblemAsync(HttpResponseMessage response) => Problems.ProblemAsync(response);
}
