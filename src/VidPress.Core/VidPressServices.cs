using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Articles;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Embeddings;
using VidPress.Core.Generation;
using VidPress.Core.Jobs;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Network;
using VidPress.Core.Rendering;
using VidPress.Core.Script;
using VidPress.Core.Tenants;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.Core;

public static class VidPressServices
{
    public const string ConnectionStringName = DataServiceCollectionExtensions.ConnectionStringName;
    public const string MigrationsAssembly = DataServiceCollectionExtensions.MigrationsAssembly;

    /// <summary>
    /// Everything the pipeline needs, for the API host and the worker host alike: each folder registers its own
    /// services and options (validated at start-up) in its <c>AddX()</c>.
    /// </summary>
    public static IServiceCollection AddVidPressPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        return services
            .AddData()
            .AddNetwork()
            .AddMedia()
            .AddEmbeddings(configuration)
            .AddArticles()
            .AddScript()
            .AddNarration()
            .AddLibrary()
            .AddTimeline()
            .AddGeneration(configuration)
            .AddRendering()
            .AddDelivery()
            .AddTenants()
            .AddVideos()
            .AddJobs();
    }

    private static PostgreSqlStorageOptions HangfireStorageOptions(IConfiguration configuration) => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        // A job whose worker died becomes visible to other workers again after this long;
        // the sliding invisibility keeps long renders owned while their worker lives.
        // Configurable so crash-recovery tests need not wait five minutes.
        InvisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue("Jobs:InvisibilityTimeoutSeconds", 300)),
        UseSlidingInvisibilityTimeout = true,
        // Hangfire's locks here are rows, so a worker killed inside a state change (a job finishing, a
        // cancelled run returning) leaves its job's lock behind; the next worker to fetch that job waits,
        // with its slot, until the lock is this old. The storage's default is ten minutes; Hangfire holds
        // these locks for milliseconds (state changes, the scheduler's poll), so one minute is ample.
        DistributedLockTimeout = TimeSpan.FromSeconds(configuration.GetValue("Jobs:DistributedLockTimeoutSeconds", 60)),
    };

    /// <summary>Hangfire on PostgreSQL. <paramref name="queues"/> null means this process only enqueues.</summary>
    public static IServiceCollection AddVidPressJobs(this IServiceCollection services, IConfiguration configuration, string[]? queues, int workerCount)
    {
        // This host's own storage object: Hangfire's default hands every host JobStorage.Current, one per
        // process, so two hosts in a process (the tests' fixtures) could enqueue into each other's database.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = HangfireStorageOptions(sp.GetRequiredService<IConfiguration>());
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(DataServiceCollectionExtensions.ConnectionString(sp.GetRequiredService<IConfiguration>()), options), options);
        });
        // Likewise the activator: the process-wide one builds jobs from whichever host configured Hangfire last.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseTypeResolver(JobTypeNames.Resolve)
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()))
            .UseStorage(sp.GetRequiredService<JobStorage>())
            .UseActivator(sp.GetRequiredService<JobActivator>()));
        if (queues is { Length: > 0 }) services.AddHostedService<HeldVideoSweep>();
        if (queues is { Length: > 0 })
            services.AddHangfireServer((sp, o) =>
            {
                // Per server, not Hangfire's process-wide filter list: the filter reads this host's database.
                o.FilterProvider = new PipelineTelemetryFilter.Provider(sp, Hangfire.Common.JobFilterProviders.Providers);
                o.Queues = JobQueues.Served(queues);
                o.ServerName = JobServerName.ForThisProcess;
                o.WorkerCount = workerCount;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
        return services;
    }
}
