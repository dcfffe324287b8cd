using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Npgsql;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>A property a request broke, with the smallest request found that breaks it the same way.</summary>
public sealed record FuzzFailure(string Operation, string Signature, string Detail, FuzzRequest Request, Size Size, string Seed)
{
    public override string ToString() =>
        $"{Signature}\n  {Detail}\n  seed {Seed} (RequestGen for {Operation}: Generate(PCG.Parse(seed)))\n  {Request.ToString().Replace("\n", "\n  ")}";
}

public sealed class FuzzResult
{
    public List<FuzzFailure> Failures { get; } = [];
    /// <summary>Per operation: how many requests, by response status.</summary>
    public SortedDictionary<string, SortedDictionary<int, int>> Statuses { get; } = new(StringComparer.Ordinal);
    public int Requests { get; set; }
    /// <summary>Accepted requests after which the snapshot differed: proof that the comparison sees what a request stores.</summary>
    public int AcceptedChanges { get; set; }
    public Dictionary<string, TimeSpan> Durations { get; } = [];
    public ulong Seed { get; init; }
    public int Iterations { get; init; }

    public string Summary() => string.Join('\n', Statuses.Select(s =>
        $"{s.Key}: {string.Join(", ", s.Value.Select(v => $"{v.Key}×{v.Value}"))} in {Durations.GetValueOrDefault(s.Key).TotalSeconds:0.0} s"));
}

/// <summary>
/// Sends every operation's generated requests one at a time and checks each answer: (1) no 5xx, and every 4xx a
/// problem+json; (2) a 4xx leaves every table of the service and the storage root as they were. Failures are kept by
/// signature (operation, what broke, the server's exception with its numbers and ids blanked), each with the smallest
/// request CsCheck's size found for it; after the run each is shrunk further by sampling only smaller requests.
/// </summary>
public sealed class RequestFuzzer(FuzzServiceFixture service)
{
    /// <summary>Endpoints outside the API description, fuzzed as parameterless GETs (hostile query and headers).</summary>
    public static readonly string[] Extras = ["/health", "/health/live", "/metrics"];

    private static readonly string[] Tables = ["videos", "assets", "shots", "keyframes", "music_tracks", "webhook_deliveries", "tenants", "api_keys"];

    public const ulong DefaultSeed = 20_260_101;

    private string? _last;

    public static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("VIDPRESS_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 30;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("VIDPRESS_FUZZ_SEED"), out var s) ? s : DefaultSeed;

    /// <summary>The file endpoints, whose HEAD twins (left out of the description) are fuzzed with their GET's parameters.</summary>
    public static readonly string[] HeadTwins =
    [
        "/videos/{id}/file", "/videos/{id}/download", "/videos/{id}/poster", "/videos/{id}/subtitles", "/videos/{id}/subtitles/download",
        "/library/shots/{id}/thumbnail",
    ];

    public static IReadOnlyList<ApiOperation> Operations(OpenApiOperations api) =>
        [.. api.All, .. api.All.Where(o => o.Method == "GET" && HeadTwins.Contains(o.Path)).Select(o => o with { Method = "HEAD" }),
         .. Extras.Select(path => new ApiOperation("GET", path, [], null))];

    public async Task<FuzzResult> RunAsync()
    {
        var api = new OpenApiOperations(service.Document);
        var json = new JsonBodies(api, service.Pools);
        var result = new FuzzResult { Seed = Seed, Iterations = Iterations };
        var operations = Operations(api);
        for (var index = 0; index < operations.Count; index++)
        {
            var operation = operations[index];
            var gen = new RequestGen(operation, api, json, service.Pools, service.Files);
            // Operations with a body have more to explore.
            var iterations = operation.Body switch { null => Iterations, { ContentType: "application/json" } => Iterations * 3, _ => Iterations };
            var pcg = new PCG((uint)index + 1, Seed);
            var found = new Dictionary<string, FuzzFailure>();
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) await SampleAsync(gen, pcg, null, found, result);
            // Shrinking: CsCheck's way, more samples of which only those smaller than the smallest failure so far are sent.
            foreach (var signature in found.Keys.ToList())
            {
                var runs = 0;
                for (var i = 0; i < 1000 && runs < 10; i++)
                    if (await SampleAsync(gen, pcg, found[signature].Size, found, result, signature)) runs++;
            }
            result.Failures.AddRange(found.Values);
            result.Durations[operation.Name] = started.Elapsed;
        }
        return result;
    }

    /// <returns>Whether a request was sent (during shrinking only those smaller than <paramref name="below"/> are).</returns>
    private async Task<bool> SampleAsync(RequestGen gen, PCG pcg, Size? below, Dictionary<string, FuzzFailure> found, FuzzResult result, string? only = null)
    {
        var state = pcg.State;
        var request = gen.Generate(pcg, below, out var size);
        if (below is not null && !Size.IsLessThan(size, below)) return false;
        var (signature, detail) = await CheckAsync(request, result);
        if (signature is null || (only is not null && signature != only)) return true;
        if (!found.TryGetValue(signature, out var earlier) || Size.IsLessThan(size, earlier.Size))
            found[signature] = new FuzzFailure(request.Operation.Name, signature, detail!, request, size, pcg.ToString(state));
        return true;
    }

