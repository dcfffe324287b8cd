using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Script;

public static class ScriptServiceCollectionExtensions
{
    /// <summary>The script writer, its options and the narration's pace it fits scripts to (read by the narrator too).</summary>
    public static IServiceCollection AddScript(this IServiceCollection services)
    {
        services.AddValidatedOptions<ScriptOptions>(ScriptOptions.SectionName);
        services.AddValidatedOptions<NarrationPaceOptions>(NarrationPaceOptions.SectionName);
        return services.AddSingleton<ScriptWriter>();
    }
}
