using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Narration;

public static class NarrationServiceCollectionExtensions
{
    /// <summary>The narrator, its engines (espeak-ng, Festival) and their voice catalogue. Needs <c>AddScript</c> for the pace it speaks at.</summary>
    public static IServiceCollection AddNarration(this IServiceCollection services)
    {
        services.AddValidatedOptions<NarrationOptions>(NarrationOptions.SectionName);
        services.AddSingleton<ISpeechEngine, EspeakEngine>();
        services.AddSingleton<ISpeechEngine, FestivalEngine>();
        services.AddSingleton<VoiceCatalogue>();
        return services.AddSingleton<Narrator>();
    }
}