    private async Task<(string? Signature, string? Detail)> CheckAsync(FuzzRequest request, FuzzResult result)
    {
        var before = _last ??= await SnapshotAsync();
        service.Errors.Drain();
        var client = request.Key switch { FuzzKey.None => service.Anonymous, FuzzKey.Wrong => service.WrongKey, _ => service.ClientA };
        int status;
        string? mediaType;
        byte[] body;
        try
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            status = (int)response.StatusCode;
            mediaType = response.Content.Headers.ContentType?.MediaType;
            // A stream of events does not end: its answer is its status and headers.
            body = mediaType == "text/event-stream" ? [] : await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            status = 0;
            mediaType = null;
            body = Encoding.UTF8.GetBytes($"{e.GetType().Name}: {e.Message} {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        }
        result.Requests++;
        if (!result.Statuses.TryGetValue(request.Operation.Name, out var statuses)) result.Statuses[request.Operation.Name] = statuses = [];
        statuses[status] = statuses.GetValueOrDefault(status) + 1;

        // An accepted edit, retry or cancel of the rendered video changes it; it is put back so later requests meet it finished.
        if (status is >= 200 and < 300 && request.Method != "GET" && request.Target.StartsWith("/videos/", StringComparison.Ordinal))
            await service.RestoreVideoAsync();
        var after = await SnapshotAsync();
        _last = after;
        var logged = service.Errors.Drain();
        // The exception, rather than the log line of the command it broke.
        var cause = logged.FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) ?? logged.FirstOrDefault() ?? "";
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400));

        if (status is >= 200 and < 300 && before != after) result.AcceptedChanges++;
        if (status is 0 or >= 500)
            return (Signature(request, status == 0 ? "no answer" : $"{status}", cause),
                $"answered {status} {mediaType}: {text}; server log: {string.Join(" | ", logged)}");
        if (status is >= 400 and < 500)
        {
            if (ProblemFault(status, mediaType, body) is { } fault)
                return (Signature(request, $"{status} not a problem", fault), $"{fault}: {mediaType} {text}");
            if (before != after)
                return (Signature(request, $"{status} stored something", Difference(before, after)),
                    $"answered {status} {text}; changed: {Difference(before, after)}");
        }
        return (null, null);
    }

    private static string? ProblemFault(int status, string? mediaType, byte[] body)
    {
        if (mediaType != "application/problem+json") return $"content type {mediaType ?? "(none)"}";
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status) return "no matching status in the problem";
            if (!problem.RootElement.TryGetProperty("title", out var t) || string.IsNullOrWhiteSpace(t.GetString())) return "no title in the problem";
            if (problem.RootElement.ToString().Contains("   at ", StringComparison.Ordinal)) return "a stack trace in the problem";
        }
        catch (JsonException) { return "a problem body that is not JSON"; }
        return null;
    }

    /// <summary>Which failure this is: operation, what broke, and the cause with its numbers, ids and quoted values blanked.</summary>
    private static string Signature(FuzzRequest request, string what, string cause)
    {
        var normalised = Regex.Replace(cause, @"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<id>");
        normalised = Regex.Replace(normalised, @"'[^']*'|""[^""]*""", "'…'");
        normalised = Regex.Replace(normalised, @"\d+", "#");
        return $"{request.Operation.Name}: {what}{(normalised.Length > 0 ? " — " + FuzzRequest.Shorten(normalised, 220) : "")}";
    }

    /// <summary>Row count and content hash of every table of the service, and every file under the storage root with its size.</summary>
    private async Task<string> SnapshotAsync()
    {
        var sb = new StringBuilder();
        await using (var connection = new NpgsqlConnection(service.Database.ConnectionString))
        {
            await connection.OpenAsync();
            var sql = string.Join(" UNION ALL ", Tables.Select(t =>
                $"SELECT '{t}', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x.\"Id\"), '')) FROM {t} x"));
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                sb.Append(CultureInfo.InvariantCulture, $"{reader.GetString(0)}: {reader.GetInt64(1)} rows {reader.GetString(2)}\n");
        }
        var root = Path.GetFullPath(service.StorageRoot);
        var work = Path.GetFullPath(service.WorkFolder);
        IEnumerable<string> Outside(IEnumerable<string> paths) => paths.Where(f => !f.StartsWith(work, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        foreach (var file in Outside(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)))
            sb.Append(CultureInfo.InvariantCulture, $"file {Path.GetRelativePath(root, file)} {new FileInfo(file).Length}\n");
        foreach (var folder in Outside(Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)))
            sb.Append(CultureInfo.InvariantCulture, $"folder {Path.GetRelativePath(root, folder)}\n");
        return sb.ToString();
    }

    private static string Difference(string before, string after)
    {
        var a = before.Split('\n').ToHashSet();
        var b = after.Split('\n').ToHashSet();
        return string.Join("; ", a.Except(b).Select(l => "was " + l).Concat(b.Except(a).Select(l => "now " + l)).Take(6));
    }
}
