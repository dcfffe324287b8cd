namespace VidPress.Core.Narration;

/// <summary>The spoken narration: one audio file, and where each sentence sits in it.</summary>
public sealed record NarrationDocument(
    string AudioKey,
    string Voice,
    double DurationSeconds,
    IReadOnlyList<NarratedSentence> Sentences);

/// <summary>A sentence's span in the narration, measured from the synthesised audio.</summary>
public sealed record NarratedSentence(int Index, double StartSeconds, double EndSeconds);
