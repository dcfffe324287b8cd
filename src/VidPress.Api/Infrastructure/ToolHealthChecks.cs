using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;
using VidPress.Core.Narration;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// Runs "TOOL -version"-style commands and remembers the answer for a while. The answer lives in the instance,
/// so the checks are singletons (<see cref="Observability.AddVidPressObservability"/> registers them): health
/// checks added by type are otherwise built anew for every request. <c>checkedAt</c> in the data says when the
/// tool really ran.
/// </summary>
public abstract class ToolHealthCheck(IOptions<ToolHealthOptions> options, TimeProvider clock) : IHealthCheck
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _cached;

    protected abstract string Tool { get; }
    protected abstract string[] VersionArguments { get; }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } c && clock.GetUtcNow() - c.At < options.Value.CacheFor) return c.Result;
            var result = await RunAsync(cancellationToken);
            _cached = (result, clock.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<string, object> Data() => new() { ["path"] = Tool, ["checkedAt"] = clock.GetUtcNow() };

    private async Task<HealthCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var run = await ToolProcess.RunAsync(Tool, VersionArguments, options.Value.Timeout, cancellationToken);
            var output = (run.StandardOutputText + run.StandardError).Trim();
            var firstLine = output.Split('\n', 2)[0].Trim();
            return run.ExitCode == 0
                ? HealthCheckResult.Healthy(firstLine, Data())
                : HealthCheckResult.Unhealthy($"{Tool} exited with {run.ExitCode}: {firstLine}", data: Data());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{Tool} cannot be run", e, Data());
        }
    }
}

public sealed class FfmpegHealthCheck(IOptions<MediaOptions> media, IOptions<ToolHealthOptions> options, TimeProvider clock) : ToolHealthCheck(options, clock)
{
    protected override string Tool => media.Value.FfmpegPath;
    protected override string[] VersionArguments => ["-hide_banner", "-version"];
}

public sealed class EspeakHealthCheck(IOptions<NarrationOptions> narration, IOptions<ToolHealthOptions> options, TimeProvider clock) : ToolHealthCheck(options, clock)
{
    protected override string Tool => narration.Value.EspeakPath;
    protected override string[] VersionArguments => ["--version"];
}

/// <summary>The CLIP folder has its four files and the model's sessions load (which also warms them for the first search).</summary>
public sealed class ClipModelHealthCheck(IServiceProvider services, IOptions<ClipOptions> options, IHostEnvironment environment) : IHealthCheck
{
    private static readonly string[] Files = ["text_model.onnx", "vision_model.onnx", "tokenizer.json", "preprocessor_config.json"];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var folder = ClipServiceCollectionExtensions.ResolveModelPath(options.Value.ModelPath, environment.ContentRootPath);
        var data = new Dictionary<string, object> { ["folder"] = folder };
        var missing = Files.Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();
        if (missing.Length > 0)
            return Task.FromResult(HealthCheckResult.Unhealthy($"CLIP model files missing: {string.Join(", ", missing)}", data: data));
        try
        {
            var model = services.GetRequiredService<ClipModel>();
            data["provider"] = model.ExecutionProvider;
            data["dimensions"] = model.Dimensions;
            return Task.FromResult(HealthCheckResult.Healthy("CLIP sessions loaded", data));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("CLIP sessions do not load", e, data));
        }
    }
}
