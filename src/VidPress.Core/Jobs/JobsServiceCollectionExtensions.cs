using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>The jobs that conduct the stages (Hangfire itself is <see cref="VidPressServices.AddVidPressJobs"/>, per host).</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddValidatedOptions<JobOptions>(JobOptions.SectionName);
        services.AddScoped<VideoJob>();
        services.AddScoped<WebhookJob>();
        services.AddScoped<AssetIngestJob>();
        return services.AddScoped<StillGenerationJob>();
    }
}
