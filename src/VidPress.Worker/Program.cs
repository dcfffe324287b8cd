using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VidPress.Core;
using VidPress.Core.Jobs;

// A worker-only host: Hangfire workers and no HTTP, for scaling rendering out to more machines.
// Which queues it serves is configuration: "render,default" on CPU machines, "gpu" on GPU machines.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddVidPressPipeline(builder.Configuration);
builder.Services.AddVidPressJobs(builder.Configuration,
    builder.Configuration.GetSection("Jobs:Queues").Get<string[]>() ?? ["render", "default"],
    builder.Configuration.GetValue("Jobs:WorkerCount", Environment.ProcessorCount));
// Stage durations and render speed are recorded where jobs run; a worker has no /metrics, so it exports over
// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
    builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("vidpress-worker"))
        .WithTracing(t => t.AddSource(PipelineMetrics.Name)).WithMetrics(m => m.AddMeter(PipelineMetrics.Name)).UseOtlpExporter();
builder.Build().Run();
