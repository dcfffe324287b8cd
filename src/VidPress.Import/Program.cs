using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VidPress.Import;

// Bulk import: uploads a folder through the REST API like any client would. Re-running is safe: the
// service answers 200 with the existing asset for a file it already has (SHA-256 de-duplication).
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: vidpress import FOLDER [--api URL] [--api-key KEY]   (key also from VIDPRESS_API_KEY; metadata.csv or metadata.json in FOLDER: file,title,description,tags,licence,credit,expiry)");
    return 2;
}
var folder = Path.GetFullPath(args[0]);
var api = Environment.GetEnvironmentVariable("VIDPRESS_API_URL") ?? "http://127.0.0.1:5080";
var apiKey = Environment.GetEnvironmentVariable("VIDPRESS_API_KEY");
for (var i = 1; i < args.Length - 1; i++)
{
    if (args[i] == "--api") api = args[i + 1];
    if (args[i] == "--api-key") apiKey = args[i + 1];
}
if (!Directory.Exists(folder)) { Console.Error.WriteLine($"no folder {folder}"); return 2; }

var items = ImportManifest.Read(folder);
var totalBytes = items.Sum(item => File.Exists(Path.Combine(folder, item.File)) ? new FileInfo(Path.Combine(folder, item.File)).Length : 0);
using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromHours(1) };
if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
var progress = new ProgressBar(totalBytes, items.Count);
int added = 0, existing = 0, failed = 0;
var clock = Stopwatch.StartNew();
foreach (var item in items)
{
    var path = Path.GetFullPath(Path.Combine(folder, item.File));
    if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
    {
        progress.Log($"skip  {item.File}: not a file in {folder}");
        failed++;
        continue;
    }
    using var form = new MultipartFormDataContent();
    var file = new ProgressStream(File.OpenRead(path), progress.Advance);
    var content = new StreamContent(file, 128 * 1024);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    form.Add(content, "file", Path.GetFileName(path));
    foreach (var (name, value) in new[] { ("title", item.Title), ("description", item.Description), ("tags", item.Tags), ("licence", item.Licence), ("credit", item.Credit), ("expiresAt", item.Expiry) })
        if (!string.IsNullOrWhiteSpace(value)) form.Add(new StringContent(value), name);
    try
    {
        using var response = await http.PostAsync("/library/assets", form);
        var body = await response.Content.ReadAsStringAsync();
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
    catch (HttpRequestException e)
    {
        failed++;
        progress.Log($"fail  {item.File}: {e.Message}");
    }
    progress.FileDone();
}
progress.Finish();
Console.Error.WriteLine($"{added} added, {existing} already in the library, {failed} failed, {clock.Elapsed.TotalSeconds:0.0} s");
return failed == 0 ? 0 : 1;

static string Detail(string body)
{
    try
    {
        var problem = JsonDocument.Parse(body).RootElement;
        return problem.TryGetProperty("detail", out var d) && d.GetString() is { } detail ? detail : problem.GetProperty("title").GetString() ?? body;
    }
    catch (JsonException) { return body.Length > 200 ? body[..200] : body; }
}
