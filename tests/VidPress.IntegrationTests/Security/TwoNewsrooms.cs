using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Core.Tenants;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests.Security;

/// <summary>
/// Two newsrooms on one service. Newsroom A has an asset, a shot and a rendered video whose success
/// webhook went to a receiver that failed three times first; newsroom B has nothing of its own.
/// </summary>
public sealed class SecuredServiceFixture : ServiceFixture
{
    public CreatedKey A { get; private set; } = null!;
    public CreatedKey B { get; private set; } = null!;
    public HttpClient ClientA { get; private set; } = null!;
    public HttpClient ClientB { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public Guid AssetA { get; private set; }
    public Guid ShotA { get; private set; }
    public Guid VideoA { get; private set; }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Short retries so that three failures and a success fit in seconds; the jitter stays on.
        ["Webhooks:RetryDelaysSeconds:0"] = "1",
        ["Webhooks:RetryDelaysSeconds:1"] = "1",
        ["Webhooks:RetryDelaysSeconds:2"] = "1",
        ["Webhooks:RetryDelaysSeconds:3"] = "1",
        ["Webhooks:RetryJitter"] = "0.2",
        ["Webhooks:PublicBaseUrl"] = "http://vidpress.test",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        A = await CreateKeyAsync("newsroom-a");
        B = await CreateKeyAsync("newsroom-b");
        ClientA = CreateClient(A.Key);
        ClientB = CreateClient(B.Key);
        Anonymous = CreateClient(null);

        var clip = await Media.ShapeClipAsync(WorkFolder, "red-circle");
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(clip));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "red-circle.mp4");
        form.Add(new StringContent("red circle"), "title");
        form.Add(new StringContent("Newsroom A footage"), "credit");
        using (var upload = await ClientA.PostAsync("/library/assets", form))
        {
            Assert.True(upload.StatusCode == HttpStatusCode.Accepted, await upload.Content.ReadAsStringAsync());
            AssetA = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
        await WaitAsync(ClientA, $"/library/assets/{AssetA}", s => s != "ingesting", TimeSpan.FromMinutes(2));
        var hits = await ClientA.GetFromJsonAsync<JsonElement>("/library/search?q=a%20red%20circle");
        ShotA = hits.EnumerateArray().First().GetProperty("shotId").GetGuid();

        Webhooks.FailNext(3);
        using var post = await ClientA.PostAsJsonAsync("/videos", new
        {
            text = "A red circle rose over the city.", aspectRatio = "16:9", resolution = "720p", targetDurationSeconds = 5,
            callbackUrl = Webhooks.BaseUrl + "/hooks/newsroom-a",
        });
        Assert.True(post.StatusCode == HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());
        VideoA = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var status = await WaitAsync(ClientA, $"/videos/{VideoA}", s => s is "succeeded" or "failed", TimeSpan.FromMinutes(4));
        Assert.Equal("succeeded", status);
    }

    private static async Task<string> WaitAsync(HttpClient client, string path, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("status").GetString()!;
            if (done(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} still {status}.");
            await Task.Delay(250);
        }
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString());
        return problem;
    }
}

[CollectionDefinition(Name)]
public sealed class SecuredServiceCollection : ICollectionFixture<SecuredServiceFixture>
{
    public const string Name = "service with two newsrooms";
}
