namespace VidPress.Core.Narration;

/// <summary>
/// The spoken narration: one audio file, where each sentence sits in it, and the voice (a <see cref="VoiceCatalogue"/> id;
/// a bare espeak-ng name on videos narrated before the catalogue) and speaking rate it was spoken with.
/// </summary>
public sealed record NarrationDocument(
    string AudioKey,
    string Voice,
    double DurationSeconds,
    IReadOnlyList<NarratedSentence> Sentences,
    double SpeakingRate = 1);

/// <summary>
/// How a video asks to be narrated: the request's voice and speaking rate (a factor on <c>Narration:Rate</c>), the tenant's
/// default voice and its pronunciation lexicon. <see cref="Default"/> is the deployment's voice at its own pace.
/// </summary>
public sealed record NarrationChoice(string? Voice, string? TenantVoice, double SpeakingRate, IReadOnlyList<LexiconEntry> Lexicon)
{
    public static readonly NarrationChoice Default = new(null, null, 1, []);
}

/// <summary>A sentence's span in the narration, measured from the synthesised audio.</summary>
public sealed record NarratedSentence(int Index, double StartSeconds, double EndSeconds);
