using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Library;
using VidPress.Api.Videos;
using VidPress.Core.Tenants;

namespace VidPress.Testing;

/// <summary>
/// One tenant on a shared <see cref="ServiceFixture"/>: its key, a client sending it, and the service's database,
/// storage and webhook receiver. Scenes (a shape library, two newsrooms with a rendered video...) derive from it.
/// </summary>
public class Newsroom(ServiceFixture service, CreatedKey key)
{
    public ServiceFixture Service { get; } = service;
    public CreatedKey Key { get; } = key;
    public Guid TenantId => Key.TenantId;
    /// <summary>Sends this newsroom's key.</summary>
    public HttpClient Client { get; } = service.CreateClient(key.Key);

    public TestDatabase Database => Service.Database;
    public VidPressFactory Factory => Service.Factory;
    public WebhookReceiver Webhooks => Service.Webhooks;
    public string StorageRoot => Service.StorageRoot;
    public string WorkFolder => Service.WorkFolder;

    public Task<CreatedKey> CreateKeyAsync(string tenant, string? label = null) => Service.CreateKeyAsync(tenant, label);

    public HttpClient CreateClient(string? apiKey) => Service.CreateClient(apiKey);

    /// <summary>GET as this newsroom that must succeed, as raw JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>GET as this newsroom that must succeed, read as the API's contract <typeparamref name="T"/>.</summary>
    public Task<T> GetAsync<T>(string path) => Client.GetAsync<T>(path);

    public Task<VideoResponse> WaitForVideoAsync(Guid id, TimeSpan timeout) => Client.WaitForVideoAsync(id, timeout);

    public Task<AssetResponse> WaitForAssetAsync(Guid id, TimeSpan timeout) => Client.WaitForAssetAsync(id, timeout);
}
