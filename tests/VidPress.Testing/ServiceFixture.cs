using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VidPress.Core.Data;
using VidPress.Core.Tenants;

namespace VidPress.IntegrationTests.Infrastructure;

/// <summary>The whole service on a fresh database, with in-process Hangfire workers and real tools.</summary>
public sealed class VidPressFactory(TestDatabase database, string storageRoot, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Host settings reach Program before it registers services; the app configuration below only after,
        // too late for what is decided at registration (such as whether Hangfire workers run in-process).
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:VidPress"] = database.ConnectionString,
            ["Storage:Root"] = storageRoot,
            ["Clip:ModelPath"] = Repository.Path("models", "tiny-clip"),
            ["Network:AllowLoopback"] = "true",
            ["Jobs:WorkerCount"] = "2",
            ["Downloads:SigningKey"] = "integration-tests-download-signing-key-0123456789",
            ["Webhooks:Secret"] = IntegrationSecrets.Webhook,
            // Polling loops of the tests would otherwise meet the production default; the limit itself has its own test.
            ["Limits:RequestsPerMinute"] = "100000",
        };
        // A fixture's own settings replace the defaults above (Network:AllowLoopback=false, say).
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(configuration));
    }
}

/// <summary>One running service shared by the tests of a collection; each fixture has its own database and storage.</summary>
public class ServiceFixture : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = DocumentJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public TestDatabase Database { get; private set; } = null!;
    public VidPressFactory Factory { get; private set; } = null!;
    /// <summary>Sends <see cref="ApiKey"/>, a key of the default tenant (the tenant the tests address by <see cref="Tenant.DefaultId"/>).</summary>
    public HttpClient Client { get; private set; } = null!;
    public string ApiKey { get; private set; } = null!;
    public WebhookReceiver Webhooks { get; private set; } = null!;
    public string StorageRoot { get; } = Path.Combine(Path.GetTempPath(), "vidpress-test-" + Guid.NewGuid().ToString("N")[..8]);
    public string WorkFolder => Path.Combine(StorageRoot, "test-work");

    /// <summary>Configuration a fixture's service runs with on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Serve on real Kestrel (loopback, a free port) instead of the in-memory test server, e.g. for a browser.</summary>
    protected virtual bool ServeOnKestrel => false;

    /// <summary>How a fixture that <see cref="ServeOnKestrel"/> listens: loopback, a free port.</summary>
    protected virtual void UseKestrel(VidPressFactory factory) => factory.UseKestrel(0);

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkFolder);
        Database = await TestDatabase.CreateAsync();
        Webhooks = await WebhookReceiver.StartAsync();
        Factory = new VidPressFactory(Database, StorageRoot, Settings);
        if (ServeOnKestrel) UseKestrel(Factory);
        Client = Factory.CreateClient();
        Client.Timeout = TimeSpan.FromMinutes(5);
        ApiKey = (await CreateKeyAsync("default")).Key;
        Client.DefaultRequestHeaders.Add(ApiKeyFormat.HeaderName, ApiKey);
    }

    /// <summary>A new key of the tenant of that name, the tenant created when new, as the admin command does it.</summary>
    public async Task<CreatedKey> CreateKeyAsync(string tenant, string? label = null)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TenantAdmin>().CreateKeyAsync(tenant, label ?? "integration tests", CancellationToken.None);
    }

    /// <summary>A client of the service sending <paramref name="apiKey"/>, or no key at all.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = Factory.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeyFormat.HeaderName, apiKey);
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(StorageRoot, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls a video until it leaves queued/running.</summary>
    public async Task<JsonElement> WaitForVideoAsync(Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var video = await GetJsonAsync($"/videos/{id}");
            var status = video.GetProperty("status").GetString();
            if (status is "succeeded" or "failed") return video;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Video {id} still {status} at {video.GetProperty("stage")}.");
            await Task.Delay(250);
        }
    }

    public async Task<JsonElement> WaitForAssetAsync(Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var asset = await GetJsonAsync($"/library/assets/{id}");
            if (asset.GetProperty("status").GetString() != "ingesting") return asset;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Asset {id} still ingesting.");
            await Task.Delay(200);
        }
    }
}
