using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VidPress.Soak;

/// <param name="Answer">The status this receiver answered: 204, or 503 for a refusal it was told to make.</param>
public sealed record Delivery(string WebhookId, string? Type, Guid? VideoId, bool SignatureValid, int Answer, DateTimeOffset At, string Body);

/// <summary>
/// A webhook receiver on loopback, as a customer would run one: it checks each Standard Webhooks signature
/// (https://www.standardwebhooks.com/, written from the specification, sharing no code with the service) and
/// records every delivery. A share of deliveries, drawn from the seed, is answered 503 so the service's retries
/// run through the kills and the database restart too.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly Random _random;
    private readonly double _refuseRate;
    private string _secret = "";

    private Receiver(WebApplication app, int seed, double refuseRate)
    {
        _app = app;
        _random = new Random(seed);
        _refuseRate = refuseRate;
    }

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyList<Delivery> Deliveries => _deliveries.ToList();

    /// <summary>The tenant's signing secret, known once the tenant exists (before any video is posted).</summary>
    public void UseSecret(string secret) => _secret = secret;

    public static async Task<Receiver> StartAsync(int seed, double refuseRate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app, seed, refuseRate);
        app.MapPost("/{**path}", (Delegate)receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var id = headers["webhook-id"].ToString();
        var valid = Verify(_secret, id, headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), body,
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        string? type = null;
        Guid? videoId = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            type = json.RootElement.GetProperty("type").GetString();
            videoId = json.RootElement.GetProperty("data").GetProperty("videoId").GetGuid();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException) { }
        bool refuse;
        lock (_random) refuse = valid && _random.NextDouble() < _refuseRate;
        // A bad signature is refused as a receiver must (401); it is also a failed check of the soak.
        var answer = !valid ? 401 : refuse ? 503 : 204;
        _deliveries.Enqueue(new Delivery(id, type, videoId, valid, answer, DateTimeOffset.UtcNow, body));
        return Results.StatusCode(answer);
    }

    /// <summary>Standard Webhooks: v1,base64(HMAC-SHA256(key, "id.timestamp.body")), any of the space-separated signatures.</summary>
    public static bool Verify(string secret, string id, string timestamp, string signatures, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal) || id.Length == 0) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return false;
        var expected = HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!signature.StartsWith("v1,", StringComparison.Ordinal)) continue;
            byte[] given;
            try { given = Convert.FromBase64String(signature[3..]); }
            catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(expected, given)) return true;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
