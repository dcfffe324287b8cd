using VidPress.Core.Media;

namespace VidPress.Core.Generation;

/// <summary>What to draw. Steps and guidance default to <see cref="GenerationOptions"/>.</summary>
public sealed record StillRequest(string Prompt)
{
    public string NegativePrompt { get; init; } = "";

    /// <summary>Seed of <see cref="GaussianNoise"/> for the initial latents (and for the LCM scheduler's per-step noise).</summary>
    public long Seed { get; init; }

    public int? Steps { get; init; }

    public float? GuidanceScale { get; init; }
}

/// <summary>A generated picture with what produced it, kept for provenance and for parity checks.</summary>
/// <param name="Pixels">Decoder output mapped to [0, 1], planar CHW, before rounding to bytes.</param>
/// <param name="FinalLatents">Latents after the last step, before division by the VAE scaling factor.</param>
public sealed record GeneratedStill(
    RgbImage Image,
    float[] Pixels,
    float[] FinalLatents,
    IReadOnlyList<float> Timesteps,
    int[] PromptIds,
    int[] NegativeIds,
    TimeSpan Elapsed);
