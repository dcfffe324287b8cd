using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VidPress.Api.Library;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

[Collection(SharedService.Name)]
public sealed class IdempotencyTests(ServiceFixture shared) : IAsyncLifetime
{
    private TwoNewsrooms _service = null!;

    public async Task InitializeAsync() => _service = await TwoNewsrooms.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    // Fails at the script stage at once: the tests are about the requests, not about rendering.
    private const string Article = """{ "text": "!!! ??? ...", "title": "idempotent" }""";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostVideoAsync(string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/videos") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await _service.ClientB.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Same_key_and_same_video_request_answer_the_same_video()
    {
        var key = Guid.NewGuid().ToString();
        var first = await PostVideoAsync(key, Article);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        // The same request written differently (key order, whitespace) is the same request.
        var again = await PostVideoAsync(key, """{"title":"idempotent",   "text":"!!! ??? ..."}""");
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Equal(first.Body.GetProperty("id").GetGuid(), again.Body.GetProperty("id").GetGuid());
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>($"select count(*) from videos where \"IdempotencyKey\" = '{key}'"));
    }

    [Fact]
    public async Task Same_key_with_a_different_video_request_is_a_422_problem()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await PostVideoAsync(key, Article)).Status);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/videos") { Content = JsonContent.Create(new { text = "??? !!!", title = "idempotent" }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await _service.ClientB.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_make_one_video()
    {
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostVideoAsync(key, Article)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Single(answers.Select(a => a.Body.GetProperty("id").GetGuid()).Distinct());
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>($"select count(*) from videos where \"IdempotencyKey\" = '{key}'"));
    }

    [Fact]
    public async Task The_same_key_in_another_tenant_is_another_request()
    {
        var key = Guid.NewGuid().ToString();
        var mine = await PostVideoAsync(key, Article);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/videos") { Content = new StringContent(Article, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var theirs = await _service.ClientA.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, theirs.StatusCode);
        Assert.NotEqual(mine.Body.GetProperty("id").GetGuid(), (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_unusable_key_is_a_400_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/videos") { Content = new StringContent(Article, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 201));
        using var response = await _service.ClientB.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    private async Task<HttpResponseMessage> UploadAsync(string key, string picture, string title)
    {
        var form = VidPressClient.UploadForm(Repository.Path("models", "tiny-clip", picture + ".png"), fields: [("title", title), ("tags", "idempotency,test")]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/library/assets") { Content = form };
        request.Headers.Add("Idempotency-Key", key);
        return await _service.ClientB.SendAsync(request);
    }

    [Fact]
    public async Task Same_key_and_same_upload_answer_the_same_asset_and_a_different_upload_is_a_422()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await UploadAsync(key, "yellow-square", "yellow square");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await first.ReadAsync<AssetResponse>()).Id;

        using var again = await UploadAsync(key, "yellow-square", "yellow square");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(id, (await again.ReadAsync<AssetResponse>()).Id);
        Assert.Equal($"/library/assets/{id}", again.Headers.Location?.OriginalString);

        using var otherTitle = await UploadAsync(key, "yellow-square", "a different title");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherTitle.StatusCode);
        await Problems.ProblemAsync(otherTitle);
        using var otherFile = await UploadAsync(key, "white-triangle", "yellow square");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherFile.StatusCode);
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>($"select count(*) from assets where \"IdempotencyKey\" = '{key}'"));
    }
}
