using System.Diagnostics;
using System.Net;
using System.Text;

// POSTs a video request at a fixed arrival rate (open loop), so a slow server cannot slow the offered load
// down and hide its own latency: each request's latency is measured from when it was due, not when it was sent.
//   dotnet run -c Release --project bench/VidPress.LoadTest -- URL RATE SECONDS [API_KEY]
var url = args.Length > 0 ? args[0] : "http://127.0.0.1:5080/videos";
var rate = args.Length > 1 ? int.Parse(args[1]) : 300;
var seconds = args.Length > 2 ? int.Parse(args[2]) : 30;
var apiKey = args.Length > 3 ? args[3] : Environment.GetEnvironmentVariable("VIDPRESS_API_KEY");

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 512,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
}) { Timeout = TimeSpan.FromSeconds(30) };
if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);

const string Body = """
{"text":"The city council approved a new bus route on Monday. Buses will run every ten minutes from the harbour to the university. The first buses start in March.","targetDurationSeconds":30,"aspectRatio":"16:9","resolution":"720p"}
""";

// Warm up connections and the server's JIT, outside the measurement.
for (var i = 0; i < 20; i++)
    if (await SendAsync() is var warm and not 202) { Console.Error.WriteLine($"warm-up request answered {(warm == 0 ? "with a transport error" : warm)}; is the API up, the key right and the tenant's rate limit raised?"); return 2; }

var total = rate * seconds;
var latencies = new double[total];
var statuses = new int[total];
var tasks = new Task[total];
var clock = Stopwatch.StartNew();
for (var i = 0; i < total; i++)
{
    var due = TimeSpan.FromSeconds((double)i / rate);
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
    var index = i;
    tasks[i] = Task.Run(async () =>
    {
        statuses[index] = await SendAsync();
        latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
    });
}
var offeredFor = clock.Elapsed.TotalSeconds;
await Task.WhenAll(tasks);
var elapsed = clock.Elapsed.TotalSeconds;

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(total - 1, (int)Math.Ceiling(p / 100 * total) - 1)];
Console.WriteLine($"requests {total} at {rate}/s offered over {offeredFor:F1} s, all answered after {elapsed:F1} s");
Console.WriteLine($"latency ms: p50 {Percentile(50):F1}  p90 {Percentile(90):F1}  p99 {Percentile(99):F1}  max {latencies[^1]:F1}");
foreach (var group in statuses.GroupBy(s => s).OrderBy(g => g.Key))
    Console.WriteLine($"status {(group.Key == 0 ? "error" : group.Key.ToString())}: {group.Count()}");
Console.WriteLine($"5xx: {statuses.Count(s => s >= 500)}  transport errors: {statuses.Count(s => s == 0)}");
// A run where not every request was accepted measured something else (a dead server, a rate limit): say so in the exit code.
return statuses.All(s => s == 202) ? 0 : 1;

async Task<int> SendAsync()
{
    try
    {
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(url, content);
        await response.Content.LoadIntoBufferAsync();
        return (int)response.StatusCode;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        return 0;
    }
}
