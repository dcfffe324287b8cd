using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Tenants;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

[Collection(SharedService.Name)]
public sealed class TenantIsolationTests(ServiceFixture shared) : IAsyncLifetime
{
    private TwoNewsrooms _service = null!;

    public async Task InitializeAsync() => _service = await TwoNewsrooms.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private IEnumerable<string> ResourcesOfA() =>
    [
        $"/videos/{_service.VideoA}", $"/videos/{_service.VideoA}/script", $"/videos/{_service.VideoA}/timeline",
        $"/videos/{_service.VideoA}/file", $"/videos/{_service.VideoA}/poster", $"/videos/{_service.VideoA}/deliveries",
        $"/videos/{_service.VideoA}/credits", $"/library/assets/{_service.AssetA}", $"/library/shots/{_service.ShotA}/thumbnail",
    ];

    [Fact]
    public async Task Every_resource_of_one_tenant_is_a_404_for_another_and_there_for_its_owner()
    {
        foreach (var path in ResourcesOfA())
        {
            using var mine = await _service.ClientA.GetAsync(path);
            Assert.True(mine.StatusCode == HttpStatusCode.OK, $"{path}: {(int)mine.StatusCode}");
            using var theirs = await _service.ClientB.GetAsync(path);
            Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)theirs.StatusCode}");
            await Problems.ProblemAsync(theirs);
        }
        using var delete = await _service.ClientB.DeleteAsync($"/library/assets/{_service.AssetA}");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        using var stillThere = await _service.ClientA.GetAsync($"/library/assets/{_service.AssetA}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task Lists_and_search_show_only_the_tenants_own_rows()
    {
        var videos = await _service.ClientB.GetFromJsonAsync<JsonElement>("/videos");
        Assert.DoesNotContain(videos.EnumerateArray(), v => v.GetProperty("id").GetGuid() == _service.VideoA);
        var assets = await _service.ClientB.GetFromJsonAsync<JsonElement>("/library/assets");
        Assert.DoesNotContain(assets.EnumerateArray(), a => a.GetProperty("id").GetGuid() == _service.AssetA);
        var hits = await _service.ClientB.GetFromJsonAsync<JsonElement>("/library/search?q=a%20red%20circle");
        Assert.Empty(hits.EnumerateArray());
        Assert.Contains((await _service.ClientA.GetFromJsonAsync<JsonElement>("/videos")).EnumerateArray(), v => v.GetProperty("id").GetGuid() == _service.VideoA);
    }

    [Fact]
    public async Task Another_tenants_asset_cannot_be_pinned_in_a_script()
    {
        using var post = await _service.ClientB.PostAsJsonAsync("/videos", new { script = new[] { new { text = "A red circle.", assetId = _service.AssetA } } });
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var problem = await Problems.ProblemAsync(post);
        Assert.True(problem.GetProperty("errors").TryGetProperty("script[0].assetId", out _), problem.ToString());
    }

    [Fact]
    public async Task Without_a_key_every_endpoint_is_a_401_problem_with_a_challenge()
    {
        foreach (var path in ResourcesOfA().Concat(["/videos", "/library/assets", "/library/search?q=circle"]))
        {
            using var response = await _service.Anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)response.StatusCode}");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
            await Problems.ProblemAsync(response);
        }
        using var post = await _service.Anonymous.PostAsJsonAsync("/videos", new { text = "A red circle." });
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        using var upload = await _service.Anonymous.PostAsync("/library/assets", new MultipartFormDataContent { { new StringContent("x"), "title" } });
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        using var delete = await _service.Anonymous.DeleteAsync($"/library/assets/{_service.AssetA}");
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("vp_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_wrong_key_is_a_401(string key)
    {
        using var client = _service.CreateClient(key);
        using var response = await client.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Problems.ProblemAsync(response);
    }

    [Fact]
    public async Task A_key_of_the_right_prefix_with_a_wrong_secret_is_a_401()
    {
        var forged = _service.A.Key[..^4] + (_service.A.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var client = _service.CreateClient(forged);
        using var response = await client.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_a_401_and_the_tenants_other_keys_still_work()
    {
        var second = await _service.CreateKeyAsync("newsroom-b", "to be revoked");
        Assert.Equal(_service.B.TenantId, second.TenantId);
        using var client = _service.CreateClient(second.Key);
        using (var before = await client.GetAsync("/videos")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await using (var scope = _service.Factory.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<TenantAdmin>().RevokeKeyAsync(second.Prefix, CancellationToken.None));

        using var after = await client.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        await Problems.ProblemAsync(after);
        using var other = await _service.ClientB.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/dashboard/")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Health_dashboard_files_and_the_api_description_need_no_key(string path)
    {
        using var response = await _service.Anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_command_creates_a_working_key_printed_alone_on_stdout()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var rc = await VidPress.Api.Admin.AdminCommand.RunAsync(["create-key", "--tenant", "newsroom-cli", "--name", "cms"], stdout, stderr,
            [new("ConnectionStrings:VidPress", _service.Database.ConnectionString)]);
        Assert.True(rc == 0, stderr.ToString());
        var key = stdout.ToString().Trim();
        Assert.Matches("^vp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("whsec_", stderr.ToString());
        using var client = _service.CreateClient(key);
        using var response = await client.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }
}
