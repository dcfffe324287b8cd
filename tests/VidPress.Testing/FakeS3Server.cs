using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VidPress.Testing;

/// <summary>
/// One bucket of an S3-compatible service on loopback: PUT, GET, HEAD and DELETE of objects and
/// ListObjectsV2, path-style, no authentication checks. Enough for the AWS SDK; S3 itself is outside the machine.
/// </summary>
public sealed class FakeS3Server : IAsyncDisposable
{
    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";
    private readonly WebApplication _app;

    private FakeS3Server(WebApplication app, string bucket) { _app = app; Bucket = bucket; }

    public string Bucket { get; }
    public string ServiceUrl => _app.Urls.First();
    public ConcurrentDictionary<string, (byte[] Data, string ETag)> Objects { get; } = new();
    /// <summary>Small pages, so that listing has to follow continuation tokens.</summary>
    public int PageSize { get; set; } = 2;

    public static async Task<FakeS3Server> StartAsync(string bucket = "vidpress-media")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeS3Server(app, bucket);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        var slash = path.IndexOf('/');
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? "" : Uri.UnescapeDataString(path[(slash + 1)..]);
        if (bucket != Bucket) { await ErrorAsync(context, 404, "NoSuchBucket"); return; }
        var method = context.Request.Method;
        if (key.Length == 0 && method == "GET") { await ListAsync(context); return; }
        switch (method)
        {
            case "PUT":
                var data = await ReadBodyAsync(context.Request);
                var etag = "\"" + Convert.ToHexStringLower(MD5.HashData(data)) + "\"";
                Objects[key] = (data, etag);
                context.Response.Headers.ETag = etag;
                return;
            case "GET" or "HEAD":
                if (!Objects.TryGetValue(key, out var item)) { await ErrorAsync(context, 404, "NoSuchKey"); return; }
                context.Response.Headers.ETag = item.ETag;
                context.Response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("R");
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = item.Data.Length;
                if (method == "GET") await context.Response.Body.WriteAsync(item.Data);
                return;
            case "DELETE":
                Objects.TryRemove(key, out _);
                context.Response.StatusCode = 204;
                return;
            default:
                await ErrorAsync(context, 405, "MethodNotAllowed");
                return;
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        var prefix = context.Request.Query["prefix"].ToString();
        var after = context.Request.Query["continuation-token"].ToString();
        var keys = Objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(k, after) > 0)
            .Order(StringComparer.Ordinal).ToList();
        var page = keys.Take(PageSize).ToList();
        var truncated = keys.Count > page.Count;
        var xml = new XElement(S3 + "ListBucketResult",
            new XElement(S3 + "Name", Bucket),
            new XElement(S3 + "Prefix", prefix),
            new XElement(S3 + "KeyCount", page.Count),
            new XElement(S3 + "MaxKeys", PageSize),
            new XElement(S3 + "IsTruncated", truncated ? "true" : "false"),
            truncated ? new XElement(S3 + "NextContinuationToken", page[^1]) : null,
            page.Select(k => new XElement(S3 + "Contents",
                new XElement(S3 + "Key", k),
                new XElement(S3 + "LastModified", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")),
                new XElement(S3 + "ETag", Objects.TryGetValue(k, out var o) ? o.ETag : ""),
                new XElement(S3 + "Size", o.Data?.Length ?? 0),
                new XElement(S3 + "StorageClass", "STANDARD"))));
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(xml.ToString());
    }

    // The SDK may stream a body in aws-chunked framing ("size;chunk-signature=…\r\ndata\r\n…0;…\r\n").
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        var sha = request.Headers["x-amz-content-sha256"].ToString();
        if (!sha.StartsWith("STREAMING-", StringComparison.Ordinal) && !request.Headers.ContentEncoding.ToString().Contains("aws-chunked")) return raw;
        using var decoded = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOfCrLf(raw, position);
            var header = Encoding.ASCII.GetString(raw, position, lineEnd - position);
            var size = Convert.ToInt32(header.Split(';')[0], 16);
            position = lineEnd + 2;
            if (size == 0) break;
            decoded.Write(raw, position, size);
            position += size + 2;
        }
        return decoded.ToArray();
    }

    private static int IndexOfCrLf(byte[] data, int from)
    {
        for (var i = from; i < data.Length - 1; i++) if (data[i] == '\r' && data[i + 1] == '\n') return i;
        throw new InvalidDataException("aws-chunked body without a line end");
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        if (context.Request.Method == "HEAD") return;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(new XElement("Error", new XElement("Code", code), new XElement("Message", code)).ToString());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
