using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VidPress.Api.Library;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Tenants;

namespace VidPress.Testing;

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
            // Short webhook retries, so that three failures and a success fit in seconds; the jitter stays on.
            ["Webhooks:RetryDelaysSeconds:0"] = "1",
            ["Webhooks:RetryDelaysSeconds:1"] = "1",
            ["Webhooks:RetryDelaysSeconds:2"] = "1",
            ["Webhooks:RetryDelaysSeconds:3"] = "1",
            ["Webhooks:RetryJitter"] = "0.2",
            ["Webhooks:PublicBaseUrl"] = ServiceFixture.PublicBaseUrl,
            // A small upload limit, so that the limit itself can be tested cheaply.
            ["Library:MaxUploadBytes"] = ServiceFixture.MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // A fixture's own settings replace the defaults above (Network:AllowLoopback=false, say).
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(configuration));
    }
}

/// <summary>
/// The running service the tests share: one web host with in-process Hangfire workers, its own database and storage.
/// Most test classes share one (the integration tests' shared collection), each newsroom a tenant of its own
/// (<see cref="NewsroomAsync"/>, <see cref="SceneAsync"/>). A host of its own is for process-level settings only
/// (workers off, loopback refused, S3 storage...): a subclass overriding <see cref="Settings"/>.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    /// <summary>The API's JSON options as a client reads them: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = DocumentJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Library:MaxUploadBytes of every test host.</summary>
    public const long MaxUploadBytes = 8 * 1024 * 1024;

    /// <summary>Webhooks:PublicBaseUrl of every test host: where webhook payloads' links point.</summary>
    public const string PublicBaseUrl = "http://vidpress.test";

    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _scenes = new();

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

    /// <summary>
    /// A newsroom's setup on this service, built once on first use (by whichever test class asks first) and then
    /// shared: what a fixture of its own used to set up, without a host of its own.
    /// </summary>
    public async Task<T> SceneAsync<T>(string name, Func<ServiceFixture, Task<T>> build) where T : class =>
        (T)await _scenes.GetOrAdd(name, _ => new Lazy<Task<object>>(async () => await build(this))).Value;

    /// <summary>A tenant of its own on this service (created on first use), its key and a client sending it.</summary>
    public Task<Newsroom> NewsroomAsync(string tenant) =>
        SceneAsync("newsroom:" + tenant, async s => new Newsroom(s, await s.CreateKeyAsync(tenant)));

    /// <summary>GET that must succeed, as raw JSON (for tests of the wire shape; others read the API's contracts).</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>GET that must succeed, read as the API's contract <typeparamref name="T"/>.</summary>
    public Task<T> GetAsync<T>(string path) => Client.GetAsync<T>(path);

    /// <summary>Polls a video of the default tenant until it leaves queued/running.</summary>
    public Task<VideoResponse> WaitForVideoAsync(Guid id, TimeSpan timeout) => Client.WaitForVideoAsync(id, timeout);

    /// <summary>Polls an asset of the default tenant until its ingest ends.</summary>
    public Task<AssetResponse> WaitForAssetAsync(Guid id, TimeSpan timeout) => Client.WaitForAssetAsync(id, timeout);
}
