using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
using VidPress.Core.Timeline;

namespace VidPress.Core;

public static class VidPressServices
{
    public const string ConnectionStringName = "VidPress";
    public const string MigrationsAssembly = "VidPress.Migrations";

    /// <summary>Everything the pipeline needs, for the API host and the worker host alike.</summary>
    public static IServiceCollection AddVidPressPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        // Settings are read when the container builds, not now, so hosts and tests can still change them.
        services.AddDbContextFactory<VidPressDbContext>((sp, o) => o.UseNpgsql(ConnectionString(sp.GetRequiredService<IConfiguration>()), npgsql =>
        {
            npgsql.UseVector();
            npgsql.MigrationsAssembly(MigrationsAssembly);
            npgsql.EnableRetryOnFailure(3);
        }), ServiceLifetime.Scoped);
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<NetworkOptions>().BindConfiguration("Network");
        services.AddOptions<StorageOptions>().BindConfiguration("Storage");
        services.AddOptions<MediaOptions>().BindConfiguration("Media");
        services.AddOptions<ScriptOptions>().BindConfiguration("Script");
        services.AddOptions<NarrationOptions>().BindConfiguration("Narration");
        services.AddOptions<LibraryOptions>().BindConfiguration("Library")
            .Validate(o => o.MaxMusicSeconds is > 1 and <= LibraryOptions.MaxMusicSecondsCeiling,
                $"Library:MaxMusicSeconds must be more than 1 and at most {LibraryOptions.MaxMusicSecondsCeiling} seconds.")
            .ValidateOnStart();
        services.AddOptions<TimelineOptions>().BindConfiguration("Timeline");
        services.AddOptions<RenderingOptions>().BindConfiguration("Rendering")
            .Validate(o => RenderingOptions.AacCoders.Contains(o.AacCoder), $"Rendering:AacCoder must be one of ffmpeg's AAC coders: {string.Join(", ", RenderingOptions.AacCoders)}.")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks")
            .Validate(o => WebhookOptions.IsValidSecret(o.Secret),
                "Webhooks:Secret must be set to \"whsec_\" + base64 of 24 to 64 random bytes, the same on the API and every worker " +
                "(for example: echo whsec_$(head -c 32 /dev/urandom | base64)).")
            .ValidateOnStart();
        // Webhook bodies carry signed download links and the API checks them: without the key neither works.
        services.AddOptions<DownloadOptions>().BindConfiguration("Downloads")
            .Validate(o => o.SigningKey is { Length: >= DownloadOptions.MinimumKeyLength },
                $"Downloads:SigningKey must be set to a secret of at least {DownloadOptions.MinimumKeyLength} characters.")
            .ValidateOnStart();
        services.AddOptions<JobOptions>().BindConfiguration("Jobs");

        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        // Both through the same guard; webhooks do not follow redirects (see OutboundHttp.WebhookClientName).
        foreach (var (name, followRedirects) in new[] { (OutboundHttp.ClientName, true), (OutboundHttp.WebhookClientName, false) })
            services.AddHttpClient(name)
                .ConfigurePrimaryHttpMessageHandler(sp => OutboundHttp.CreateHandler(
                    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NetworkOptions>>().Value, sp.GetRequiredService<IHostResolver>(), followRedirects))
                .ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.ParseAdd("VidPress/1.0"));

        // Bounded local disk on every host that runs: dead runs' scratch folders, unused S3 copies.
        services.AddHostedService<LocalFilesSweeper>();
        services.AddSingleton<IMediaStorage>(sp =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.Kind == StorageKind.S3
                ? ActivatorUtilities.CreateInstance<S3MediaStorage>(sp)
                : ActivatorUtilities.CreateInstance<LocalDiskStorage>(sp));
        services.AddSingleton<MediaProbe>();
        services.AddSingleton(sp =>
        {
            var media = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MediaOptions>>().Value;
            return new FrameDecoder(media.FfmpegPath, allowedFormats: media.AllowedFormats, maxPixels: media.MaxPixels);
        });
        services.AddClip(configuration);

        services.AddScoped<ArticleReader>();
        services.AddSingleton<ScriptWriter>();
        services.AddSingleton<ISpeechSynthesizer, EspeakSynthesizer>();
        services.AddSingleton<Narrator>();
        services.AddSingleton<TenantLibrarySizes>();
        services.AddScoped<ShotSearch>();
        services.AddScoped<LibraryIngest>();
        services.AddScoped<MusicLibrary>();
        services.AddSingleton<SceneDetector>();
        services.AddSingleton<ShotThumbnails>();
        services.AddSingleton<TimelineBuilder>();
        services.AddSingleton<Soundtrack>();
        services.AddSingleton<VideoRenderer>();
        services.AddSingleton<DownloadLinks>();
        services.AddScoped<WebhookSender>();
        services.AddScoped<Tenants.TenantAdmin>();
        services.AddScoped<Videos.VideoLifecycle>();
        services.AddScoped<VideoJob>();
        services.AddScoped<WebhookJob>();
        services.AddScoped<AssetIngestJob>();
        services.AddStillGeneration(configuration);
        services.AddScoped<StillGenerationJob>();
        return services;
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

    private static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.");

    /// <summary>Hangfire on PostgreSQL. <paramref name="queues"/> null means this process only enqueues.</summary>
    public static IServiceCollection AddVidPressJobs(this IServiceCollection services, IConfiguration configuration, string[]? queues, int workerCount)
    {
        // This host's own storage object: Hangfire's default hands every host JobStorage.Current, one per
        // process, so two hosts in a process (the tests' fixtures) could enqueue into each other's database.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = HangfireStorageOptions(sp.GetRequiredService<IConfiguration>());
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(ConnectionString(sp.GetRequiredService<IConfiguration>()), options), options);
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
        if (queues is { Length: > 0 })
            services.AddHangfireServer((sp, o) =>
            {
                // Per server, not Hangfire's process-wide filter list: the filter reads this host's database.
                o.FilterProvider = new PipelineTelemetryFilter.Provider(sp, Hangfire.Common.JobFilterProviders.Providers);
                o.Queues = queues;
                o.ServerName = JobServerName.ForThisProcess;
                o.WorkerCount = workerCount;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
        return services;
    }
}
