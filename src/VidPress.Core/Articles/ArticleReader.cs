using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Options;
using VidPress.Core.Network;

namespace VidPress.Core.Articles;

/// <summary>An article as the newsroom wrote it: a title and the body text, paragraphs separated by blank lines.</summary>
public sealed record Article(string? Title, string Text);

/// <summary>
/// Gets the article for a video: the text the caller sent, or the page at the caller's URL fetched
/// through <see cref="OutboundHttp"/> with its main text pulled out (navigation, ads and captions left out).
/// </summary>
public sealed partial class ArticleReader(IHttpClientFactory httpClientFactory, IOptions<NetworkOptions> networkOptions)
{
    private readonly NetworkOptions _network = networkOptions.Value;

    static ArticleReader()
    {
        // Chinese sites still serve GBK/GB2312 and Big5; .NET knows those only through the code-page provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public async Task<Article> ReadAsync(string? text, string? url, string? title, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(text)) return new Article(title, text);
        if (string.IsNullOrWhiteSpace(url)) throw new VideoInputException("Neither text nor url was given.");
        var html = await FetchAsync(url, cancellationToken);
        var extracted = Extract(html, url);
        if (string.IsNullOrWhiteSpace(extracted.Text)) throw new VideoInputException("No article text was found at the URL.");
        return extracted with { Title = title ?? extracted.Title };
    }

