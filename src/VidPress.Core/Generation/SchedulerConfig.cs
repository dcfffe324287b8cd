using System.Text.Json;

namespace VidPress.Core.Generation;

/// <summary>The fields of a diffusers scheduler_config.json that the Euler and LCM schedulers read; missing keys take diffusers' defaults.</summary>
public sealed record SchedulerConfig
{
    public int NumTrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.00085;
    public double BetaEnd { get; init; } = 0.012;
    public string BetaSchedule { get; init; } = "scaled_linear";
    public string PredictionType { get; init; } = "epsilon";
    public string TimestepSpacing { get; init; } = "leading";
    public int StepsOffset { get; init; }
    public string InterpolationType { get; init; } = "linear";
    public bool UseKarrasSigmas { get; init; }
    public int OriginalInferenceSteps { get; init; } = 50;
    public double TimestepScaling { get; init; } = 10.0;
    public bool SetAlphaToOne { get; init; } = true;

    public static SchedulerConfig Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var d = new SchedulerConfig();
        return new SchedulerConfig
        {
            NumTrainTimesteps = Int(root, "num_train_timesteps") ?? d.NumTrainTimesteps,
            BetaStart = Double(root, "beta_start") ?? d.BetaStart,
            BetaEnd = Double(root, "beta_end") ?? d.BetaEnd,
            BetaSchedule = String(root, "beta_schedule") ?? d.BetaSchedule,
            PredictionType = String(root, "prediction_type") ?? d.PredictionType,
            TimestepSpacing = String(root, "timestep_spacing") ?? d.TimestepSpacing,
            StepsOffset = Int(root, "steps_offset") ?? d.StepsOffset,
            InterpolationType = String(root, "interpolation_type") ?? d.InterpolationType,
            UseKarrasSigmas = Bool(root, "use_karras_sigmas") ?? d.UseKarrasSigmas,
            OriginalInferenceSteps = Int(root, "original_inference_steps") ?? d.OriginalInferenceSteps,
            TimestepScaling = Double(root, "timestep_scaling") ?? d.TimestepScaling,
            SetAlphaToOne = Bool(root, "set_alpha_to_one") ?? d.SetAlphaToOne,
        };
    }

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static double? Double(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    /// <summary>
    /// alphas_cumprod as diffusers computes it with torch: betas from a float32 linspace, and cumprod
    /// accumulating in double (ATen's CPU accumulation type for float) but storing float32.
    /// </summary>
    internal float[] AlphasCumprod()
    {
        var n = NumTrainTimesteps;
        float[] betas = BetaSchedule switch
        {
            "linear" => TorchLinspace((float)BetaStart, (float)BetaEnd, n),
            "scaled_linear" => Array.ConvertAll(TorchLinspace((float)Math.Sqrt(BetaStart), (float)Math.Sqrt(BetaEnd), n), b => b * b),
            _ => throw new NotSupportedException($"beta_schedule '{BetaSchedule}' is not supported (linear, scaled_linear)"),
        };
        var cumprod = new float[n];
        double accumulated = 1.0;
        for (var i = 0; i < n; i++)
        {
            accumulated *= 1.0f - betas[i];
            cumprod[i] = (float)accumulated;
        }
        return cumprod;
    }

    /// <summary>torch.linspace for float32 on CPU: the first half counts up from start, the second half down from end.</summary>
    internal static float[] TorchLinspace(float start, float end, int steps)
    {
        var result = new float[steps];
        if (steps == 1) { result[0] = start; return result; }
        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        for (var i = 0; i < steps; i++)
            result[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        return result;
    }
}
