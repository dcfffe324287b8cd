using System.Text;
using AngleSharp.Dom;

namespace VidPress.Core.Articles;

/// <summary>A run of text the page shows as one block (a paragraph, a list item, a heading, text between two &lt;br&gt;&lt;br&gt;), with the share of it that is link text.</summary>
internal sealed record TextBlock(string Text, string Tag, double LinkDensity)
{
    public bool IsHeading => Tag is ['h', >= '1' and <= '6'];

    /// <summary>Length in Latin-letter terms: a Chinese character carries about as much as a short English word.</summary>
    public int Weight => Text.Sum(c => ArticleReader.IsWide(c) ? 3 : 1);
}

internal static class ArticleBlocks
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.Ordinal)
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "header",
        "footer", "aside", "nav", "form", "center", "address", "hr", "body", "fieldset", "details", "summary",
    };

    /// <summary>The blocks of the element in document order: block elements and double line breaks separate them, a single &lt;br&gt; is a line break inside one.</summary>
    public static List<TextBlock> Render(IElement root)
    {
        var blocks = new List<TextBlock>();
        var text = new StringBuilder();
        var links = 0;
        var breaks = 0;
        Walk(root, root.LocalName, false);
        Flush(root.LocalName);
        return JoinWrappedLines(blocks);

        void Walk(IElement element, string tag, bool inLink)
        {
            foreach (var child in element.ChildNodes)
            {
                if (child is IElement e)
                {
                    if (e.LocalName == "br")
                    {
                        // Two line breaks in a row end a paragraph, as Readability reads them; one is a wrapped line.
                        if (++breaks >= 2) Flush(tag);
                        else text.Append('\n');
                        continue;
                    }
                    if (BlockTags.Contains(e.LocalName))
                    {
                        Flush(tag);
                        Walk(e, e.LocalName, inLink);
                        Flush(e.LocalName);
                    }
                    else Walk(e, tag, inLink || e.LocalName == "a");
                }
                else if (child.NodeType == NodeType.Text)
                {
                    var value = child.TextContent;
                    if (value.Any(c => !char.IsWhiteSpace(c))) breaks = 0;
                    text.Append(value);
                    if (inLink) links += value.Count(c => !char.IsWhiteSpace(c));
                }
            }
        }

        void Flush(string tag)
        {
            breaks = 0;
            var value = ArticleReader.Normalise(text.ToString());
            var length = value.Count(c => !char.IsWhiteSpace(c));
            if (length > 0) blocks.Add(new TextBlock(value, tag, Math.Min(1, (double)links / length)));
            text.Clear();
            links = 0;
        }
    }

    /// <summary>
    /// Chinese pages hard-wrapped at a fixed width, one &lt;p&gt; or &lt;br&gt;&lt;br&gt; per line, break sentences (and words:
    /// Chinese has no spaces to break at) across blocks. A long line that stops mid-sentence on a Chinese character,
    /// followed by one that goes on in Chinese, is one paragraph: the two are joined without a space.
    /// </summary>
    private static List<TextBlock> JoinWrappedLines(List<TextBlock> blocks)
    {
        var joined = new List<TextBlock>(blocks.Count);
        foreach (var block in blocks)
        {
            if (joined.Count > 0 && IsWrappedLine(joined[^1]) && !block.IsHeading && CjkText.IsIdeograph(block.Text[0]))
            {
                var previous = joined[^1];
                var length = previous.Text.Length + block.Text.Length;
                var links = previous.LinkDensity * previous.Text.Length + block.LinkDensity * block.Text.Length;
                joined[^1] = previous with { Text = previous.Text + block.Text, LinkDensity = links / length };
            }
            else joined.Add(block);
        }
        return joined;
    }

    /// <summary>Where a Chinese sentence (or a quotation closing it) ends: a block ending here is a whole paragraph, not a wrapped line.</summary>
    private const string ChineseParagraphEnds = "。！？；…」』”’）》!?;)";

    private static bool IsWrappedLine(TextBlock block) =>
        !block.IsHeading && block.Text.Length >= 20 && block.LinkDensity < 0.5
        && CjkText.IsIdeograph(block.Text[^1]) && !ChineseParagraphEnds.Contains(block.Text[^1])
        && block.Text.Count(CjkText.IsIdeograph) * 2 >= block.Text.Length;

    /// <summary>
    /// The story's paragraphs when no container stands out: the page read block by block, keeping what reads like
    /// prose and dropping what reads like furniture, in the manner of jusText and trafilatura's fallback. A block that
    /// is mostly links (menus, "related" lists) or short is boilerplate; a long one with few links is prose; a middling
    /// one, or a heading, is kept only when it stands next to prose.
    /// </summary>
    public static List<string> ProseBlocks(IElement root)
    {
        var blocks = Render(root);
        var kinds = blocks.Select(Classify).ToArray();
        // Middling blocks take the kind of their nearest decided neighbours, as jusText's near-good blocks do: prose when
        // prose stands on both sides, or on one side when the block is itself a sentence with few links (a story's short
        // last paragraph, followed by the share bar); furniture otherwise.
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != Kind.Near) continue;
            var before = Nearest(kinds, i, -1);
            var after = Nearest(kinds, i, +1);
            var sentence = blocks[i].LinkDensity < 0.2 && blocks[i].Text.IndexOfAny(SentenceEnds) >= 0;
            kinds[i] = (before, after) is (Kind.Prose, Kind.Prose) || (sentence && (before == Kind.Prose || after == Kind.Prose))
                ? Kind.Prose : Kind.Boilerplate;
        }
        // A heading is kept when the next kept-or-dropped block after it is prose.
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != Kind.Heading) continue;
            var after = Nearest(kinds, i, +1);
            kinds[i] = after == Kind.Prose ? Kind.Prose : Kind.Boilerplate;
        }
        return blocks.Where((_, i) => kinds[i] == Kind.Prose).Select(b => b.Text).ToList();
    }

    private enum Kind { Prose, Near, Boilerplate, Heading }

    private static readonly char[] SentenceEnds = ['.', '!', '?', '。', '！', '？', '；'];

    private static Kind Classify(TextBlock block)
    {
        var weight = block.Weight;
        if (block.LinkDensity > 0.33) return Kind.Boilerplate;
        if (block.IsHeading && weight < 200) return Kind.Heading;
        // Prose is a sentence or more: some length, few links, and a full stop somewhere in it.
        if (weight >= 80 && block.LinkDensity < 0.2 && block.Text.IndexOfAny(SentenceEnds) >= 0) return Kind.Prose;
        return weight >= 30 ? Kind.Near : Kind.Boilerplate;
    }

    private static Kind? Nearest(Kind[] kinds, int i, int step)
    {
        for (var j = i + step; j >= 0 && j < kinds.Length; j += step)
            if (kinds[j] is Kind.Prose or Kind.Boilerplate) return kinds[j];
        return null;
    }
}
