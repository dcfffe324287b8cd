using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Tenants;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

/// <summary>Rate limits, size limits, and problem documents for every kind of error.</summary>
[Collection(SharedService.Name)]
public sealed class LimitsTests(ServiceFixture shared) : IAsyncLifetime
{
    private TwoNewsrooms _service = null!;

    public async Task InitializeAsync() => _service = await TwoNewsrooms.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_tenant_over_its_requests_per_minute_gets_429_with_retry_after()
    {
        var limited = await _service.CreateKeyAsync("newsroom-limited");
        await using (var scope = _service.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TenantAdmin>().SetRequestsPerMinuteAsync("newsroom-limited", 3, CancellationToken.None);
        using var client = _service.CreateClient(limited.Key);
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync("/videos");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await client.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, refused.Headers.RetryAfter?.ToString());
        await Problems.ProblemAsync(refused);
        // Other tenants keep their own budget.
        using var other = await _service.ClientB.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task An_oversized_json_body_is_a_413_problem_and_stores_nothing()
    {
        var before = await _service.Database.ScalarAsync<long>("select count(*) from videos");
        var json = $$"""{ "text": "{{new string('a', 1_100_000)}}" }""";
        using var response = await _service.ClientB.PostAsync("/videos", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problems.ProblemAsync(response);

        using var chunked = await _service.ClientB.PostAsync("/videos", new ChunkedContent(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        await Problems.ProblemAsync(chunked);
        Assert.Equal(before, await _service.Database.ScalarAsync<long>("select count(*) from videos"));
    }

    [Fact]
    public async Task A_small_chunked_json_body_still_works()
    {
        using var response = await _service.ClientB.PostAsync("/videos", new ChunkedContent("""{ "text": "!!! ???" }"""u8.ToArray()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_declaring_more_than_the_limit_is_a_413_problem()
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent(new byte[16]), "file", "big.mp4" } };
        content.Headers.ContentLength = 3L * 1024 * 1024 * 1024;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/library/assets") { Content = content };
        using var response = await _service.ClientB.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var response = await _service.ClientB.GetAsync("/no/such/route");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        using var response = await _service.ClientB.PostAsync("/videos", new StringContent("text=A red circle.", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        using var response = await _service.ClientB.PutAsync("/videos", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    /// <summary>A body without Content-Length, as a streaming client sends it.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] data;

        public ChunkedContent(byte[] data)
        {
            this.data = data;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
