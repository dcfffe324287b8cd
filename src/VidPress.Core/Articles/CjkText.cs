namespace VidPress.Core.Articles;

/// <summary>
/// Chinese characters as the text of an article has them; the article comes first in a video's life, so the later
/// stages (the script's language, sentence splitting, subtitle lines) read the character classes from here.
/// </summary>
public static class CjkText
{
    /// <summary>A CJK unified ideograph (the basic block, extension A, or a compatibility ideograph).</summary>
    public static bool IsIdeograph(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>
    /// A character set full width (two columns of a subtitle line): ideographs, CJK punctuation, kana, hangul and the
    /// full-width forms. Next to one a line may break. Curly quotes and the ellipsis are not counted: English uses them
    /// too ("don’t"), and a break inside a word must not open.
    /// </summary>
    public static bool IsFullWidth(char c) => IsIdeograph(c)
        || c is >= '\u3000' and <= '\u30FF' or >= '\uAC00' and <= '\uD7AF' or >= '\uFF01' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6';

    /// <summary>
    /// Punctuation that ends what it follows and so never starts a line (kinsoku): the Chinese comma, stops and marks
    /// (，。！？、；：), closing brackets and quotes (」』）》〉】〕”’), the ellipsis and the ASCII closers.
    /// </summary>
    public static bool IsClosingPunctuation(char c) => ClosingPunctuation.Contains(c);

    /// <summary>Punctuation that opens what follows and so never ends a line: 「『（《〈【〔“‘ and the ASCII openers.</summary>
    public static bool IsOpeningPunctuation(char c) => OpeningPunctuation.Contains(c);

    private const string ClosingPunctuation = "，。！？、；：」』）》〉】〕〗〙〛”’…‥・ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ．，！？；：）］｝｠,.!?;:)]}%";
    private const string OpeningPunctuation = "「『（《〈【〔〖〘〚“‘（［｛｟([{";
}
