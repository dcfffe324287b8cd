using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VidPress.Core.Jobs;
using VidPress.Core.Telemetry;

namespace VidPress.Worker.Infrastructure;

/// <summary>The worker's logs (Logging:Format), metrics and health: /metrics and /health on Worker:MetricsPort, OTLP when configured.</summary>
public static class WorkerObservability
{
    public static HostApplicationBuilder AddVidPressWorkerObservability(this HostApplicationBuilder builder)
    {
        builder.Logging.AddVidPressConsoleFormat(builder.Configuration);
        builder.Services.AddOptions<WorkerEndpointOptions>().BindConfiguration("Worker")
            .Validate(o => o.MetricsPort is >= 0 and <= 65535, "Worker:MetricsPort must be a TCP port (0 for none).").ValidateOnStart();
        var options = builder.Configuration.GetSection("Worker").Get<WorkerEndpointOptions>() ?? new WorkerEndpointOptions();
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (options.MetricsPort == 0 && !otlp) return builder;

        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("vidpress-worker"))
            .WithMetrics(m =>
            {
                m.AddMeter(PipelineMetrics.Name).AddRuntimeInstrumentation().AddProcessInstrumentation();
                if (options.MetricsPort != 0)
                    m.AddPrometheusHttpListener(o => o.ConfigureHttpListener = (_, listener) =>
                    {
                        // The host may be "*" (every interface), which the option's own URI cannot hold.
                        listener.Prefixes.Clear();
                        listener.Prefixes.Add($"http://{options.MetricsHost}:{options.MetricsPort}/metrics/");
                    });
            });
        // The standard variable, so a collector is wired the same way as for any other OpenTelemetry service.
        if (otlp) otel.WithTracing(t => t.AddSource(PipelineMetrics.Name)).UseOtlpExporter();
        if (options.MetricsPort != 0)
        {
            builder.Services.AddSingleton<QueueDepthGauge>();
            builder.Services.AddHostedService<WorkerHealthEndpoint>();
        }
        return builder;
    }
}
