using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class PlainServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service with an empty library";
}

/// <summary>Bad requests get a 4xx problem document, and nothing of them is kept.</summary>
[Collection(PlainServiceCollection.Name)]
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
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("this is not a video, only text"u8.ToArray()), "file", "clip.mp4" },
            { new StringContent("not media"), "title" },
        };
        using var response = await service.Client.PostAsync("/library/assets", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await ProblemAsync(response);
        Assert.Equal(0, await service.Database.ScalarAsync<long>("select count(*) from assets"));
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
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Contains("no sentences", video.GetProperty("error").GetString());
        using var health = await service.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private string[] StoredFiles() =>
        Directory.Exists(service.StorageRoot)
            ? Directory.GetFiles(service.StorageRoot, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(service.WorkFolder)).Order().ToArray()
            : [];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString());
        return problem;
    }
}
