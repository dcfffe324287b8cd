namespace VidPress.Api.Infrastructure;

/// <summary>
/// Endpoints that serve a file answer HEAD as well as GET: the same handler, so the same status and headers
/// (Content-Type, Content-Length, Accept-Ranges, ETag where there is one) with no body, as players and CDNs ask before
/// a download. The HEAD twin is left out of the API description: it is the GET operation's, without the body.
/// </summary>
public static class FileEndpoints
{
    /// <summary>Maps GET and HEAD of <paramref name="pattern"/> to <paramref name="handler"/>; returns the GET endpoint for its name and description.</summary>
    /// <param name="anonymous">Whether the file is served without an API key (signed links): applied to both.</param>
    public static RouteHandlerBuilder MapFileGet(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler, bool anonymous = false)
    {
        var head = endpoints.MapMethods(pattern, [HttpMethods.Head], handler).ExcludeFromDescription();
        var get = endpoints.MapGet(pattern, handler);
        if (anonymous)
        {
            head.AllowAnonymous();
            get.AllowAnonymous();
        }
        return get;
    }
}
