namespace VidPress.Core.Articles;

/// <summary>
/// Chinese characters as the text of an article has them; the article comes first in a video's life, so the later
/// stages (the script's language, sentence splitting) read the character classes from here.
/// </summary>
public static class CjkText
{
    /// <summary>A CJK unified ideograph (the basic block, extension A, or a compatibility ideograph).</summary>
    public static bool IsIdeograph(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
