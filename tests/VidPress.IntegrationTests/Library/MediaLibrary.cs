using System.Text.Json;
using VidPress.Api.Library;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>A newsroom whose media library starts empty, on the shared service (upload limit <see cref="MaxUploadBytes"/>).</summary>
public sealed class MediaLibrary(ServiceFixture service, VidPress.Core.Tenants.CreatedKey key) : Newsroom(service, key)
{
    public const long MaxUploadBytes = ServiceFixture.MaxUploadBytes;

    public static Task<MediaLibrary> OnAsync(ServiceFixture service) =>
        service.SceneAsync("media library", async s => new MediaLibrary(s, await s.CreateKeyAsync("media-library")));

    public Task<HttpResponseMessage> UploadAsync(string path, string fileName, IDictionary<string, string>? fields = null) =>
        Client.UploadAsync("/library/assets", path, fileName, fields: Fields(fields));

    /// <summary>Uploads and waits for ingest; returns the ready asset.</summary>
    public Task<AssetResponse> AddAsync(string path, string fileName, IDictionary<string, string>? fields = null) =>
        Client.AddAssetAsync(path, fileName, fields: Fields(fields));

    public Task<SearchHit[]> SearchAsync(string query, int limit = 20) => Client.SearchAsync(query, limit);

    /// <summary>Every file under the storage root except the tests' own work folder.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.Exists(StorageRoot)
            ? Directory.EnumerateFiles(StorageRoot, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(WorkFolder, StringComparison.Ordinal)).Order().ToList()
            : [];

    public Task<long> AssetRowsAsync() => Database.ScalarAsync<long>("select count(*) from assets");

    private static (string, string)[] Fields(IDictionary<string, string>? fields) => fields?.Select(f => (f.Key, f.Value)).ToArray() ?? [];
}
