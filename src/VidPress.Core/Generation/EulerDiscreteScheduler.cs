namespace VidPress.Core.Generation;

/// <summary>
/// diffusers' EulerDiscreteScheduler (deterministic: s_churn 0) with leading, trailing or linspace timestep
/// spacing and linear sigma interpolation. Arithmetic follows diffusers' float32 tensor operations in the same
/// order so that runs agree with the Python reference to float rounding. Trailing spacing with one to four steps
/// is how SD-Turbo samples.
/// </summary>
public sealed class EulerDiscreteScheduler : IDiffusionScheduler
{
    private readonly SchedulerConfig _config;
    private readonly float[] _trainSigmas;
    private float[] _timesteps = [];
    private float[] _sigmas = [];

    public EulerDiscreteScheduler(SchedulerConfig config)
    {
        _config = config;
        if (config.UseKarrasSigmas) throw new NotSupportedException("use_karras_sigmas is not supported");
        if (config.InterpolationType != "linear") throw new NotSupportedException($"interpolation_type '{config.InterpolationType}' is not supported (linear)");
        if (config.PredictionType is not ("epsilon" or "v_prediction")) throw new NotSupportedException($"prediction_type '{config.PredictionType}' is not supported (epsilon, v_prediction)");
        var alphasCumprod = config.AlphasCumprod();
        _trainSigmas = Array.ConvertAll(alphasCumprod, a => MathF.Sqrt((1f - a) / a));
        // Before set_timesteps diffusers reports the training schedule's largest sigma.
        InitNoiseSigma = ComputeInitNoiseSigma(_trainSigmas.Max());
    }

    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>Sigmas per timestep plus the final 0, float32 as diffusers stores them.</summary>
    public IReadOnlyList<float> Sigmas => _sigmas;

    public float InitNoiseSigma { get; private set; }

    public void SetTimesteps(int steps)
    {
        var n = _config.NumTrainTimesteps;
        if (steps < 1 || steps > n) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"must be 1..{n}");
        _timesteps = _config.TimestepSpacing switch
        {
            "leading" => Leading(n, steps, _config.StepsOffset),
            "trailing" => Trailing(n, steps),
            "linspace" => Linspace(n, steps),
            _ => throw new NotSupportedException($"timestep_spacing '{_config.TimestepSpacing}' is not supported (leading, trailing, linspace)"),
        };
        _sigmas = new float[_timesteps.Length + 1];
        for (var i = 0; i < _timesteps.Length; i++) _sigmas[i] = (float)Interp(_timesteps[i], _trainSigmas);
        _sigmas[^1] = 0f;
        InitNoiseSigma = ComputeInitNoiseSigma(_sigmas.Max());
    }

    private float ComputeInitNoiseSigma(float maxSigma) =>
        _config.TimestepSpacing is "linspace" or "trailing" ? maxSigma : MathF.Sqrt(maxSigma * maxSigma + 1f);

    public float[] ScaleModelInput(float[] sample, int stepIndex)
    {
        var sigma = _sigmas[stepIndex];
        var divisor = MathF.Sqrt(sigma * sigma + 1f);
        var scaled = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++) scaled[i] = sample[i] / divisor;
        return scaled;
    }

    public float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        var sigma = _sigmas[stepIndex];
        var dt = _sigmas[stepIndex + 1] - sigma;
        var v = _config.PredictionType == "v_prediction";
        var c = v ? -sigma / MathF.Sqrt(sigma * sigma + 1f) : 0f;
        var d = v ? sigma * sigma + 1f : 0f;
        var next = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            var predictedOriginal = v ? modelOutput[i] * c + sample[i] / d : sample[i] - sigma * modelOutput[i];
            var derivative = (sample[i] - predictedOriginal) / sigma;
            next[i] = sample[i] + derivative * dt;
        }
        return next;
    }

    // np.arange(0, steps) * (n // steps), rounded, reversed, + steps_offset.
    internal static float[] Leading(int n, int steps, int offset)
    {
        var ratio = n / steps;
        var t = new float[steps];
        for (var i = 0; i < steps; i++) t[i] = (steps - 1 - i) * ratio + offset;
        return t;
    }

    // np.round(np.arange(n, 0, -n / steps)) - 1; numpy's arange length is ceil(span / step) and np.round halves to even.
    internal static float[] Trailing(int n, int steps)
    {
        var step = -(double)n / steps;
        var count = (int)Math.Ceiling((0.0 - n) / step);
        var t = new float[count];
        for (var i = 0; i < count; i++) t[i] = (float)Math.Round(n + i * step, MidpointRounding.ToEven) - 1f;
        return t;
    }

    // np.linspace(0, n - 1, steps, dtype=float32)[::-1]
    internal static float[] Linspace(int n, int steps)
    {
        var t = new float[steps];
        if (steps == 1) { t[0] = 0f; return t; }
        var step = (n - 1) / (double)(steps - 1);
        for (var i = 0; i < steps; i++)
        {
            var k = steps - 1 - i;
            t[i] = (float)(k == steps - 1 ? n - 1 : k * step);
        }
        return t;
    }

    // np.interp(t, arange(len(values)), values)
    private static double Interp(double t, float[] values)
    {
        if (t <= 0) return values[0];
        if (t >= values.Length - 1) return values[^1];
        var lo = (int)Math.Floor(t);
        var frac = t - lo;
        return frac == 0 ? values[lo] : values[lo] + (values[lo + 1] - (double)values[lo]) * frac;
    }
}
