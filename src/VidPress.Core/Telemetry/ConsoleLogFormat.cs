using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace VidPress.Core.Telemetry;

/// <summary>
/// <c>Logging:Format</c>: "text" (the default: the console's readable lines, for a terminal) or "json" (one JSON object
/// a line per event, scopes included, UTC timestamps: for a log collector). Both hosts read it the same way.
/// </summary>
public static class ConsoleLogFormat
{
    public const string Key = "Logging:Format";

    public static ILoggingBuilder AddVidPressConsoleFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var format = configuration[Key];
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                return logging;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                    o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
                });
                return logging;
            default:
                throw new InvalidOperationException($"{Key} must be \"text\" or \"json\", not \"{format}\".");
        }
    }
}
