using System.Net;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using VidPress.Core;
using VidPress.Core.Jobs;

namespace VidPress.Worker.Infrastructure;

/// <summary>
/// /health and /health/live on the worker's port, with System.Net's HttpListener (the worker has no ASP.NET Core).
/// It shares the port with the Prometheus exporter's listener, which takes /metrics.
/// </summary>
public sealed class WorkerHealthEndpoint(IOptions<WorkerEndpointOptions> options, IConfiguration configuration, JobStorage storage,
    QueueDepthGauge queueDepth, ILogger<WorkerHealthEndpoint> logger) : BackgroundService
{
    private readonly WorkerEndpointOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = queueDepth; // Created with the endpoint, so /metrics reports the queues.
        using var listener = new HttpListener();
        // The whole port but /metrics/, which the exporter's listener holds (the longer prefix wins).
        listener.Prefixes.Add($"http://{_options.MetricsHost}:{_options.MetricsPort}/");
        listener.Start();
        logger.LogInformation("Worker health on http://{Host}:{Port}/health, metrics on /metrics", _options.MetricsHost, _options.MetricsPort);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }
            _ = Task.Run(() => AnswerAsync(context, stoppingToken), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            object body;
            if (path == "/health/live")
            {
                body = new { status = "Healthy", checks = new { } };
                context.Response.StatusCode = 200;
            }
            else if (path == "/health")
            {
                var database = await CheckDatabaseAsync(cancellationToken);
                var hangfire = CheckHeartbeat();
                var healthy = database.Healthy && hangfire.Healthy;
                context.Response.StatusCode = healthy ? 200 : 503;
                body = new
                {
                    status = healthy ? "Healthy" : "Unhealthy",
                    checks = new Dictionary<string, object>
                    {
                        ["postgresql"] = new { status = database.Healthy ? "Healthy" : "Unhealthy", description = database.Description },
                        ["hangfire-server"] = new { status = hangfire.Healthy ? "Healthy" : "Unhealthy", description = hangfire.Description },
                    },
                };
            }
            else
            {
                context.Response.StatusCode = 404;
                body = new { status = "NotFound" };
            }
            context.Response.ContentType = "application/json";
            context.Response.Headers["Cache-Control"] = "no-store";
            if (context.Request.HttpMethod != "HEAD")
                await JsonSerializer.SerializeAsync(context.Response.OutputStream, body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "Health request failed");
        }
        finally
        {
            try { context.Response.Close(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        }
    }

    private async Task<(bool Healthy, string Description)> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(VidPressServices.ConnectionStringName))
            {
                Timeout = Math.Max(1, (int)_options.DatabaseTimeout.TotalSeconds), CommandTimeout = Math.Max(1, (int)_options.DatabaseTimeout.TotalSeconds),
            }.ConnectionString;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.DatabaseTimeout);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return (true, "reachable");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (false, e.Message);
        }
    }

    private (bool Healthy, string Description) CheckHeartbeat()
    {
        try
        {
            var server = storage.GetMonitoringApi().Servers().FirstOrDefault(s => JobServerName.IsThisProcess(s.Name));
            if (server is null) return (false, $"no Hangfire server {JobServerName.ForThisProcess} announced");
            if (server.Heartbeat is not { } beat) return (false, $"server {server.Name} has no heartbeat yet");
            var age = DateTime.UtcNow - DateTime.SpecifyKind(beat, DateTimeKind.Utc);
            return age <= _options.HeartbeatMaxAge
                ? (true, $"server {server.Name}, heartbeat {age.TotalSeconds:0} s ago")
                : (false, $"server {server.Name}: last heartbeat {age.TotalSeconds:0} s ago");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (false, e.Message);
        }
    }
}
