using VidPress.Core;

// A worker-only host: Hangfire workers and no HTTP, for scaling rendering out to more machines.
// Which queues it serves is configuration: "render,default" on CPU machines, "gpu" on GPU machines.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddVidPressPipeline(builder.Configuration);
builder.Services.AddVidPressJobs(builder.Configuration,
    builder.Configuration.GetSection("Jobs:Queues").Get<string[]>() ?? ["render", "default"],
    builder.Configuration.GetValue("Jobs:WorkerCount", Environment.ProcessorCount));
builder.Build().Run();
