using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using VidPress.Core.Delivery;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// The OpenAPI document (Swagger) as the wire is: what generated clients (NSwag, openapi-typescript) read and Redocly's
/// recommended rules check. The schemas are made from the same JSON options the API writes with, so an enum's values and
/// a property's presence are read off the code, not listed by hand.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddOpenApiDescription(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new()
            {
                Title = "VidPress Service", Version = "v1", Description = "Turns news articles into narrated videos.",
                License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://vidpress.example.org/licence") },
            });
            o.SchemaFilter<WireEnumSchemaFilter>();
            o.SchemaFilter<PresenceSchemaFilter>();
            o.OperationFilter<FileResponseOperationFilter>();
            o.OperationFilter<ProtocolOperationFilter>();
            o.DocumentFilter<WebhooksDocumentFilter>();
        });
        return services;
    }

    /// <summary>Serves the document with the service's public address (Webhooks:PublicBaseUrl, the one its links are made with) as its server.</summary>
    public static WebApplication UseOpenApiDescription(this WebApplication app)
    {
        var publicBaseUrl = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.PublicBaseUrl.TrimEnd('/');
        app.UseSwagger(o => o.PreSerializeFilters.Add((document, _) => document.Servers = [new OpenApiServer { Url = publicBaseUrl, Description = "This service" }]));
        app.UseSwaggerUI();
        return app;
    }

    internal static JsonSchemaType WithoutNull(JsonSchemaType type) => type & ~JsonSchemaType.Null;
}

/// <summary>An enum as the API writes it: a string, its values each member as the API's JSON options serialise it ("succeeded", "videoShot").</summary>
public sealed class WireEnumSchemaFilter(IOptions<HttpJsonOptions> json) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        var type = Nullable.GetUnderlyingType(context.Type) ?? context.Type;
        if (!type.IsEnum || schema is not OpenApiSchema target) return;
        target.Type = JsonSchemaType.String;
        target.Format = null;
        target.Enum = Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.SerializeToNode(v, type, json.Value.SerializerOptions)!).ToList();
    }
}

/// <summary>
/// Which properties are always there: the API leaves out what is null (<see cref="JsonIgnoreCondition.WhenWritingNull"/>),
/// so a property whose type cannot be null (nullable reference types, value types) is required and not nullable, and
/// every other one is optional and nullable (a client may send null for it).
/// </summary>
public sealed class PresenceSchemaFilter(IOptions<HttpJsonOptions> json) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type.IsEnum) return;
        var naming = json.Value.SerializerOptions.PropertyNamingPolicy;
        var nullability = new NullabilityInfoContext();
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always }) continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming?.ConvertName(property.Name) ?? property.Name;
            if (!target.Properties!.TryGetValue(name, out var propertySchema)) continue;
            var present = nullability.Create(property).ReadState == NullabilityState.NotNull;
            if (present) (target.Required ??= new HashSet<string>()).Add(name);
            else target.Required?.Remove(name);
            if (propertySchema is OpenApiSchema { Type: { } type } inline)
                inline.Type = present ? OpenApiSetup.WithoutNull(type) : type | JsonSchemaType.Null;
        }
    }
}

/// <summary>What a file endpoint serves: its media types, byte ranges (206, Content-Range) and whether it sends an ETag.</summary>
public sealed record FileResponseMetadata(IReadOnlyList<string> MediaTypes, bool EntityTag);

/// <summary>The 200 of a file endpoint as a binary body of each media type, its 206 for a Range and 416 for one outside the file, and the headers.</summary>
public sealed class FileResponseOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<FileResponseMetadata>().FirstOrDefault() is not { } file) return;
        var headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Accept-Ranges"] = Header("\"bytes\": byte ranges may be asked for with a Range header.", enumValues: ["bytes"]),
            ["Content-Length"] = Header("The size of the body in bytes.", JsonSchemaType.Integer),
        };
        if (file.EntityTag) headers["ETag"] = Header("A strong validator of the file's bytes; send it back as If-None-Match to get a 304 when unchanged.");
        var ranged = new Dictionary<string, IOpenApiHeader>(headers)
        {
            ["Content-Range"] = Header("The range sent and the file's size, e.g. \"bytes 0-1023/48213\"."),
        };
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse { Description = "The whole file.", Content = Binary(file.MediaTypes), Headers = headers };
        operation.Responses["206"] = new OpenApiResponse { Description = "The byte range the Range header asked for.", Content = Binary(file.MediaTypes), Headers = ranged };
        operation.Responses["416"] = new OpenApiResponse
        {
            Description = "The range lies outside the file: a problem, with the file's size in Content-Range.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository) },
            },
            Headers = new Dictionary<string, IOpenApiHeader> { ["Content-Range"] = Header("\"bytes */SIZE\": the file's size.") },
        };
        if (file.EntityTag) operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: If-None-Match names the file's current ETag." };
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Range", In = ParameterLocation.Header, Description = "One byte range, e.g. \"bytes=0-1023\" or \"bytes=1024-\" (RFC 9110).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        if (file.EntityTag)
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match", In = ParameterLocation.Header, Description = "An ETag of an earlier answer: 304 when the file is still that one.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
    }

    private static Dictionary<string, OpenApiMediaType> Binary(IEnumerable<string> mediaTypes) =>
        mediaTypes.ToDictionary(m => m, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } });

    internal static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String, string[]? enumValues = null) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = type, Enum = enumValues?.Select(v => (JsonNode)JsonValue.Create(v)).ToList() },
    };
}

