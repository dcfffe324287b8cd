using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VidPress.Testing;

public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>A real HTTP server on loopback that records every webhook it gets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _failuresLeft;
    private volatile string? _failingPath;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();

    /// <summary>
    /// Answers 500 to the next <paramref name="count"/> deliveries, or to the next ones to <paramref name="path"/> only
    /// (on a shared service other tests' webhooks may arrive in between).
    /// </summary>
    public void FailNext(int count, string? path = null)
    {
        _failingPath = path;
        Interlocked.Exchange(ref _failuresLeft, count);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        // A receiver that moved: POSTs under /moved are redirected (302) to /landed, where a GET would be recorded.
        app.MapPost("/moved/{**path}", (HttpContext context) => Results.Redirect(receiver.BaseUrl + "/landed"));
        app.MapGet("/landed", (HttpContext context) =>
        {
            receiver._received.Enqueue(new ReceivedWebhook("GET /landed", new Dictionary<string, string>(), "", DateTimeOffset.UtcNow));
            return Results.Ok();
        });
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver._received.Enqueue(new ReceivedWebhook(context.Request.Path,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body, DateTimeOffset.UtcNow));
            var failing = receiver._failingPath is not { } only || only == context.Request.Path;
            return failing && Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? Results.StatusCode(500) : Results.NoContent();
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Received))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Webhook condition not met; received {_received.Count}.");
            await Task.Delay(100);
        }
        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
