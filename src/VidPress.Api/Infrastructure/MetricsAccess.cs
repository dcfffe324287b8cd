using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// Who may read /metrics. The figures cover every tenant (videos by state across the service), so a tenant's API
/// key is not enough: with <c>Metrics:ScrapeToken</c> set, a scraper sends <c>Authorization: Bearer TOKEN</c>
/// (Prometheus' <c>authorization: { credentials: … }</c>); without it, only requests from this machine are answered.
/// </summary>
public static class MetricsAccess
{
    public const string Path = "/metrics";

    /// <summary>Whether a request from <paramref name="remote"/> with this Authorization header may scrape.</summary>
    public static bool Allows(IPAddress? remote, string? authorization, string? scrapeToken)
    {
        if (string.IsNullOrEmpty(scrapeToken))
            // No address: an in-process or Unix-socket caller, which is this machine too.
            return remote is null || IPAddress.IsLoopback(remote);
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(scrapeToken)));
    }

    /// <summary>Answers a scrape that may not read the metrics with a 401 problem, before the endpoint runs.</summary>
    public static WebApplication UseMetricsAccess(this WebApplication app)
    {
        var token = app.Configuration["Metrics:ScrapeToken"];
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase)
                && !Allows(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, token))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status401Unauthorized, Title = "Metrics need the scrape token.",
                        Detail = string.IsNullOrEmpty(token)
                            ? "Metrics:ScrapeToken is not set, so only requests from this machine may read /metrics."
                            : "Send Authorization: Bearer with Metrics:ScrapeToken; API keys do not give access to service-wide metrics.",
                    },
                });
                return;
            }
            await next(context);
        });
        return app;
    }
}