/// <summary>A query parameter that takes the wire names of an enum's members (<c>?format=srt|vtt</c>) though the handler reads it as text.</summary>
public sealed record QueryEnumMetadata(string Name, Type EnumType, bool Required);

/// <summary>
/// The HTTP around the bodies: the Idempotency-Key request header of creating requests, Location on 201 and 202,
/// Retry-After on 429 and 503, a query parameter's enum values, and no API key (nor 401) on the signed-link endpoints.
/// </summary>
public sealed class ProtocolOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Parameters ??= [];
        if (metadata.OfType<IdempotencyKeyMetadata>().Any())
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Idempotency.HeaderName, In = ParameterLocation.Header,
                Description = $"Makes the request safe to repeat: the same key with the same request answers with what the first one made; with another request it is a 422. 1 to {Idempotency.MaxKeyLength} visible ASCII characters, e.g. a UUID.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Idempotency.MaxKeyLength, Pattern = "^[!-~]+$" },
            });
        foreach (var query in metadata.OfType<QueryEnumMetadata>())
            if (operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == query.Name && p.In == ParameterLocation.Query) is { } parameter)
            {
                parameter.Schema = context.SchemaGenerator.GenerateSchema(query.EnumType, context.SchemaRepository);
                parameter.Required = query.Required;
            }
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse target) continue;
            if (code is "201" or "202")
                (target.Headers ??= new Dictionary<string, IOpenApiHeader>())["Location"] = FileResponseOperationFilter.Header("The URL of the resource the request made or changed (GET it to follow its progress).");
            if (code is "429" or "503")
                (target.Headers ??= new Dictionary<string, IOpenApiHeader>())["Retry-After"] = FileResponseOperationFilter.Header("Seconds to wait before trying again.", JsonSchemaType.Integer);
        }
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Responses?.Remove("401");
            operation.Security = [];
        }
    }
}

/// <summary>Marks an endpoint that reads the Idempotency-Key header.</summary>
public sealed record IdempotencyKeyMetadata;

/// <summary>
/// The webhook events, described in the document (OpenAPI 3.0's place for them is the <c>x-webhooks</c> extension,
/// read by Redocly; 3.1's <c>webhooks</c> would be the same path items): a POST of <see cref="WebhookPayload"/> with
/// the Standard Webhooks headers, signed with the tenant's secret.
/// </summary>
public sealed class WebhooksDocumentFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Videos"] = "Articles into narrated videos: create, follow, edit the timeline, download the MP4 and subtitles.",
        ["Library"] = "The newsroom's footage, stills and music beds the videos are made from.",
        ["Voices"] = "The voices this deployment narrates with, and a tenant's default voice and pronunciation lexicon.",
        ["Webhooks"] = "What the service POSTs to a video's callbackUrl when it has finished.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var payload = context.SchemaGenerator.GenerateSchema(typeof(WebhookPayload), context.SchemaRepository);
        var webhooks = new Dictionary<string, OpenApiPathItem>
        {
            [WebhookEvents.VideoSucceeded] = Event("VideoSucceeded", "A video has succeeded: data.links has its files and signed downloads.", payload),
            [WebhookEvents.VideoFailed] = Event("VideoFailed", "A video has failed: data.error says why.", payload),
        };
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["x-webhooks"] = new PathItemsExtension(webhooks);
        var used = (document.Paths ?? new OpenApiPaths()).Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).SelectMany(o => o.Tags ?? Enumerable.Empty<OpenApiTagReference>())
            .Select(t => t.Name).OfType<string>().Append("Webhooks").Distinct();
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag { Name = name, Description = Tags.GetValueOrDefault(name) }));
    }

    private static OpenApiPathItem Event(string name, string summary, IOpenApiSchema payload) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Post] = new()
            {
                OperationId = name, Summary = summary, Tags = new HashSet<OpenApiTagReference> { new("Webhooks") }, Security = [],
                Description = "Sent to the video's callbackUrl, signed by Standard Webhooks (https://www.standardwebhooks.com/) with the tenant's secret " +
                    "(./vidpress admin webhook-secret): verify webhook-signature over webhook-id, webhook-timestamp and the body before trusting it.",
                Parameters =
                [
                    WebhookHeader("webhook-id", "The delivery's id: the same on every retry of one event, so a receiver can drop repeats."),
                    WebhookHeader("webhook-timestamp", "Unix seconds when this attempt was signed; refuse ones far from now."),
                    WebhookHeader("webhook-signature", "Space-separated \"v1,BASE64\" HMAC-SHA256 signatures of \"id.timestamp.body\" (one per current secret)."),
                ],
                RequestBody = new OpenApiRequestBody
                {
                    Required = true, Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = payload } },
                },
                Responses = new OpenApiResponses
                {
                    ["2XX"] = new OpenApiResponse { Description = "Received; the event is not sent again." },
                    ["4XX"] = new OpenApiResponse { Description = "Refused (a signature that does not verify, say); like any other answer that is not 2xx, it is retried with backoff." },
                },
            },
        },
    };

    private static OpenApiParameter WebhookHeader(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = true, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>Path items written where an extension stands (OpenAPI 3.0 has no <c>webhooks</c> field).</summary>
    private sealed class PathItemsExtension(IReadOnlyDictionary<string, OpenApiPathItem> items) : IOpenApiExtension
    {
        public void Write(IOpenApiWriter writer, OpenApiSpecVersion specVersion)
        {
            writer.WriteStartObject();
            foreach (var (name, item) in items)
            {
                writer.WritePropertyName(name);
                item.SerializeAsV3(writer);
            }
            writer.WriteEndObject();
        }
    }
}
