using System.Text;
using System.Text.Json;
using CsCheck;
using static VidPress.IntegrationTests.Security.Fuzzing.Hostile;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>Small files for the upload endpoints, most of them not media at all; made once by the fixture.</summary>
public sealed class FuzzFiles
{
    public List<(string Label, string FileName, byte[] Bytes, string ContentType)> All { get; } = [];

    public void Add(string label, string fileName, byte[] bytes, string contentType) => All.Add((label, fileName, bytes, contentType));
}

/// <summary>
/// The CsCheck generator of requests for one operation of the API description: its path, query and header
/// parameters and its body built from the schema, mixed with hostile values; its size is the request's length.
/// </summary>
public sealed class RequestGen(ApiOperation operation, OpenApiOperations api, JsonBodies json, FuzzPools pools, FuzzFiles files) : Gen<FuzzRequest>
{
    private static readonly string[] HostileFileNames =
    [
        "../../../../tmp/evil.mp4", "/etc/passwd", "C:\\boot.ini", "..\\..\\x.png", "a\u0000b.png", "\u202Egnp.exe", "", " ", ".mp4", "x.",
        new string('n', 300) + ".mp4", "con.mp4", "x.mp4 ", "x.MP4", "x.mp4.exe", "%2e%2e%2fx.mp4", "x;.png", "\"quoted\".png",
        "x\r\nContent-Type: text/html.png", "名前.png", "😀.wav", "x.mp4\u0000.png", "..", ".", "~/.ssh/id_rsa", "x.wav",
    ];

    public override FuzzRequest Generate(PCG pcg, Size? min, out Size size)
    {
        var hostility = Pick(pcg, [0, 5, 20, 50]);
        var key = pcg.Next(100) switch { < 3 => FuzzKey.None, < 5 => FuzzKey.Wrong, _ => FuzzKey.Own };
        var request = new FuzzRequest { Operation = operation, Method = operation.Method, Target = Target(pcg, hostility), Key = key };
        AddHeaders(pcg, request);
        if (operation.Body is { ContentType: "multipart/form-data" } form) Multipart(pcg, request, form.Schema, hostility);
        else if (operation.Body is { } body) Json(pcg, request, body.Schema, hostility);
        else if (Chance(pcg, 8))
        {
            // A body where none is expected.
            request.Text = Chance(pcg, 50) ? Pick(pcg, Bodies) : json.HostileValue(pcg, 0);
            request.ContentType = Pick(pcg, ContentTypes);
        }
        size = new Size(request.Length);
        return request;
    }

