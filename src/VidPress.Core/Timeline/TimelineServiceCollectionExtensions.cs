using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Timeline;

public static class TimelineServiceCollectionExtensions
{
    /// <summary>The timeline builder and its options.</summary>
    public static IServiceCollection AddTimeline(this IServiceCollection services)
    {
        services.AddValidatedOptions<TimelineOptions>(TimelineOptions.SectionName);
        return services.AddSingleton<TimelineBuilder>();
    }
}
