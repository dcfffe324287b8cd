using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using VidPress.Core.Network;

namespace VidPress.Core.Articles;

/// <summary>An article as the newsroom wrote it: a title and the body text.</summary>
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
            var bytes = await OutboundHttp.ReadCappedAsync(response, _network.MaxResponseBytes, timeout.Token);
            var charset = response.Content.Headers.ContentType?.CharSet;
            var encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
            return encoding.GetString(bytes);
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

    internal static Article Extract(string html, string url)
    {
        var reader = new SmartReader.Reader(url, html);
        var article = reader.GetArticle();
        return new Article(string.IsNullOrWhiteSpace(article.Title) ? null : article.Title.Trim(), article.TextContent?.Trim() ?? "");
    }
}
