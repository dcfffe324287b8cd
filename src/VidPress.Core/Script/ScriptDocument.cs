namespace VidPress.Core.Script;

/// <summary>The narration script: the sentences that will be spoken, in order.</summary>
public sealed record ScriptDocument(string Language, IReadOnlyList<ScriptSentence> Sentences);

public sealed record ScriptSentence(int Index, string Text);
