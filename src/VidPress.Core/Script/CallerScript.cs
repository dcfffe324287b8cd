using VidPress.Core.Articles;

namespace VidPress.Core.Script;

/// <summary>A script the caller wrote instead of an article (<see cref="CallerSentence"/>).</summary>
public static class CallerScript
{
    /// <summary>
    /// The caller's script as the article, as far as language detection and the stored text go: its sentences, one
    /// paragraph each, under the caller's title.
    /// </summary>
    public static Article AsArticle(string? title, IReadOnlyList<CallerSentence> sentences) =>
        new(title, string.Join("\n\n", sentences.Select(s => s.Text)));
}
