namespace VidPress.Core.Script;

/// <summary>
/// How the narration is paced: the voice's rate and the silences around and between sentences. The script is fitted
/// to its target with it (<see cref="ScriptWriter.EstimateSeconds"/>) and the narrator speaks and joins sentences with
/// it, so both read this one owner: the script stage, which comes first. Bound from the "Narration" section, where
/// these keys have always been (<c>Narration:Rate</c>, <c>Narration:PauseSeconds</c> …), beside the narrator's own
/// <c>NarrationOptions</c>.
/// </summary>
public sealed class NarrationPaceOptions
{
    public const string SectionName = "Narration";

    /// <summary>Words per minute: espeak-ng's "-s".</summary>
    [Between(80, 450)]
    public int Rate { get; set; } = 165;
    [Between(0, 10)]
    public double LeadInSeconds { get; set; } = 0.3;
    [Between(0, 10)]
    public double PauseSeconds { get; set; } = 0.35;
    [Between(0, 10)]
    public double TailSeconds { get; set; } = 0.5;
}
