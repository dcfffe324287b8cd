using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests.Library;

/// <summary>A service with a small upload limit, so the limit itself can be tested cheaply.</summary>
public sealed class MediaLibraryFixture : ServiceFixture
{
    public const long MaxUploadBytes = 8 * 1024 * 1024;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Library:MaxUploadBytes"] = MaxUploadBytes.ToString() };

    public async Task<HttpResponseMessage> UploadAsync(string path, string fileName, IDictionary<string, string>? fields = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(value), name);
        return await Client.PostAsync("/library/assets", form);
    }

    /// <summary>Uploads and waits for ingest; returns the ready asset.</summary>
    public async Task<JsonElement> AddAsync(string path, string fileName, IDictionary<string, string>? fields = null)
    {
        using var response = await UploadAsync(path, fileName, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{fileName}: {(int)response.StatusCode} {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        var asset = await WaitForAssetAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(asset.GetProperty("status").GetString() == "ready", asset.ToString());
        return asset;
    }

    public async Task<JsonElement[]> SearchAsync(string query, int limit = 20)
    {
        var hits = await GetJsonAsync($"/library/search?q={Uri.EscapeDataString(query)}&limit={limit}");
        return hits.EnumerateArray().ToArray();
    }

    /// <summary>Every file under the storage root except the tests' own work folder.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.Exists(StorageRoot)
            ? Directory.EnumerateFiles(StorageRoot, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(WorkFolder, StringComparison.Ordinal)).Order().ToList()
            : [];

    public Task<long> AssetRowsAsync() => Database.ScalarAsync<long>("select count(*) from assets");
}

[CollectionDefinition(Name)]
public sealed class MediaLibraryCollection : ICollectionFixture<MediaLibraryFixture>
{
    public const string Name = "service with an empty media library";
}
