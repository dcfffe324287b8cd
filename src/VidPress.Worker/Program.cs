using VidPress.Core;
using VidPress.Worker.Infrastructure;

// A worker-only host: Hangfire workers, and no HTTP but its own small port for /metrics and /health
// (Worker:MetricsPort). Which queues it serves is configuration: "render,default" on CPU machines, "gpu" on GPU machines
// (a render server also serves "breaking", a default one "uploads": JobQueues.Served).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddVidPressPipeline(builder.Configuration);
builder.Services.AddVidPressJobs(builder.Configuration,
    builder.Configuration.GetSection("Jobs:Queues").Get<string[]>() ?? ["render", "default"],
    builder.Configuration.GetValue("Jobs:WorkerCount", Environment.ProcessorCount));
builder.AddVidPressWorkerObservability();
builder.Build().Run();
