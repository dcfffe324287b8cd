using VidPress.Core.Script;

namespace VidPress.Core.Narration;

/// <summary>
/// The narrator's engines (espeak-ng; Festival where installed), the deployment's voice per language and the limits; bound
/// from the "Narration" section. The pace
/// (rate, pauses) is the script's <see cref="NarrationPaceOptions"/>, read by both stages.
/// </summary>
public sealed class NarrationOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Narration";

    [Set]
    public string EspeakPath { get; set; } = "espeak-ng";
    /// <summary>Festival, asked for its voices; a deployment without it lists none of them.</summary>
    [Set]
    public string FestivalPath { get; set; } = "festival";
    /// <summary>Festival's text2wave, which speaks a sentence from a file.</summary>
    [Set]
    public string Text2WavePath { get; set; } = "text2wave";
    /// <summary>
    /// The words a minute Festival's voices speak at their own speed: <c>Narration:Rate</c> over this is the speed they are
    /// asked for, so one rate setting paces both engines.
    /// </summary>
    [Between(80, 450)]
    public int FestivalRate { get; set; } = 165;
    /// <summary>
    /// The deployment's voice per script language, when neither the request nor the tenant names one: a voice id of
    /// <c>GET /voices</c> (<c>festival:cmu_us_slt_arctic_hts</c>), or a bare espeak-ng voice (<c>en-us</c>).
    /// </summary>
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
            if (string.IsNullOrWhiteSpace(voice)) yield return new("must name a voice (engine:name, or an espeak-ng voice).", [$"{nameof(Voices)}:{language}"]);
    }
}
