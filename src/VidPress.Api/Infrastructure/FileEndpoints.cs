namespace VidPress.Api.Infrastructure;

/// <summary>
/// Endpoints that serve a file answer HEAD as well as GET: the same handler, so the same status and headers
/// (Content-Type, Content-Length, Accept-Ranges, ETag where there is one) with no body, as players and CDNs ask before
/// a download. The HEAD twin is left out of the API description: it is the GET operation's, without the body.
/// </summary>
public static class FileEndpoints
{
    public const string Mp4 = "video/mp4";
    public const string Jpeg = "image/jpeg";

    /// <summary>Maps GET and HEAD of <paramref name="pattern"/> to <paramref name="handler"/>; returns the GET endpoint for its name and description.</summary>
    /// <param name="mediaTypes">What the file may be (the description's 200 and 206); every file endpoint answers byte ranges.</param>
    /// <param name="anonymous">Whether the file is served without an API key (signed links): applied to both.</param>
    /// <param name="entityTag">Whether the answer carries an ETag (and so a 304 for If-None-Match).</param>
    public static RouteHandlerBuilder MapFileGet(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler, string[] mediaTypes,
        bool anonymous = false, bool entityTag = false)
    {
        var head = endpoints.MapMethods(pattern, [HttpMethods.Head], handler).ExcludeFromDescription();
        var get = endpoints.MapGet(pattern, handler).WithMetadata(new FileResponseMetadata(mediaTypes, entityTag));
        if (anonymous)
        {
            head.AllowAnonymous();
            get.AllowAnonymous();
        }
        return get;
    }
}
