using System.Net.Http.Headers;
using System.Text;
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
public sealed class ArticleReader(IHttpClientFactory httpClientFactory, IOptions<NetworkOptions> networkOptions)
{
    private readonly NetworkOptions _network = networkOptions.Value;

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

    /// <summary>The page's text, decoded as a browser would: byte order mark, the header's charset, the page's own meta charset in its first 1024 bytes, else UTF-8.</summary>
    internal static string Decode(byte[] bytes, string? headerCharset) => PageEncoding.Decode(bytes, headerCharset);

    internal static Article Extract(string html, string url)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);
        var pageTitle = PageTitle(document);
        PageFurniture.Remove(document);

        var reader = new SmartReader.Reader(url, document.DocumentElement.OuterHtml);
        var article = reader.GetArticle();
        var title = string.IsNullOrWhiteSpace(pageTitle) ? article.Title?.Trim() : pageTitle;
        List<string> paragraphs = article.IsReadable && !string.IsNullOrWhiteSpace(article.Content)
            ? Paragraphs(parser.ParseDocument(article.Content).Body)
            : [];
        // When the readability pass finds nothing, or settles on a small box beside the story, the page is read
        // block by block instead, keeping only what reads as prose (not every paragraph, list and heading).
        if (document.Body is { } body)
        {
            var prose = ArticleBlocks.ProseBlocks(body);
            if (Weight(paragraphs) * 4 < Weight(prose)) paragraphs = prose;
        }
        // The headline often comes back as the first block of the content too; it is the title, not body text.
        if (title is not null && paragraphs.Count > 0 && Normalise(paragraphs[0]) == Normalise(title)) paragraphs.RemoveAt(0);
        return new Article(string.IsNullOrWhiteSpace(title) ? null : title, string.Join("\n\n", paragraphs));
    }

    private static int Weight(List<string> paragraphs) => paragraphs.Sum(p => p.Sum(c => IsWide(c) ? 3 : 1));

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

    private static List<string> Paragraphs(IElement? root)
    {
        if (root is null) return [];
        var blocks = ArticleBlocks.Render(root);
        // A block that is mostly links inside the story is a "related" list or a tag cloud, not a paragraph.
        blocks.RemoveAll(b => b.LinkDensity > 0.5 && !b.IsHeading);
        // A heading with nothing after it heads a list of links ("More news", "相关阅读"), not a part of the story.
        while (blocks.Count > 0 && blocks[^1].IsHeading) blocks.RemoveAt(blocks.Count - 1);
        return blocks.Select(b => b.Text).ToList();
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
    }

    /// <summary>Characters of scripts written without spaces (Han, kana, their punctuation and full-width forms); a surrogate is one half of a rare Han ideograph.</summary>
    internal static bool IsWide(char c) => CjkText.IsIdeograph(c) || char.IsSurrogate(c)
        || c is >= '\u3000' and <= '\u30FF' or >= '\uFF00' and <= '\uFFEF' or '“' or '”' or '—' or '…';
}
