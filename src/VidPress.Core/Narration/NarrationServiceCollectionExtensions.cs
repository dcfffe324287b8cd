using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Narration;

public static class NarrationServiceCollectionExtensions
{
    /// <summary>The narrator and its voice (espeak-ng). Needs <c>AddScript</c> for the pace it speaks at.</summary>
    public static IServiceCollection AddNarration(this IServiceCollection services)
    {
        services.AddValidatedOptions<NarrationOptions>(NarrationOptions.SectionName);
        services.AddSingleton<ISpeechSynthesizer, EspeakSynthesizer>();
        return services.AddSingleton<Narrator>();
    }
}
