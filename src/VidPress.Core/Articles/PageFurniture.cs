using AngleSharp.Dom;

namespace VidPress.Core.Articles;

/// <summary>
/// Takes the page furniture out before the story is looked for: scripts and styles always; navigation, asides, forms,
/// hidden elements and elements whose class or id names them as ads, menus, bylines and the like — unless the element
/// is a wrapper of the story. Words are matched as whole tokens of the names (split on '-', '_' and camelCase), so
/// "header" is not "ad"; and because real sites also name whole-page wrappers this way ("l-sidebar-fixed",
/// "Page-ad-margins", "TRS_Editor", an ASP.NET page's one &lt;form&gt;), an element that holds half the page's text,
/// or holds the block of paragraphs that scores best as the story, is never removed.
/// </summary>
internal static class PageFurniture
{
    private const string AlwaysRemoved = "script, style, noscript, template, link, object, embed";

    private const string StructuralSelector = "iframe, form, nav, aside, figure, figcaption, header, footer, button, select, dialog, "
        + "[role=navigation], [role=banner], [role=complementary], [role=contentinfo], [role=dialog], [aria-hidden=true], [hidden], "
        + ".caption, .wp-caption-text";

    private static readonly HashSet<string> FurnitureWords = new(StringComparer.Ordinal)
    {
        "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "sponsor", "sponsored", "promo", "banner",
        "related", "recommend", "recommended", "share", "sharing", "social", "newsletter", "subscribe", "subscription", "comment",
        "comments", "breadcrumb", "breadcrumbs", "sidebar", "menu", "popular", "trending", "outbrain", "taboola", "caption", "credit",
        "footer", "copyright", "masthead", "cookie", "consent", "popup", "modal", "toolbar", "pagination", "pager", "tags",
        // Datelines, sources and bylines are read out as sentences otherwise ("2024年06月03日 来源：科技日报").
        "byline", "dateline", "source", "meta", "info", "author", "editor", "timestamp",
    };

    public static void Remove(IDocument document)
    {
        foreach (var element in document.QuerySelectorAll(AlwaysRemoved).ToList()) element.Remove();
        var body = document.Body;
        if (body is null) return;
        var lengths = TextLengths.Of(body);
        var total = lengths.Get(body);
        var story = new HashSet<IElement>();
        for (var e = StoryCandidate.Best(body, lengths); e is not null; e = e.ParentElement) story.Add(e);

        bool IsWrapper(IElement e) => story.Contains(e) || lengths.Get(e) * 2 >= total;

        var structural = document.QuerySelectorAll(StructuralSelector).ToHashSet();
        var doomed = body.Descendants<IElement>()
            .Where(e => (structural.Contains(e) || IsHidden(e) || NamedAsFurniture(e)) && !IsWrapper(e))
            .ToList();
        foreach (var element in doomed) element.Remove();
    }

    private static bool IsHidden(IElement e)
    {
        var style = e.GetAttribute("style");
        if (string.IsNullOrEmpty(style)) return false;
        var compact = style.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return compact.Contains("display:none", StringComparison.Ordinal) || compact.Contains("visibility:hidden", StringComparison.Ordinal);
    }

    internal static bool NamedAsFurniture(IElement element)
    {
        if (element.LocalName is "html" or "body" or "main" or "article") return false;
        var names = (element.GetAttribute("class") ?? "") + " " + (element.Id ?? "");
        return !string.IsNullOrWhiteSpace(names) && NameTokens(names).Any(IsFurnitureWord);
    }

    /// <summary>Container words sites glue to a furniture word without a separator: "adsbox", "sharebar", "relatedlist".</summary>
    private static readonly string[] ContainerSuffixes = ["box", "bar", "wrap", "wrapper", "container", "block", "area", "list", "slot", "unit", "zone", "panel"];

    /// <summary>A furniture word, alone or with a container word glued to it ("adsbox" is ads + box).</summary>
    internal static bool IsFurnitureWord(string token) =>
        FurnitureWords.Contains(token)
        || ContainerSuffixes.Any(s => token.Length > s.Length && token.EndsWith(s, StringComparison.Ordinal) && FurnitureWords.Contains(token[..^s.Length]));

    /// <summary>"Page-ad-margins TRS_Editor sharebarTop" to page, ad, margins, trs, editor, sharebar, top.</summary>
    internal static IEnumerable<string> NameTokens(string names)
    {
        var start = -1;
        for (var i = 0; i <= names.Length; i++)
        {
            var c = i < names.Length ? names[i] : ' ';
            var boundary = !char.IsLetterOrDigit(c) || (start >= 0 && char.IsUpper(c) && char.IsLower(names[i - 1]));
            if (boundary && start >= 0)
            {
                yield return names[start..i].ToLowerInvariant();
                start = -1;
            }
            if (char.IsLetterOrDigit(c) && start < 0) start = i;
        }
    }
}

/// <summary>Each element's count of non-space characters, and of those inside links, computed once per page.</summary>
internal sealed class TextLengths
{
    private readonly Dictionary<IElement, (int Text, int Links)> _lengths = new();

    public static TextLengths Of(IElement root)
    {
        var lengths = new TextLengths();
        lengths.Count(root, false);
        return lengths;
    }

    public int Get(IElement e) => _lengths.TryGetValue(e, out var l) ? l.Text : 0;

    public double LinkDensity(IElement e) => _lengths.TryGetValue(e, out var l) && l.Text > 0 ? (double)l.Links / l.Text : 0;

    private (int Text, int Links) Count(IElement element, bool inLink)
    {
        int text = 0, links = 0;
        inLink |= element.LocalName == "a";
        foreach (var child in element.ChildNodes)
        {
            if (child is IElement e)
            {
                var (t, l) = Count(e, inLink);
                text += t;
                links += l;
            }
            else if (child.NodeType == NodeType.Text)
            {
                var n = 0;
                foreach (var c in child.TextContent) if (!char.IsWhiteSpace(c)) n++;
                text += n;
                if (inLink) links += n;
            }
        }
        _lengths[element] = (text, links);
        return (text, links);
    }
}

/// <summary>
/// Where the story most likely is, scored as the readability family of extractors score it: every paragraph of some
/// length gives its container points for its length and its commas, and a share of them to the container's own
/// container; links count against a container (menus and link lists are mostly links).
/// </summary>
internal static class StoryCandidate
{
    public static IElement? Best(IElement root, TextLengths lengths)
    {
        var scores = new Dictionary<IElement, double>();
        foreach (var paragraph in root.QuerySelectorAll("p, pre, td, blockquote"))
        {
            var length = lengths.Get(paragraph);
            if (length < 25 || lengths.LinkDensity(paragraph) > 0.5) continue;
            var text = paragraph.TextContent;
            var score = 1 + text.Count(c => c is ',' or '，' or '、' or '。') + Math.Min(length / 100.0, 3);
            var container = paragraph.ParentElement;
            for (var level = 0; level < 3 && container is not null; level++, container = container.ParentElement)
                scores[container] = scores.GetValueOrDefault(container) + score / (level + 1);
        }
        return scores.Count == 0 ? null : scores.MaxBy(s => s.Value * (1 - lengths.LinkDensity(s.Key))).Key;
    }
}
