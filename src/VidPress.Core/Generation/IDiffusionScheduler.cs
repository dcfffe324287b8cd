namespace VidPress.Core.Generation;

/// <summary>
/// One denoising schedule, used for a single generation (it holds per-run state, so create one per call).
/// Arrays are flat NCHW float32 latents.
/// </summary>
public interface IDiffusionScheduler
{
    /// <summary>Timesteps fed to the UNet, in order; valid after <see cref="SetTimesteps"/>.</summary>
    IReadOnlyList<float> Timesteps { get; }

    /// <summary>Factor applied to unit-variance noise to make the first latents.</summary>
    float InitNoiseSigma { get; }

    void SetTimesteps(int steps);

    float[] ScaleModelInput(float[] sample, int stepIndex);

    /// <summary>One step from <paramref name="sample"/> at <paramref name="stepIndex"/> towards the next timestep; <paramref name="noise"/> feeds stochastic schedulers.</summary>
    float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise);
}

public static class DiffusionSchedulers
{
    /// <summary>Creates the scheduler named in <see cref="GenerationOptions.Scheduler"/> from a model's scheduler_config.json values.</summary>
    public static IDiffusionScheduler Create(string name, SchedulerConfig config) => Normalise(name) switch
    {
        "euler" => new EulerDiscreteScheduler(config),
        "lcm" => new LcmScheduler(config),
        _ => throw new NotSupportedException($"scheduler '{name}' is not supported (euler, lcm)"),
    };

    /// <summary>Whether <see cref="Create"/> knows the scheduler <paramref name="name"/>.</summary>
    public static bool IsKnown(string? name) => Normalise(name) is not null;

    private static string? Normalise(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "euler" or "euler-discrete" or "eulerdiscretescheduler" => "euler",
        "lcm" or "lcmscheduler" => "lcm",
        _ => null,
    };
}