    private string Target(PCG pcg, int hostility)
    {
        var path = new StringBuilder();
        foreach (var segment in operation.Path.Split('/'))
        {
            if (path.Length > 0 || segment.Length > 0) path.Append('/');
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var name = segment[1..^1];
                var parameter = operation.Parameters.FirstOrDefault(p => p.In == "path" && p.Name == name);
                path.Append(PathValue(pcg, parameter, hostility));
            }
            else path.Append(segment);
        }
        if (path.Length == 0) path.Append('/');
        var query = new List<string>();
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            if (!parameter.Required && Chance(pcg, 40)) continue;
            var isArray = OpenApiOperations.TypeOf(api.Resolve(parameter.Schema)) == "array";
            var repeat = isArray ? Between(pcg, 1, Chance(pcg, 5) ? 300 : 3) : Chance(pcg, 5) ? 2 : 1;
            for (var k = 0; k < repeat; k++) query.Add(Uri.EscapeDataString(parameter.Name) + "=" + QueryValue(pcg, parameter, hostility));
        }
        if (Chance(pcg, 10))
            query.Add(Pick(pcg, ["limit", "format", "q", "expires", "sig", "licence", "id", "tenantId", "x", "", "%", "a[]"]) + "=" + Pick(pcg, QueryValues));
        if (Chance(pcg, 3)) query.Add(Pick(pcg, ["", "=", "&", "?", "%zz", "limit", "limit=", "=1"]));
        return query.Count == 0 ? path.ToString() : path + "?" + string.Join('&', query);
    }

    private string PathValue(PCG pcg, ApiParameter? parameter, int hostility)
    {
        var format = parameter is { Schema.ValueKind: JsonValueKind.Object } p && api.Resolve(p.Schema).TryGetProperty("format", out var f)
            ? f.GetString() : null;
        if (Chance(pcg, Math.Max(5, hostility / 2)))
            // No %00: the in-memory test server cannot carry a NUL in a path (Kestrel refuses one before the app).
            return Pick(pcg, ["..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "1e400", "NaN", "-1", "0", Guid.Empty.ToString("N"), "{id}",
                "00000000-0000-0000-0000-00000000000g", new string('a', 2000), "%F0%9F%98%80", "%ED%A0%80", "%C0%AF", " ", "%20",
                "(" + Guid.Empty + ")", "{" + Guid.Empty + "}"]);
        // The delete endpoint gets its own asset ids only from the disposable ones, so that later requests still meet the fixture's.
        if (operation.Method == "DELETE" && pools.Disposable.Count > 0 && Chance(pcg, 40)) return Pick(pcg, pools.Disposable).ToString();
        // Mostly an id of the kind the path names, so that requests get past the lookup.
        var kind = operation.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse().Skip(1).FirstOrDefault(s => pools.OwnByKind.ContainsKey(s));
        var id = operation.Method == "DELETE" ? OtherThanPrecious(pcg)
            : kind is not null && Chance(pcg, 50) ? Pick(pcg, pools.OwnByKind[kind])
            : pools.Id(pcg);
        return format is null or "uuid" ? id.ToString(Pick(pcg, ["D", "D", "D", "N", "B", "P"])) : Uri.EscapeDataString(Pick(pcg, Strings));
    }

    private Guid OtherThanPrecious(PCG pcg)
    {
        for (var tries = 0; ; tries++)
        {
            var id = pools.Id(pcg);
            if (!pools.Precious.Contains(id)) return id;
            if (tries > 20) return Guid.Empty;
        }
    }

    private string QueryValue(PCG pcg, ApiParameter parameter, int hostility)
    {
        if (pools.QueryExamples.TryGetValue(parameter.Name, out var examples) && Chance(pcg, 50)) return Uri.EscapeDataString(Pick(pcg, examples));
        if (Chance(pcg, Math.Max(15, hostility))) return Chance(pcg, 60) ? Pick(pcg, QueryValues) : Uri.EscapeDataString(Pick(pcg, Strings));
        var schema = api.Resolve(parameter.Schema);
        if (OpenApiOperations.TypeOf(schema) == "array" && schema.TryGetProperty("items", out var items)) schema = api.Resolve(items);
        var value = json.Value(pcg, schema, parameter.Name, 0);
        // A JSON string's content, unquoted; numbers and the rest as written.
        var text = value.Length >= 2 && value[0] == '"' ? Unquote(value) : value;
        return Uri.EscapeDataString(text.Length > 2000 ? text[..2000] : text);
    }

    private static string Unquote(string jsonString)
    {
        try { return JsonDocument.Parse(jsonString).RootElement.GetString() ?? ""; }
        // A lone surrogate escape: sent as its replacement character.
        catch (InvalidOperationException) { return jsonString[1..^1]; }
    }

    private void AddHeaders(PCG pcg, FuzzRequest request)
    {
        if (Chance(pcg, operation.Method == "POST" ? 30 : 8)) request.Headers.Add(("Idempotency-Key", Pick(pcg, IdempotencyKeys)));
        if (Chance(pcg, 3)) request.Headers.Add(("Idempotency-Key", Pick(pcg, IdempotencyKeys)));
        if (Chance(pcg, operation.Method == "GET" ? 30 : 5)) request.Headers.Add(("Range", Pick(pcg, Ranges)));
        if (Chance(pcg, 5)) request.Headers.Add(("If-Range", Pick(pcg, ["\"x\"", "W/\"x\"", "Thu, 01 Jan 1970 00:00:00 GMT", "garbage", ""])));
        if (Chance(pcg, 4)) request.Headers.Add(("If-None-Match", Pick(pcg, ["*", "\"x\"", "garbage", ""])));
        if (Chance(pcg, 4))
            request.Headers.Add(("If-Modified-Since", Pick(pcg, ["Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "0", "garbage"])));
        if (Chance(pcg, 5)) request.Headers.Add(("Accept", Pick(pcg, ["application/xml", "text/html", "*/*;q=abc", "", "application/problem+json;q=0"])));
        if (Chance(pcg, 3)) request.Headers.Add(("X-Forwarded-For", Pick(pcg, ["127.0.0.1", "::1", "169.254.169.254", "garbage", ""])));
        if (Chance(pcg, 3)) request.Headers.Add(("X-Api-Key", Pick(pcg, ["", "vp_", "vp_00000000_x", new string('k', 5000)])));
    }

    private void Json(PCG pcg, FuzzRequest request, JsonElement schema, int hostility)
    {
        request.ContentType = Chance(pcg, 88) ? "application/json" : Pick(pcg, ContentTypes) is { Length: > 0 } t ? t : null;
        var examples = pools.Examples.GetValueOrDefault(operation.Name);
        request.Text = pcg.Next(20) switch
        {
            0 => Pick(pcg, Bodies),
            1 => Chance(pcg, 50) ? DeepNesting(pcg) : JsonString(Long(pcg)),
            < 11 when examples is { Count: > 0 } => json.Mutate(pcg, Pick(pcg, examples)),
            _ => json.Value(pcg, schema, null, hostility),
        };
        // Sometimes with a byte order mark or as UTF-16, which the header does not say.
        if (Chance(pcg, 2)) request.Text = "\uFEFF" + request.Text;
    }

    private void Multipart(PCG pcg, FuzzRequest request, JsonElement schema, int hostility)
    {
        schema = api.Resolve(schema);
        var parts = new List<FormPart>();
        var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToList() : [];
        foreach (var property in properties)
        {
            var isFile = api.Resolve(property.Value).TryGetProperty("format", out var f) && f.GetString() == "binary";
            if (isFile)
            {
                if (Chance(pcg, 8)) continue;
                parts.Add(FilePart(pcg, property.Name));
                if (Chance(pcg, 4)) parts.Add(FilePart(pcg, property.Name));
                continue;
            }
            if (Chance(pcg, 35)) continue;
            parts.Add(new FormPart(Chance(pcg, 3) ? property.Name.ToUpperInvariant() : property.Name, null,
                Encoding.UTF8.GetBytes(FieldValue(pcg, property.Name, hostility)),
                Chance(pcg, 5) ? Pick(pcg, ["text/plain", "application/json", "x/y"]) : null));
            if (Chance(pcg, 4)) parts.Add(parts[^1] with { Bytes = Encoding.UTF8.GetBytes(FieldValue(pcg, property.Name, 50)) });
        }
        if (Chance(pcg, 8))
            parts.Add(new FormPart(Pick(pcg, ["extra", "tenantId", "file", "", "title\u0000", "\u202Etitle"]), null,
                Encoding.UTF8.GetBytes(Pick(pcg, Strings)), null));
        if (Chance(pcg, 2))
            for (var k = 0; k < 120; k++) parts.Add(new FormPart("f" + k, null, "x"u8.ToArray(), null));
        JsonBodies.Shuffle(pcg, parts);
        request.Form = parts;
        request.Boundary = Chance(pcg, 3) ? new string('b', 300) : "fuzz" + pcg.Next().ToString("x8");
        request.ContentType = pcg.Next(40) switch
        {
            0 => "multipart/form-data",
            1 => "multipart/form-data; boundary=other",
            2 => "application/json",
            3 => null,
            4 => "multipart/mixed; boundary=" + request.Boundary,
            _ => "multipart/form-data; boundary=" + request.Boundary,
        };
        if (Chance(pcg, 4))
        {
            // JSON where a form is expected.
            request.Form = null;
            request.Text = Chance(pcg, 50) ? "{\"title\":\"x\"}" : Pick(pcg, Bodies);
        }
    }

    private string FieldValue(PCG pcg, string name, int hostility)
    {
        if (Chance(pcg, Math.Max(15, hostility)))
            return Chance(pcg, 10) ? Long(pcg)[..Pick(pcg, [16 * 1024, 16 * 1024 + 1, 20_000])] : Pick(pcg, Strings);
        return name.ToLowerInvariant() switch
        {
            "title" => Pick(pcg, ["Harbour at dawn", "red circle", "x", new string('t', 500), new string('t', 501)]),
            "tags" or "moods" => Pick(pcg, ["harbour,boats", "calm", "a,a,A", string.Join(',', Enumerable.Range(0, 60).Select(i => "t" + i)), ",,,", "，；"]),
            "expiresat" => Pick(pcg, ["2027-01-31", "2027-01-31T12:00:00Z", "2020-01-01", "0001-01-01", "9999-12-31T23:59:59Z", "tomorrow", "2024-02-30"]),
            "licence" => Pick(pcg, ["cc-by", "staff", new string('l', 100), new string('l', 101)]),
            "credit" => Pick(pcg, ["Newsroom A", new string('c', 300), new string('c', 301)]),
            _ => Pick(pcg, ["x", "A description.", new string('d', 5000), new string('d', 5001)]),
        };
    }

    private FormPart FilePart(PCG pcg, string name)
    {
        var (_, fileName, bytes, contentType) = Pick(pcg, files.All);
        if (Chance(pcg, 25)) fileName = Pick(pcg, HostileFileNames);
        if (Chance(pcg, 10)) contentType = Pick(pcg, ["application/octet-stream", "text/html", "video/mp4", "image/png", "audio/wav", "x/../y"]);
        var partName = Chance(pcg, 3) ? Pick(pcg, ["upload", "File", "files[]"]) : name;
        return new FormPart(partName, fileName, bytes, Chance(pcg, 5) ? null : contentType, Chance(pcg, 10));
    }
}
