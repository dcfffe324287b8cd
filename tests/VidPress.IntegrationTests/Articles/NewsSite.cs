using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Articles;
using VidPress.Core.Network;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Articles;

/// <summary>
/// A real news site on 127.0.0.1 (Kestrel): the fixture pages, a redirector, an oversized page and pages
/// that answer too slowly.
/// </summary>
public sealed class NewsSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private NewsSite(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public int Port => new Uri(BaseUrl).Port;

    public static string FixturePath(string name) => Repository.Path("tests", "VidPress.IntegrationTests", "Articles", "Fixtures", name);

    public static async Task<NewsSite> StartAsync()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/news/{name}", async (string name, HttpContext context) =>
        {
            var path = FixturePath(Path.GetFileName(name));
            if (!File.Exists(path)) return Results.NotFound();
            var html = await File.ReadAllTextAsync(path);
            // A page that declares gb2312 in its <meta> is sent in that encoding with no charset in the header, as old CMSes do.
            if (html.Contains("charset=gb2312", StringComparison.OrdinalIgnoreCase))
                return Results.Bytes(Encoding.GetEncoding("gb2312").GetBytes(html), "text/html");
            return Results.Text(html, "text/html; charset=utf-8");
        });
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/big", async (HttpContext context) =>
        {
            // Chunked, so no Content-Length warns the reader: the cap must hold while reading.
            context.Response.ContentType = "text/html";
            var block = Encoding.UTF8.GetBytes("<p>" + new string('x', 1020) + "</p>");
            for (var i = 0; i < 200; i++) await context.Response.Body.WriteAsync(block);
        });
        app.MapGet("/big-declared", (HttpContext context) =>
        {
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = 50_000_000;
            return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("<p>start</p>")).AsTask();
        });
        app.MapGet("/slow-body", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body><p>The first words arrive");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        app.MapGet("/no-answer", async (HttpContext context) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        await app.StartAsync();
        return new NewsSite(app) { BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() };
    }

    public string Url(string path) => BaseUrl.TrimEnd('/') + path;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A listening socket that only counts the connections it accepts: the proof that a refused fetch never connected.</summary>
public sealed class ConnectionRecorder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _accepted = [];
    private int _accepts;

    public ConnectionRecorder(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Accepts => Volatile.Read(ref _accepts);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepts);
                _accepted.Add(socket);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _accepted) socket.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Names the test decides the addresses of, looked up through the guard's own resolver seam.</summary>
public sealed class FakeResolver(Dictionary<string, IPAddress[]> names) : IHostResolver
{
    public ConcurrentQueue<string> Lookups { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        return Task.FromResult(names.TryGetValue(host, out var addresses) ? addresses : []);
    }
}

/// <summary>The article reader as production builds it, on the guarded handler, with test settings.</summary>
public sealed class GuardedReader : IDisposable, IHttpClientFactory
{
    private readonly SocketsHttpHandler _handler;

    public GuardedReader(NetworkOptions options, IHostResolver? resolver = null)
    {
        Options = options;
        _handler = OutboundHttp.CreateHandler(options, resolver);
        Reader = new ArticleReader(this, Microsoft.Extensions.Options.Options.Create(options));
    }

    public NetworkOptions Options { get; }
    public ArticleReader Reader { get; }

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false);

    public Task<Article> ReadAsync(string url) => Reader.ReadAsync(null, url, null, CancellationToken.None);

    public void Dispose() => _handler.Dispose();
}
