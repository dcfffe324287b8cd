using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VidPress.Api.Library;
using VidPress.Api.Videos;
using VidPress.Core.Data;

namespace VidPress.Testing;

/// <summary>
/// The service's HTTP API as the tests call it: bodies read as the API's own contracts (<see cref="VideoResponse"/>,
/// <see cref="AssetResponse"/>, ...) with the API's JSON options (camelCase, string enums), and the multipart uploads
/// written out once. Tests that check the raw wire shape (problem details, the fuzzer) read <see cref="JsonElement"/>.
/// </summary>
public static class VidPressClient
{
    public static JsonSerializerOptions Json => ServiceFixture.Json;

    /// <summary>The body as <typeparamref name="T"/>, read with the API's JSON options.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: empty body");

    /// <summary>GET that must succeed, read as <typeparamref name="T"/>.</summary>
    public static async Task<T> GetAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<T>();
    }

    public static Task<VideoResponse> GetVideoAsync(this HttpClient client, Guid id) => client.GetAsync<VideoResponse>($"/videos/{id}");

    public static Task<AssetResponse> GetAssetAsync(this HttpClient client, Guid id) => client.GetAsync<AssetResponse>($"/library/assets/{id}");

    public static async Task<SearchHit[]> SearchAsync(this HttpClient client, string query, int limit = 20) =>
        await client.GetAsync<SearchHit[]>($"/library/search?q={Uri.EscapeDataString(query)}&limit={limit}");

    /// <summary>POST /videos that must be accepted (202); the new video's id.</summary>
    public static async Task<Guid> PostVideoAsync(this HttpClient client, object body)
    {
        using var post = await client.PostAsJsonAsync("/videos", body);
        Assert.True(post.StatusCode == HttpStatusCode.Accepted, $"POST /videos: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
        return (await post.ReadAsync<VideoResponse>()).Id;
    }

    /// <summary>Polls a video until it leaves queued/running.</summary>
    public static async Task<VideoResponse> WaitForVideoAsync(this HttpClient client, Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var video = await client.GetVideoAsync(id);
            if (video.Status is not (VideoStatus.Queued or VideoStatus.Running)) return video;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Video {id} still {video.Status} at {video.Stage}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls an asset until its ingest ends (ready or failed).</summary>
    public static async Task<AssetResponse> WaitForAssetAsync(this HttpClient client, Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var asset = await client.GetAssetAsync(id);
            if (asset.Status != AssetStatus.Ingesting) return asset;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Asset {id} still ingesting.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A multipart upload form: the file (sent as <paramref name="contentType"/>, named <paramref name="fileName"/> or
    /// the path's own name) and text fields. The one place the tests build the service's upload bodies.
    /// </summary>
    public static MultipartFormDataContent UploadForm(string path, string? fileName = null, string contentType = "application/octet-stream",
        params (string Name, string Value)[] fields) =>
        UploadForm(File.ReadAllBytes(path), fileName ?? Path.GetFileName(path), contentType, fields);

    /// <inheritdoc cref="UploadForm(string, string?, string, ValueTuple{string, string}[])"/>
    public static MultipartFormDataContent UploadForm(byte[] file, string fileName, string contentType = "application/octet-stream",
        params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(content, "file", fileName);
        foreach (var (name, value) in fields) form.Add(new StringContent(value, Encoding.UTF8), name);
        return form;
    }

    /// <summary>Posts a file to an upload route (/library/assets, /library/music) and returns the answer, whatever it is.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string route, string path, string? fileName = null,
        string contentType = "application/octet-stream", params (string Name, string Value)[] fields)
    {
        using var form = UploadForm(path, fileName, contentType, fields);
        return await client.PostAsync(route, form);
    }

    /// <summary>Uploads a library asset that must be accepted; its id (ingest may still be running).</summary>
    public static async Task<Guid> UploadAssetAsync(this HttpClient client, string path, string? fileName = null, string contentType = "application/octet-stream",
        params (string Name, string Value)[] fields)
    {
        using var response = await client.UploadAsync("/library/assets", path, fileName, contentType, fields);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK,
            $"{fileName ?? Path.GetFileName(path)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadAsync<AssetResponse>()).Id;
    }

    /// <summary>Uploads a library asset and waits for its ingest, which must succeed: the ready asset.</summary>
    public static async Task<AssetResponse> AddAssetAsync(this HttpClient client, string path, string? fileName = null, string contentType = "application/octet-stream",
        params (string Name, string Value)[] fields)
    {
        var asset = await client.WaitForAssetAsync(await client.UploadAssetAsync(path, fileName, contentType, fields), TimeSpan.FromMinutes(2));
        Assert.True(asset.Status == AssetStatus.Ready, $"{asset.FileName}: {asset.Status} {asset.Error}");
        return asset;
    }

    /// <summary>Uploads a music bed that must be accepted; the track.</summary>
    public static async Task<MusicTrackResponse> UploadMusicAsync(this HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        using var response = await client.UploadAsync("/library/music", path, contentType: "audio/wav", fields: fields);
        Assert.True(response.IsSuccessStatusCode, $"{Path.GetFileName(path)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<MusicTrackResponse>();
    }
}
