using System.Text.Json;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>One parameter of an operation as the API description gives it.</summary>
public sealed record ApiParameter(string Name, string In, JsonElement Schema, bool Required);

/// <summary>The request body of an operation: its media type and schema.</summary>
public sealed record ApiBody(string ContentType, JsonElement Schema, bool Required);

/// <summary>One operation (method and path template) of the service's OpenAPI document.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, ApiBody? Body)
{
    public string Name => $"{Method} {Path}";
    public override string ToString() => Name;
}

/// <summary>
/// Reads the operations out of the service's own OpenAPI document (<c>/swagger/v1/swagger.json</c>), with every
/// <c>$ref</c> resolved against its components, and says what of it the fuzzer could not build requests for.
/// </summary>
public sealed class OpenApiOperations
{
    public static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];
    /// <summary>What <see cref="JsonBodies"/> and <see cref="RequestGen"/> know how to send.</summary>
    public static readonly string[] BodyTypes = ["application/json", "multipart/form-data"];
    public static readonly string[] ParameterLocations = ["path", "query", "header"];
    public static readonly string[] SchemaTypes = ["string", "integer", "number", "boolean", "array", "object"];

    private readonly JsonElement _schemas;

    public OpenApiOperations(JsonElement document)
    {
        _schemas = document.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var op in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var parameters = shared.Concat(op.Value.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(Resolve)
                    .Select(x => new ApiParameter(x.GetProperty("name").GetString()!, x.GetProperty("in").GetString()!,
                        x.TryGetProperty("schema", out var schema) ? Resolve(schema) : default,
                        x.TryGetProperty("required", out var r) && r.GetBoolean()))
                    .ToList();
                ApiBody? body = null;
                if (op.Value.TryGetProperty("requestBody", out var rb))
                {
                    rb = Resolve(rb);
                    var content = rb.GetProperty("content").EnumerateObject().First();
                    body = new ApiBody(content.Name, content.Value.TryGetProperty("schema", out var bs) ? Resolve(bs) : default,
                        rb.TryGetProperty("required", out var req) && req.GetBoolean());
                }
                operations.Add(new ApiOperation(op.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }
        All = operations.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<ApiOperation> All { get; }

    /// <summary>A schema with its <c>$ref</c> (and a lone <c>allOf</c> wrapper) replaced by what it names.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        for (var depth = 0; depth < 32 && schema.ValueKind == JsonValueKind.Object; depth++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/').Last();
                if (_schemas.ValueKind != JsonValueKind.Object || !_schemas.TryGetProperty(name, out var target))
                    throw new InvalidOperationException($"The API description refers to {reference.GetString()}, which it does not define.");
                schema = target;
                continue;
            }
            if (schema.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1 && !schema.TryGetProperty("properties", out _))
            {
                schema = all[0];
                continue;
            }
            break;
        }
        return schema;
    }

    /// <summary>The schema's type: the first non-null entry of an OpenAPI 3.1 type list, or inferred from its shape.</summary>
    public static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return null;
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String) return type.GetString();
            if (type.ValueKind == JsonValueKind.Array)
                return type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null");
        }
        if (schema.TryGetProperty("properties", out _)) return "object";
        if (schema.TryGetProperty("items", out _)) return "array";
        if (schema.TryGetProperty("enum", out _)) return "string";
        return null;
    }

    /// <summary>Everything in the document the fuzzer cannot generate; empty when every operation is fully covered.</summary>
    public IReadOnlyList<string> Unsupported()
    {
        var problems = new List<string>();
        foreach (var op in All)
        {
            foreach (var p in op.Parameters)
            {
                if (!ParameterLocations.Contains(p.In)) problems.Add($"{op}: parameter '{p.Name}' in {p.In}");
                CheckSchema(op, $"parameter '{p.Name}'", p.Schema, problems, 0);
            }
            if (op.Body is { } body)
            {
                if (!BodyTypes.Contains(body.ContentType)) problems.Add($"{op}: body of type {body.ContentType}");
                CheckSchema(op, "body", body.Schema, problems, 0);
            }
        }
        return problems;
    }

    private void CheckSchema(ApiOperation op, string where, JsonElement schema, List<string> problems, int depth)
    {
        schema = Resolve(schema);
        if (depth > 12) return;
        if (schema.ValueKind != JsonValueKind.Object) { problems.Add($"{op}: {where} has no schema"); return; }
        // "Any JSON" is fine: the generators send any value there.
        if (!schema.EnumerateObject().Any()) return;
        foreach (var alternative in new[] { "oneOf", "anyOf" })
            if (schema.TryGetProperty(alternative, out var alternatives))
            {
                foreach (var a in alternatives.EnumerateArray()) CheckSchema(op, where, a, problems, depth + 1);
                return;
            }
        var type = TypeOf(schema);
        if (type is null || !SchemaTypes.Contains(type)) { problems.Add($"{op}: {where} of type {type ?? "(none)"}"); return; }
        if (type == "array" && schema.TryGetProperty("items", out var items)) CheckSchema(op, where + "[]", items, problems, depth + 1);
        if (type == "object" && schema.TryGetProperty("properties", out var properties))
            foreach (var property in properties.EnumerateObject()) CheckSchema(op, where + "." + property.Name, property.Value, problems, depth + 1);
    }
}
