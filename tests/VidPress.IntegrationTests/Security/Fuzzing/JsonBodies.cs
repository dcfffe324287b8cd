using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using static VidPress.IntegrationTests.Security.Fuzzing.Hostile;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>What the fuzzer knows of the running service: real ids of both tenants and valid documents to mutate.</summary>
public sealed class FuzzPools
{
    /// <summary>The fuzzed tenant's own videos, assets, shots and music tracks.</summary>
    public List<Guid> Own { get; } = [];
    /// <summary>The other tenant's: every one of them must read as unknown.</summary>
    public List<Guid> Others { get; } = [];
    /// <summary>The own ids by the path segment naming their kind: "videos", "assets", "shots", "music".</summary>
    public Dictionary<string, List<Guid>> OwnByKind { get; } = [];
    /// <summary>Own ids that other requests rely on (the rendered video's asset): never deleted by the fuzzer.</summary>
    public HashSet<Guid> Precious { get; } = [];
    /// <summary>Own assets the fuzzer may delete.</summary>
    public List<Guid> Disposable { get; } = [];
    /// <summary>Valid JSON values seen in real documents, by property name (case-insensitive): "16:9" for aspectRatio, a real clip for clips.</summary>
    public Dictionary<string, List<string>> Known { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Valid bodies by operation ("PUT /videos/{id}/timeline"), the starting points of mutations.</summary>
    public Dictionary<string, List<string>> Examples { get; } = [];
    /// <summary>Valid query values by parameter name (a real signed link's expires and sig).</summary>
    public Dictionary<string, List<string>> QueryExamples { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void AddExample(string operation, string json)
    {
        if (!Examples.TryGetValue(operation, out var list)) Examples[operation] = list = [];
        list.Add(json);
        using var document = JsonDocument.Parse(json);
        Learn(document.RootElement, null, 0);
    }

    private void Learn(JsonElement element, string? name, int depth)
    {
        if (name is not null && depth < 6)
        {
            if (!Known.TryGetValue(name, out var values)) Known[name] = values = [];
            var raw = element.GetRawText();
            if (raw.Length < 20_000 && !values.Contains(raw) && values.Count < 20) values.Add(raw);
        }
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var p in element.EnumerateObject()) Learn(p.Value, p.Name, depth + 1);
        else if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray().Take(5)) Learn(item, name, depth + 1);
    }

    public Guid Id(PCG pcg) => pcg.Next(10) switch
    {
        < 4 when Own.Count > 0 => Pick(pcg, Own),
        < 7 when Others.Count > 0 => Pick(pcg, Others),
        7 => Guid.Empty,
        8 => Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        _ => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)pcg.Next(256)).ToArray()),
    };
}

/// <summary>
/// JSON bodies as raw text, so that tokens no serializer writes (1e400, NaN, -0, lone surrogate escapes) can be sent:
/// generated from a schema of the API description, or a real document with some of its values replaced.
/// </summary>
public sealed class JsonBodies(OpenApiOperations api, FuzzPools pools)
{
    private const int MaxDepth = 8;

    /// <summary>A value for the schema: mostly what it asks for, at <paramref name="hostility"/> percent a hostile one.</summary>
    public string Value(PCG pcg, JsonElement schema, string? name, int hostility, int depth = 0)
    {
        schema = api.Resolve(schema);
        if (Chance(pcg, hostility)) return HostileValue(pcg, depth);
        if (name is not null && pools.Known.TryGetValue(name, out var known) && Chance(pcg, 40)) return Pick(pcg, known);
        if (schema.ValueKind != JsonValueKind.Object || !schema.EnumerateObject().Any()) return AnyValue(pcg, depth);
        if (Nullable(schema) && Chance(pcg, 10)) return "null";
        foreach (var alternative in new[] { "oneOf", "anyOf" })
            if (schema.TryGetProperty(alternative, out var alternatives))
                return Value(pcg, alternatives[(int)pcg.Next((uint)alternatives.GetArrayLength())], name, hostility, depth);
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
            return values[(int)pcg.Next((uint)values.GetArrayLength())].GetRawText();
        return OpenApiOperations.TypeOf(schema) switch
        {
            "string" => StringValue(pcg, schema, name),
            "integer" => IntegerValue(pcg, schema),
            "number" => NumberValue(pcg, schema),
            "boolean" => Chance(pcg, 50) ? "true" : "false",
            "array" => ArrayValue(pcg, schema, name, hostility, depth),
            "object" => ObjectValue(pcg, schema, hostility, depth),
            _ => AnyValue(pcg, depth),
        };
    }

