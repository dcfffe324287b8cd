namespace VidPress.Core.Generation;

/// <summary>
/// diffusers' LCMScheduler for latent consistency models (LCM, LCM-LoRA): 2 to 8 steps picked from the
/// distillation schedule of <c>original_inference_steps</c>, a consistency-model boundary condition, and fresh
/// noise between steps. Guidance-embedding (w-conditioned) UNets are not handled here.
/// </summary>
public sealed class LcmScheduler : IDiffusionScheduler
{
    private const float SigmaData = 0.5f;
    private readonly SchedulerConfig _config;
    private readonly float[] _alphasCumprod;
    private readonly float _finalAlphaCumprod;
    private int[] _timesteps = [];
    private float[] _floatTimesteps = [];

    public LcmScheduler(SchedulerConfig config)
    {
        _config = config;
        if (config.PredictionType is not ("epsilon" or "sample" or "v_prediction")) throw new NotSupportedException($"prediction_type '{config.PredictionType}' is not supported");
        _alphasCumprod = config.AlphasCumprod();
        _finalAlphaCumprod = config.SetAlphaToOne ? 1f : _alphasCumprod[0];
    }

    public IReadOnlyList<float> Timesteps => _floatTimesteps;

    public IReadOnlyList<int> IntegerTimesteps => _timesteps;

    public float InitNoiseSigma => 1f;

    public void SetTimesteps(int steps)
    {
        var original = _config.OriginalInferenceSteps;
        if (steps < 1 || steps > original) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"must be 1..{original} (original_inference_steps)");
        // k: the skipping step of the distillation schedule; origin timesteps are k-1, 2k-1, ..., original*k-1.
        var k = _config.NumTrainTimesteps / original;
        var origin = new int[original];
        for (var i = 0; i < original; i++) origin[i] = (original - i) * k - 1; // already reversed
        // np.floor(np.linspace(0, len, steps, endpoint=False)) indexes into the reversed origin schedule.
        _timesteps = new int[steps];
        for (var i = 0; i < steps; i++) _timesteps[i] = origin[(int)Math.Floor(i * (double)original / steps)];
        _floatTimesteps = Array.ConvertAll(_timesteps, t => (float)t);
    }

    public float[] ScaleModelInput(float[] sample, int stepIndex) => sample;

    public float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        var t = _timesteps[stepIndex];
        var last = stepIndex == _timesteps.Length - 1;
        var prevT = last ? t : _timesteps[stepIndex + 1];
        var alphaT = _alphasCumprod[t];
        var alphaPrev = prevT >= 0 ? _alphasCumprod[prevT] : _finalAlphaCumprod;
        var betaT = 1f - alphaT;
        var betaPrev = 1f - alphaPrev;

        var (cSkip, cOut) = BoundaryScalings(t, (float)_config.TimestepScaling);
        var sqrtAlphaT = MathF.Sqrt(alphaT);
        var sqrtBetaT = MathF.Sqrt(betaT);
        var denoised = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            var predictedOriginal = _config.PredictionType switch
            {
                "epsilon" => (sample[i] - sqrtBetaT * modelOutput[i]) / sqrtAlphaT,
                "sample" => modelOutput[i],
                _ => sqrtAlphaT * sample[i] - sqrtBetaT * modelOutput[i],
            };
            denoised[i] = cOut * predictedOriginal + cSkip * sample[i];
        }
        if (last) return denoised;

        var fresh = noise.Next(sample.Length);
        var sqrtAlphaPrev = MathF.Sqrt(alphaPrev);
        var sqrtBetaPrev = MathF.Sqrt(betaPrev);
        var next = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++) next[i] = sqrtAlphaPrev * denoised[i] + sqrtBetaPrev * fresh[i];
        return next;
    }

    /// <summary>c_skip and c_out of the consistency boundary condition: c_skip → 1 and c_out → 0 as t → 0.</summary>
    internal static (float CSkip, float COut) BoundaryScalings(int timestep, float timestepScaling)
    {
        var scaled = timestep * timestepScaling;
        var cSkip = SigmaData * SigmaData / (scaled * scaled + SigmaData * SigmaData);
        var cOut = scaled / MathF.Sqrt(scaled * scaled + SigmaData * SigmaData);
        return (cSkip, cOut);
    }
}
