using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VidPress.Import;

/// <summary>What an import did: files added, files the library already had, files that could not be imported.</summary>
public sealed record ImportSummary(int Added, int Existing, int Failed);

/// <summary>
/// Uploads a folder through the REST API like any client would. Re-running is safe: the service answers 200 with the
/// existing asset for a file it already has (SHA-256 de-duplication). One file that cannot be read or sent is
/// reported and counted, and the import goes on with the next.
/// </summary>
public static class BulkImport
{
    /// <param name="folderArgument">The folder as given ("footage/" and "footage" alike).</param>
    /// <param name="http">A client whose base address is the API's (ending in "/", so a path prefix is kept).</param>
    public static async Task<ImportSummary> RunAsync(string folderArgument, HttpClient http, TextWriter output, bool interactive, CancellationToken cancellationToken = default)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folderArgument));
        var items = ImportManifest.Read(folder);
        string? Inside(ImportItem item)
        {
            var path = Path.GetFullPath(Path.Combine(folder, item.File));
            return path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path) ? path : null;
        }
        var progress = new ProgressBar(items.Select(Inside).OfType<string>().Sum(p => new FileInfo(p).Length), items.Count, output, interactive);
        int added = 0, existing = 0, failed = 0;
        foreach (var item in items)
        {
            try
            {
                if (Inside(item) is not { } path)
                {
                    progress.Log($"skip  {item.File}: not a file in {folder}");
                    failed++;
                    continue;
                }
                using var form = new MultipartFormDataContent();
                var content = new StreamContent(new ProgressStream(File.OpenRead(path), progress.Advance), 128 * 1024);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(content, "file", Path.GetFileName(path));
                foreach (var (name, value) in new[] { ("title", item.Title), ("description", item.Description), ("tags", item.Tags), ("licence", item.Licence), ("credit", item.Credit), ("expiresAt", item.Expiry) })
                    if (!string.IsNullOrWhiteSpace(value)) form.Add(new StringContent(value), name);
                using var response = await http.PostAsync("library/assets", form, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Accepted: added++; progress.Log($"added {item.File}"); break;
                    case HttpStatusCode.OK: existing++; progress.Log($"had   {item.File}"); break;
                    default:
                        failed++;
                        progress.Log($"fail  {item.File}: {(int)response.StatusCode} {Detail(body)}");
                        break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException
                                          or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failed++;
                progress.Log($"fail  {item.File}: {e.Message}");
            }
            finally
            {
                progress.FileDone();
            }
        }
        progress.Finish();
        return new ImportSummary(added, existing, failed);
    }

    private static string Detail(string body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            return problem.TryGetProperty("detail", out var d) && d.GetString() is { } detail ? detail : problem.GetProperty("title").GetString() ?? body;
        }
        catch (JsonException) { return body.Length > 200 ? body[..200] : body; }
    }
}