    private async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(OutboundHttp.ClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_network.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, OutboundHttp.ValidateUrl(url));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new VideoInputException($"The article URL answered {(int)response.StatusCode}.");
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && !mediaType.Contains("html", StringComparison.OrdinalIgnoreCase) && !mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
                throw new VideoInputException($"The article URL answered with '{mediaType}', not a web page.");
            var bytes = await OutboundHttp.ReadCappedAsync(response, _network.MaxResponseBytes, timeout.Token);
            return Decode(bytes, response.Content.Headers.ContentType?.CharSet);
        }
        catch (HttpRequestException e) when (e.InnerException is BlockedDestinationException blocked)
        {
            throw new VideoInputException($"The article URL is not allowed: {blocked.Message}");
        }
        catch (BlockedDestinationException blocked)
        {
            throw new VideoInputException($"The article URL is not allowed: {blocked.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new VideoInputException($"The article could not be fetched: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VideoInputException("The article URL did not answer in time.");
        }
    }

    /// <summary>The header's charset, else the page's own meta charset, else UTF-8; an unknown name falls back to UTF-8 rather than failing the video.</summary>
    internal static string Decode(byte[] bytes, string? headerCharset)
    {
        var name = headerCharset?.Trim('"', '\'', ' ');
        if (string.IsNullOrEmpty(name))
        {
            var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 2048));
            var meta = MetaCharset().Match(head);
            if (meta.Success) name = meta.Groups[1].Value;
        }
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrEmpty(name))
        {
            try { encoding = Encoding.GetEncoding(name); }
            catch (ArgumentException) { }
        }
        return encoding.GetString(bytes);
    }

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    // SmartReader scores blocks by text length and commas; on news pages a long caption, a related-links
    // list or an ad block can outscore a short story, so the page furniture goes before it scores anything.
    private const string FurnitureSelector = "script, style, noscript, iframe, form, nav, aside, figure, figcaption, header, footer, "
        + "[role=navigation], [role=banner], [role=complementary], [role=contentinfo], [aria-hidden=true], .caption, .wp-caption-text";

    private static readonly string[] FurnitureWords =
    [
        "ad", "ads", "advert", "advertisement", "adsbygoogle", "sponsor", "sponsored", "promo", "banner", "related", "recommend",
        "recommended", "share", "social", "newsletter", "subscribe", "comment", "comments", "breadcrumb", "sidebar", "menu",
        "popular", "trending", "outbrain", "taboola", "caption", "credit", "footer", "copyright", "more-news", "read-more",
        // Datelines, sources and bylines are read out as sentences otherwise ("2024年06月03日 来源：科技日报").
        "byline", "dateline", "source", "meta", "info", "author", "editor", "timestamp",
    ];

    internal static Article Extract(string html, string url)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);
        var pageTitle = PageTitle(document);
        RemoveFurniture(document);

        var reader = new SmartReader.Reader(url, document.DocumentElement.OuterHtml);
        var article = reader.GetArticle();
        var title = string.IsNullOrWhiteSpace(pageTitle) ? article.Title?.Trim() : pageTitle;
        var paragraphs = article.IsReadable && !string.IsNullOrWhiteSpace(article.Content)
            ? Paragraphs(parser.ParseDocument(article.Content).Body)
            : Paragraphs(document.Body);
        // The headline often comes back as the first block of the content too; it is the title, not body text.
        if (title is not null && paragraphs.Count > 0 && Normalise(paragraphs[0]) == Normalise(title)) paragraphs.RemoveAt(0);
        return new Article(string.IsNullOrWhiteSpace(title) ? null : title, string.Join("\n\n", paragraphs));
    }

    private static string? PageTitle(IDocument document)
    {
        // The article's own h1 beats <title>, which usually carries " - Site Name" or "_新闻_网站".
        var h1 = document.QuerySelector("article h1") ?? document.QuerySelector("main h1") ?? document.QuerySelector("h1");
        var text = h1 is null ? null : Normalise(h1.TextContent);
        if (!string.IsNullOrEmpty(text)) return text;
        var og = document.QuerySelector("meta[property='og:title']")?.GetAttribute("content");
        if (!string.IsNullOrWhiteSpace(og)) return Normalise(og);
        var title = document.Title;
        return string.IsNullOrWhiteSpace(title) ? null : Normalise(title);
    }

    private static void RemoveFurniture(IDocument document)
    {
        foreach (var element in document.QuerySelectorAll(FurnitureSelector).ToList()) element.Remove();
        foreach (var element in document.All.Where(IsFurniture).ToList()) element.Remove();
    }

    private static bool IsFurniture(IElement element)
    {
        if (element.LocalName is "html" or "body" or "main" or "article") return false;
        var names = (element.ClassName ?? "") + " " + (element.Id ?? "");
        if (string.IsNullOrWhiteSpace(names)) return false;
        foreach (var token in names.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            // Whole hyphen/underscore-separated parts only: "ad-slot" and "top_ads" are ads, "header" and "headline" are not.
            var parts = token.ToLowerInvariant().Split(['-', '_']);
            if (parts.Any(p => FurnitureWords.Contains(p)) || FurnitureWords.Contains(token.ToLowerInvariant())) return true;
        }
        return false;
    }

    private static List<string> Paragraphs(IElement? root)
    {
        var paragraphs = new List<string>();
        if (root is null) return paragraphs;
        var trailingHeadings = 0;
        foreach (var block in root.QuerySelectorAll("p, h1, h2, h3, h4, h5, h6, li, blockquote, pre"))
        {
            // A block inside another block is read with its parent.
            if (block.ParentElement?.Closest("p, li, blockquote, pre") is not null) continue;
            var text = Normalise(block.TextContent);
            if (text.Length == 0) continue;
            paragraphs.Add(text);
            trailingHeadings = block.LocalName is ['h', _] ? trailingHeadings + 1 : 0;
        }
        // A heading with nothing after it heads a list of links ("More news", "相关阅读"), not a part of the story.
        paragraphs.RemoveRange(paragraphs.Count - trailingHeadings, trailingHeadings);
        if (paragraphs.Count == 0)
        {
            var text = Normalise(root.TextContent);
            if (text.Length > 0) paragraphs.Add(text);
        }
        return paragraphs;
    }

    /// <summary>White space folded to one space, and dropped between two Chinese characters, where HTML source line breaks are no pause at all.</summary>
    internal static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = builder.Length > 0; continue; }
            if (pendingSpace && !(IsWide(builder[^1]) && IsWide(c))) builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();

        static bool IsWide(char c) => Script.Languages.IsCjk(c) || c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or '“' or '”';
    }
}
