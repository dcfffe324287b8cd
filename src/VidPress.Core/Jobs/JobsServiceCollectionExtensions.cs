using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>The jobs that conduct the stages (Hangfire itself is <see cref="VidPressServices.AddVidPressJobs"/>, per host).</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddValidatedOptions<JobOptions>(JobOptions.SectionName);
        services.AddScoped<IVideoStage, ArticleStage>();
        services.AddScoped<IVideoStage, ScriptStage>();
        services.AddScoped<IVideoStage, NarrationStage>();
        services.AddScoped<IVideoStage, RetrievalStage>();
        services.AddScoped<IVideoStage, TimelineStage>();
        services.AddScoped<IVideoStage, GenerationStage>();
        services.AddScoped<IVideoStage, RenderStage>();
        services.AddScoped<IRunRecorder, LifecycleRunRecorder>();
        services.AddScoped<VideoPipeline>();
        services.AddScoped<RenderInputs>();
        services.AddSingleton<RunScratch>();
        services.AddScoped<VideoPublisher>();
        services.AddScoped<VideoQueue>();
        services.AddScoped<IngestQueue>();
        services.AddScoped<VideoJob>();
        services.AddScoped<WebhookJob>();
        services.AddScoped<AssetIngestJob>();
        return services.AddScoped<StillGenerationJob>();
    }
}
