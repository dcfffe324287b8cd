using System.Diagnostics;
using VidPress.Import;

// Bulk import: uploads a folder through the REST API (BulkImport), with a progress bar on stderr.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: vidpress import FOLDER [--api URL] [--api-key KEY]   (key also from VIDPRESS_API_KEY; metadata.csv or metadata.json in FOLDER: file,title,description,tags,licence,credit,expiry)");
    return 2;
}
var api = Environment.GetEnvironmentVariable("VIDPRESS_API_URL") ?? "http://127.0.0.1:5080";
var apiKey = Environment.GetEnvironmentVariable("VIDPRESS_API_KEY");
for (var i = 1; i < args.Length - 1; i++)
{
    if (args[i] == "--api") api = args[i + 1];
    if (args[i] == "--api-key") apiKey = args[i + 1];
}
if (!Directory.Exists(args[0])) { Console.Error.WriteLine($"no folder {Path.GetFullPath(args[0])}"); return 2; }

// A base address ending in "/" keeps a path prefix (https://host/vidpress/) for the relative request paths.
using var http = new HttpClient { BaseAddress = new Uri(api.EndsWith('/') ? api : api + "/"), Timeout = TimeSpan.FromHours(1) };
if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
var clock = Stopwatch.StartNew();
ImportSummary summary;
try
{
    summary = await BulkImport.RunAsync(args[0], http, Console.Error, interactive: !Console.IsErrorRedirected);
}
catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IOException)
{
    Console.Error.WriteLine($"cannot read the folder's metadata: {e.Message}");
    return 2;
}
Console.Error.WriteLine($"{summary.Added} added, {summary.Existing} already in the library, {summary.Failed} failed, {clock.Elapsed.TotalSeconds:0.0} s");
return summary.Failed == 0 ? 0 : 1;
