using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Jobs;
using VidPress.Core.Telemetry;

namespace VidPress.Api.Infrastructure;

/// <summary>Traces, metrics (Prometheus at /metrics, OTLP when configured), health checks (/health) and the console log format (Logging:Format).</summary>
public static class Observability
{
    public static WebApplicationBuilder AddVidPressObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("vidpress-api"))
            .WithTracing(t => t.AddSource(PipelineMetrics.Name).AddAspNetCoreInstrumentation(o => o.Filter = IsNotScrape).AddHttpClientInstrumentation())
            .WithMetrics(m => m.AddMeter(PipelineMetrics.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation().AddProcessInstrumentation().AddPrometheusExporter());
        // The standard variable, so a collector is wired the same way as for any other OpenTelemetry service.
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
        services.AddSingleton<VideoStateGauge>();
        services.AddSingleton<QueueDepthGauge>();
        builder.Logging.AddVidPressConsoleFormat(builder.Configuration);

        services.AddValidatedOptions<ToolHealthOptions>(ToolHealthOptions.SectionName);
        // Singletons: each keeps its tool's last answer for Health:CacheFor (a check added by type alone is built per request).
        services.AddSingleton<FfmpegHealthCheck>();
        services.AddSingleton<EspeakHealthCheck>();
        services.AddHealthChecks()
            .AddDbContextCheck<VidPressDbContext>("postgresql")
            .AddCheck<FfmpegHealthCheck>("ffmpeg")
            .AddCheck<EspeakHealthCheck>("espeak-ng")
            .AddCheck<ClipModelHealthCheck>("clip-model");
        return builder;
    }

    public static WebApplication MapVidPressObservability(this WebApplication app)
    {
        app.Services.GetRequiredService<VideoStateGauge>();
        app.Services.GetRequiredService<QueueDepthGauge>();
        app.UseMetricsAccess();
        // Service-wide figures: guarded by MetricsAccess (scrape token or this machine), not by a tenant's key.
        app.MapPrometheusScrapingEndpoint(MetricsAccess.Path).AllowAnonymous();
        // Probes (load balancers, Kubernetes) call /health without a key. /health is readiness: the database and the
        // tools this instance needs. /health/live runs no check: a database outage must not restart every API pod.
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        return app;
    }

    private static bool IsNotScrape(HttpContext context) => context.Request.Path != "/metrics" && !context.Request.Path.StartsWithSegments("/health");

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                error = e.Value.Exception?.Message,
                data = e.Value.Data.Count > 0 ? e.Value.Data : null,
            }),
        }, JsonSerializerOptions.Web, context.RequestAborted);
    }
}

/// <summary>
/// vidpress.videos: how many videos are in each state, from the database, so it is right however many
/// workers there are. Cached briefly because every scrape would otherwise query.
/// </summary>
public sealed class VideoStateGauge
{
    private readonly IServiceScopeFactory _scopes;

    public VideoStateGauge(IMeterFactory meters, IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        // Held by the meter through its callback for as long as the meter lives.
        _ = new CachedGauge(meters.Create(PipelineMetrics.Name), "vidpress.videos", "{video}", "Videos by state, across every worker.", TimeSpan.FromSeconds(5), Read);
    }

    private Measurement<long>[] Read()
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VidPressDbContext>();
        var counts = db.Videos.AsNoTracking().GroupBy(v => v.Status).Select(g => new { Status = g.Key, Count = g.LongCount() }).ToList();
        return [.. Enum.GetValues<VideoStatus>()
            .Select(s => new Measurement<long>(counts.FirstOrDefault(c => c.Status == s)?.Count ?? 0, new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant())))];
    }
}
