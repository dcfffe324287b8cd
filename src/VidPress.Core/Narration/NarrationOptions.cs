using VidPress.Core.Script;

namespace VidPress.Core.Narration;

/// <summary>
/// The narrator's voice: espeak-ng, its voice per language and its limits; bound from the "Narration" section. The pace
/// (rate, pauses) is the script's <see cref="NarrationPaceOptions"/>, read by both stages.
/// </summary>
public sealed class NarrationOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Narration";

    [Set]
    public string EspeakPath { get; set; } = "espeak-ng";
    /// <summary>espeak-ng voice per script language.</summary>
    public Dictionary<string, string> Voices { get; set; } = new() { ["en"] = "en-us", ["zh"] = "cmn" };
    [Duration("00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// The longest speech one sentence may produce. espeak-ng's file is measured before it is read: more than this
    /// much audio in its format (22,050 Hz, mono, 16-bit: ~44 KB a second) fails the video as bad input.
    /// </summary>
    [Between(1, 3600)]
    public double MaxSentenceSeconds { get; set; } = 300;
    /// <summary>Sentences spoken at once; 0 means one per processor core.</summary>
    [Between(0, 256)]
    public int Parallelism { get; set; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        foreach (var (language, voice) in Voices)
            if (string.IsNullOrWhiteSpace(voice)) yield return new("must name an espeak-ng voice.", [$"{nameof(Voices)}:{language}"]);
    }
}