    private static bool Nullable(JsonElement schema) =>
        (schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True)
        || (schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Array && t.EnumerateArray().Any(x => x.GetString() == "null"));

    private string StringValue(PCG pcg, JsonElement schema, string? name)
    {
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var lower = name?.ToLowerInvariant() ?? "";
        if (format == "uuid" || lower.EndsWith("id", StringComparison.Ordinal)) return JsonString(pools.Id(pcg).ToString());
        if (format == "date-time" || format == "date")
            return JsonString(Pick(pcg, ["2027-01-31T12:00:00Z", "2020-01-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "2024-02-30T00:00:00Z", "2027-01-31T12:00:00+14:00", "2027-01-31T12:00:00-99:00", "yesterday"]));
        if (format == "uri" || lower.Contains("url", StringComparison.Ordinal))
            return JsonString(Pick(pcg, ["https://example.org/news/1", "http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                "file:///etc/passwd", "http://[::1]:5080/", "https://example.org/" + new string('a', 5000), "ftp://example.org/", "not a url"]));
        var max = schema.TryGetProperty("maxLength", out var ml) && ml.TryGetInt32(out var m) ? m : (int?)null;
        var min = schema.TryGetProperty("minLength", out var nl) && nl.TryGetInt32(out var n) ? n : 0;
        return pcg.Next(6) switch
        {
            0 when max is { } limit => JsonString(new string('x', limit + (int)pcg.Next(2))),
            0 or 1 => JsonString(new string('x', Math.Max(min, (int)pcg.Next(3)))),
            2 => JsonString(Pick(pcg, Strings)),
            _ => JsonString(Pick(pcg, ["A red circle rose over the city.", "Later a blue square appeared.", "harbour", "en", "zh", "16:9",
                "9:16", "1:1", "720p", "1080p", "none", "auto", "calm", "crop", "letterbox", "videoShot", "still", "titleCard", "x"])),
        };
    }

    private static string IntegerValue(PCG pcg, JsonElement schema)
    {
        var min = schema.TryGetProperty("minimum", out var mn) && mn.TryGetInt64(out var a) ? a : (long?)null;
        var max = schema.TryGetProperty("maximum", out var mx) && mx.TryGetInt64(out var b) ? b : (long?)null;
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var candidates = new List<long> { 0, 1, -1, 2, 5, 30, 60, 600, 601, 1000 };
        if (min is { } lo) candidates.AddRange([lo, lo - 1]);
        if (max is { } hi) candidates.AddRange([hi, hi + 1]);
        if (format == "int64") candidates.AddRange([long.MaxValue, long.MinValue]);
        else candidates.AddRange([int.MaxValue, int.MinValue, (long)int.MaxValue + 1]);
        return Pick(pcg, candidates).ToString(CultureInfo.InvariantCulture);
    }

    private static string NumberValue(PCG pcg, JsonElement schema)
    {
        if (Chance(pcg, 30)) return Pick(pcg, NumberTokens);
        var candidates = new List<double> { 0, 0.5, 1, 2.5, 4.999, 5, 60, 599.999, 600, 600.001, -1, -0.001, 1e-9, 1e9, 1e300, double.Epsilon };
        foreach (var bound in new[] { "minimum", "maximum" })
            if (schema.TryGetProperty(bound, out var v) && v.TryGetDouble(out var d)) candidates.AddRange([d, d - 1e-9, d + 1e-9]);
        return Pick(pcg, candidates).ToString("R", CultureInfo.InvariantCulture);
    }

    private string ArrayValue(PCG pcg, JsonElement schema, string? name, int hostility, int depth)
    {
        var items = schema.TryGetProperty("items", out var i) ? i : default;
        var count = pcg.Next(10) switch
        {
            0 => 0,
            1 when depth < 2 => Pick(pcg, [201, 1001, 5000]),
            _ => (int)pcg.Next(4) + 1,
        };
        if (count > 100)
        {
            // A long list of one cheap value: the size a handler must refuse, without making the body huge.
            var one = depth >= MaxDepth ? "1" : Value(pcg, items, name, 0, MaxDepth - 1);
            if (one.Length > 200) one = "{}";
            return "[" + string.Join(',', Enumerable.Repeat(one, count)) + "]";
        }
        var sb = new StringBuilder("[");
        for (var k = 0; k < count; k++)
        {
            if (k > 0) sb.Append(',');
            sb.Append(depth >= MaxDepth ? "null" : Value(pcg, items, name, hostility, depth + 1));
        }
        return sb.Append(']').ToString();
    }

    private string ObjectValue(PCG pcg, JsonElement schema, int hostility, int depth)
    {
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        var parts = new List<string>();
        if (schema.TryGetProperty("properties", out var properties))
            foreach (var property in properties.EnumerateObject())
            {
                var isRequired = required.Contains(property.Name);
                // Required fields are left out now and then; optional ones half of the time.
                if (isRequired ? Chance(pcg, 5) : Chance(pcg, 50)) continue;
                var value = depth >= MaxDepth ? "null" : Value(pcg, property.Value, property.Name, hostility, depth + 1);
                parts.Add(JsonString(Chance(pcg, 3) ? property.Name.ToUpperInvariant() : property.Name) + ":" + value);
            }
        if (Chance(pcg, 10))
            parts.Add(JsonString(Pick(pcg, ["extra", "$type", "__proto__", "id", "tenantId", "status", ""])) + ":" + HostileValue(pcg, depth + 1));
        // A repeated key: the last one wins in System.Text.Json, the first in some proxies.
        if (parts.Count > 0 && Chance(pcg, 5)) parts.Add(parts[(int)pcg.Next((uint)parts.Count)]);
        Shuffle(pcg, parts);
        return "{" + string.Join(',', parts) + "}";
    }

    /// <summary>Any JSON value at all, for a slot whose schema says nothing.</summary>
    private string AnyValue(PCG pcg, int depth) => pcg.Next(5) switch
    {
        0 => "null",
        1 => JsonString(Pick(pcg, Strings)),
        2 => Pick(pcg, NumberTokens),
        _ => HostileValue(pcg, depth),
    };

    /// <summary>A value of the wrong kind or size for whatever slot it is put in.</summary>
    public string HostileValue(PCG pcg, int depth) => pcg.Next(16) switch
    {
        < 4 => Pick(pcg, NumberTokens),
        < 8 => JsonString(Pick(pcg, Strings)),
        8 => JsonString(Long(pcg)),
        9 => depth < 3 ? DeepNesting(pcg) : "[]",
        10 => Pick(pcg, ["null", "true", "false", "{}", "[]", "[null]", "[[]]", "{\"\":null}", "0", "\"\""]),
        11 => JsonString(pools.Id(pcg).ToString()),
        12 => "[" + string.Join(',', Enumerable.Repeat(Pick(pcg, ["null", "0", "\"\"", "{}", "\"\\u0000\""]), Pick(pcg, [1000, 10_000, 100_000]))) + "]",
        13 => JsonString(pools.Id(pcg).ToString("N")),
        14 => "{" + string.Join(',', Enumerable.Range(0, Pick(pcg, [100, 5000])).Select(k => $"\"k{k}\":{k}")) + "}",
        _ => Pick(pcg, NumberTokens),
    };

    /// <summary>
    /// A real document with one to three of its values replaced (by a hostile value, another value its schema allows,
    /// or nothing: the property dropped), or with a property added.
    /// </summary>
    public string Mutate(PCG pcg, string json)
    {
        using var document = JsonDocument.Parse(json);
        var slots = new List<(int Index, string? Name, JsonElement Value)>();
        Count(document.RootElement, null, slots);
        var changes = new Dictionary<int, string?>();
        var n = Between(pcg, 1, 3);
        for (var k = 0; k < n && slots.Count > 1; k++)
        {
            var (index, name, value) = slots[1 + (int)pcg.Next((uint)(slots.Count - 1))];
            changes[index] = pcg.Next(10) switch
            {
                // Of the same kind as the value it replaces, so that more of them pass the checks before it and reach deeper.
                < 3 => SameKind(pcg, value),
                < 5 => HostileValue(pcg, 2),
                < 7 => name is not null && pools.Known.TryGetValue(name, out var known) ? Pick(pcg, known) : Pick(pcg, NumberTokens),
                < 8 => Pick(pcg, NumberTokens),
                < 9 => Value(pcg, default, name, 0, 2),
                _ => null,
            };
        }
        var sb = new StringBuilder();
        var counter = 0;
        Write(document.RootElement, sb, changes, ref counter);
        if (Chance(pcg, 10) && sb.Length > 1 && sb[^1] == '}')
            sb.Insert(sb.Length - 1,
                (sb.Length > 2 ? "," : "") + JsonString(Pick(pcg, ["extra", "tenantId", "status", "revision"])) + ":" + HostileValue(pcg, 1));
        return sb.ToString();
    }

    private string SameKind(PCG pcg, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => pcg.Next(6) switch
        {
            0 => JsonString(value.GetString() + "\u0000"),
            1 => JsonString("\u202E" + value.GetString()),
            2 => JsonString(value.GetString() + Pick(pcg, ["\ud800", "\uFFFE", "\u0000x"])),
            3 => JsonString(Long(pcg)),
            _ => JsonString(Pick(pcg, Strings)),
        },
        JsonValueKind.Number => Pick(pcg, NumberTokens),
        JsonValueKind.Array => Chance(pcg, 50) ? "[]"
            : "[" + string.Join(',', Enumerable.Repeat(value.GetArrayLength() > 0 ? value[0].GetRawText() : "null", Pick(pcg, [201, 1001, 5000]))) + "]",
        _ => HostileValue(pcg, 2),
    };

    private static void Count(JsonElement element, string? name, List<(int, string?, JsonElement)> slots)
    {
        slots.Add((slots.Count, name, element));
        if (element.ValueKind == JsonValueKind.Object) foreach (var p in element.EnumerateObject()) Count(p.Value, p.Name, slots);
        else if (element.ValueKind == JsonValueKind.Array) foreach (var item in element.EnumerateArray()) Count(item, name, slots);
    }

    /// <summary>Writes the element with the values of <paramref name="changes"/> in place (null: the property or item left out).</summary>
    private static void Write(JsonElement element, StringBuilder sb, Dictionary<int, string?> changes, ref int counter)
    {
        var index = counter++;
        if (changes.TryGetValue(index, out var replacement))
        {
            Skip(element, ref counter);
            sb.Append(replacement ?? "null");
            return;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in element.EnumerateObject())
                {
                    if (changes.TryGetValue(counter, out var r) && r is null) { counter++; Skip(p.Value, ref counter); continue; }
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonString(p.Name)).Append(':');
                    Write(p.Value, sb, changes, ref counter);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (changes.TryGetValue(counter, out var r) && r is null) { counter++; Skip(item, ref counter); continue; }
                    if (!firstItem) sb.Append(',');
                    firstItem = false;
                    Write(item, sb, changes, ref counter);
                }
                sb.Append(']');
                break;
            default:
                sb.Append(element.GetRawText());
                break;
        }
    }

    private static void Skip(JsonElement element, ref int counter)
    {
        if (element.ValueKind == JsonValueKind.Object) foreach (var p in element.EnumerateObject()) { counter++; Skip(p.Value, ref counter); }
        else if (element.ValueKind == JsonValueKind.Array) foreach (var item in element.EnumerateArray()) { counter++; Skip(item, ref counter); }
    }

    public static void Shuffle<T>(PCG pcg, List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = (int)pcg.Next((uint)(i + 1));
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
