namespace VidPress.Core;

/// <summary>
/// The request or its content cannot be made into a video (no sentences, an unreadable URL, an
/// unsupported file). Retrying will not help: the job fails at once and tells the caller why.
/// </summary>
public sealed class VideoInputException(string message, Exception? inner = null) : Exception(message, inner);
