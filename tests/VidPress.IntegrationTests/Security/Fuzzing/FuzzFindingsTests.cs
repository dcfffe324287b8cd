using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>What the request fuzzer found besides the defects it was pointed at, each pinned by its smallest request.</summary>
[Collection(SharedService.Name)]
public sealed class FuzzFindingsTests(ServiceFixture service)
{
    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task A_client_that_accepts_neither_json_type_still_gets_problems(string accept)
    {
        // The 401 challenge threw (a 500), the binding failure's 400 and the status-code pages' 404 had no problem body.
        using var anonymous = service.CreateClient(null);
        await AssertProblemAsync(anonymous, new HttpRequestMessage(HttpMethod.Get, "/videos"), accept, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(service.Client, new HttpRequestMessage(HttpMethod.Get, "/videos?limit=abc"), accept, HttpStatusCode.BadRequest);
        await AssertProblemAsync(service.Client, new HttpRequestMessage(HttpMethod.Get, "/library/shots/not-an-id/thumbnail"), accept, HttpStatusCode.NotFound);
        var wrongType = new HttpRequestMessage(HttpMethod.Post, "/videos") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        await AssertProblemAsync(service.Client, wrongType, accept, HttpStatusCode.UnsupportedMediaType);
    }

    public static TheoryData<string, string, string> MalformedForms => new()
    {
        // The body of another request under a multipart header: the reader meets no boundary before the end.
        { "/library/assets", "multipart/form-data; boundary=fuzz", "{}" },
        { "/library/music", "multipart/form-data; boundary=fuzz", "{}" },
        // A file part whose closing boundary never comes.
        { "/library/assets", "multipart/form-data; boundary=fuzz",
            "--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n\u0089PNG" },
        { "/library/music", "multipart/form-data; boundary=fuzz", "--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.wav\"\r\n\r\nRIFF" },
        { "/library/music", "multipart/form-data", "--fuzz--\r\n" },
        { "/library/music", "multipart/form-data; boundary=" + new string('b', 129), "--x--\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task A_malformed_multipart_upload_is_a_400_problem_that_stores_nothing(string path, string contentType, string body)
    {
        var before = await StoredAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await service.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await Problems.ProblemAsync(response);
        Assert.Equal(before, await StoredAsync());
    }

    [Theory]
    [InlineData("\uFFFE")]
    [InlineData("harbour \uFFFF\uFFFE at dawn")]
    public async Task An_asset_titled_with_a_noncharacter_is_uploaded(string title)
    {
        // TextTerms normalised the title for the search index, and string.Normalize throws on U+FFFE: a 500.
        using var response = await service.Client.UploadAsync("/library/assets", Repository.Path("models", "tiny-clip", "purple-circle.png"), "purple.png", "image/png", ("title", title));
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK,
            $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var search = await service.Client.GetAsync("/library/search?q=" + Uri.EscapeDataString(title));
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    private static async Task AssertProblemAsync(HttpClient client, HttpRequestMessage request, string accept, HttpStatusCode expected)
    {
        using (request)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == expected, $"{request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Problems.ProblemAsync(response);
        }
    }

    /// <summary>The rows of the upload tables and every file under the storage root but the tests' own folder.</summary>
    private async Task<string> StoredAsync()
    {
        // The scratch root stays once made; a run's own scratch folder inside it must not.
        Directory.CreateDirectory(Path.Combine(service.StorageRoot, "scratch"));
        var rows = await service.Database.ScalarAsync<long>("SELECT (SELECT count(*) FROM assets) * 1000 + (SELECT count(*) FROM music_tracks)");
        var files = Directory.EnumerateFileSystemEntries(service.StorageRoot, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(service.WorkFolder, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        return JsonSerializer.Serialize(new { rows, files });
    }
}
