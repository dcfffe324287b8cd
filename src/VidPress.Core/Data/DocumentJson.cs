using System.Text.Json;
using System.Text.Json.Serialization;

namespace VidPress.Core.Data;

/// <summary>The one JSON shape used for stored stage documents and for the API.</summary>
public static class DocumentJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
