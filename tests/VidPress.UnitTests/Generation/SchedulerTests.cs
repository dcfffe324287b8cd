using VidPress.Core.Generation;

namespace VidPress.UnitTests.Generation;

public class SchedulerTests
{
    private static SchedulerConfig TinySdConfig() =>
        SchedulerConfig.Load(Path.Combine(TestModels.TinySd, "scheduler", "scheduler_config.json"));

    [Fact]
    public void Euler_leading_reproduces_reference_timesteps_sigmas_and_init_noise_sigma()
    {
        var reference = SdReference.Load();
        var scheduler = new EulerDiscreteScheduler(TinySdConfig());
        scheduler.SetTimesteps(reference.Steps);

        Assert.Equal(reference.Timesteps, scheduler.Timesteps);
        Assert.Equal(reference.Sigmas.Length, scheduler.Sigmas.Count);
        for (var i = 0; i < reference.Sigmas.Length; i++)
            Assert.True(Math.Abs(reference.Sigmas[i] - scheduler.Sigmas[i]) <= 1e-5, $"sigma {i}: {scheduler.Sigmas[i]} vs {reference.Sigmas[i]}");
        Assert.Equal(reference.InitNoiseSigma, scheduler.InitNoiseSigma, 1e-5);
    }

    [Theory]
    // np.round(np.arange(1000, 0, -1000 / n)) - 1, as diffusers' trailing spacing (SD-Turbo) computes it.
    [InlineData(1, new float[] { 999 })]
    [InlineData(2, new float[] { 999, 499 })]
    [InlineData(3, new float[] { 999, 666, 332 })]
    [InlineData(4, new float[] { 999, 749, 499, 249 })]
    public void Euler_trailing_timesteps_match_diffusers(int steps, float[] expected)
    {
        var scheduler = new EulerDiscreteScheduler(TinySdConfig() with { TimestepSpacing = "trailing" });
        scheduler.SetTimesteps(steps);
        Assert.Equal(expected, scheduler.Timesteps);
        // Trailing spacing starts at the largest training sigma and does not add 1 under the root:
        // sqrt((1 - a999) / a999) = 14.6146 for SD's scaled_linear 0.00085..0.012 betas.
        Assert.Equal(14.6146, scheduler.Sigmas[0], 3e-4);
        Assert.Equal(scheduler.Sigmas[0], scheduler.InitNoiseSigma);
        Assert.Equal(0f, scheduler.Sigmas[^1]);
    }

    [Fact]
    public void Euler_step_with_exact_noise_prediction_lands_on_the_clean_sample()
    {
        var scheduler = new EulerDiscreteScheduler(TinySdConfig() with { TimestepSpacing = "trailing" });
        scheduler.SetTimesteps(1);
        float[] clean = [0.5f, -0.25f];
        float[] eps = [1f, -2f];
        var sigma = scheduler.Sigmas[0];
        float[] noisy = [clean[0] + sigma * eps[0], clean[1] + sigma * eps[1]];
        var next = scheduler.Step(eps, 0, noisy, new GaussianNoise(0));
        Assert.Equal(clean[0], next[0], 1e-5);
        Assert.Equal(clean[1], next[1], 1e-5);
        var scaled = scheduler.ScaleModelInput(noisy, 0);
        Assert.Equal(noisy[0] / Math.Sqrt(sigma * sigma + 1), scaled[0], 1e-5);
    }

    [Theory]
    // k = 1000 // 50 = 20; origin timesteps 999, 979, ..., 19; indices floor(linspace(0, 50, n, endpoint=False)).
    [InlineData(1, new[] { 999 })]
    [InlineData(2, new[] { 999, 499 })]               // indices 0, 25
    [InlineData(4, new[] { 999, 759, 499, 259 })]     // indices 0, 12, 25, 37
    [InlineData(8, new[] { 999, 879, 759, 639, 499, 379, 259, 139 })] // indices 0, 6, 12, 18, 25, 31, 37, 43
    public void Lcm_timesteps_match_diffusers(int steps, int[] expected)
    {
        var scheduler = new LcmScheduler(TinySdConfig());
        scheduler.SetTimesteps(steps);
        Assert.Equal(expected, scheduler.IntegerTimesteps);
        Assert.Equal(1f, scheduler.InitNoiseSigma);
    }

    [Fact]
    public void Lcm_boundary_scalings_are_identity_at_zero_and_prediction_at_high_noise()
    {
        var (skip0, out0) = LcmScheduler.BoundaryScalings(0, 10f);
        Assert.Equal(1f, skip0);
        Assert.Equal(0f, out0);
        // t = 999, scaled 9990: c_skip = 0.25 / (9990^2 + 0.25), c_out = 9990 / sqrt(9990^2 + 0.25).
        var (skip, cout) = LcmScheduler.BoundaryScalings(999, 10f);
        Assert.Equal(0.25 / (9990.0 * 9990.0 + 0.25), skip, 1e-12);
        Assert.Equal(1.0, cout, 1e-6);
    }

    [Fact]
    public void Lcm_last_step_returns_the_denoised_sample_without_noise()
    {
        var config = TinySdConfig();
        var scheduler = new LcmScheduler(config);
        scheduler.SetTimesteps(4);
        var alpha = config.AlphasCumprod()[259];
        float[] clean = [0.3f, -0.7f, 1.1f];
        float[] eps = [0.2f, 1.5f, -0.4f];
        var noisy = clean.Select((x, i) => MathF.Sqrt(alpha) * x + MathF.Sqrt(1 - alpha) * eps[i]).ToArray();
        var (skip, cout) = LcmScheduler.BoundaryScalings(259, 10f);
        var result = scheduler.Step(eps, 3, noisy, new GaussianNoise(1));
        for (var i = 0; i < clean.Length; i++) Assert.Equal(cout * clean[i] + skip * noisy[i], result[i], 1e-5);
    }

    [Fact]
    public void Lcm_intermediate_step_renoises_to_the_next_timestep()
    {
        var config = TinySdConfig();
        var scheduler = new LcmScheduler(config);
        scheduler.SetTimesteps(4);
        float[] sample = [0.1f, 0.2f];
        float[] modelOutput = [0.3f, -0.3f];
        var a = config.AlphasCumprod();
        var noise = new GaussianNoise(5);
        var expectedNoise = new GaussianNoise(5).Next(2);
        var (skip, cout) = LcmScheduler.BoundaryScalings(999, 10f);
        var result = scheduler.Step(modelOutput, 0, sample, noise);
        for (var i = 0; i < 2; i++)
        {
            var x0 = (sample[i] - MathF.Sqrt(1 - a[999]) * modelOutput[i]) / MathF.Sqrt(a[999]);
            var denoised = cout * x0 + skip * sample[i];
            Assert.Equal(MathF.Sqrt(a[759]) * denoised + MathF.Sqrt(1 - a[759]) * expectedNoise[i], result[i], 1e-5);
        }
    }

    [Fact]
    public void Gaussian_noise_is_reproducible_and_standard_normal()
    {
        Assert.Equal(new GaussianNoise(42).Next(64), new GaussianNoise(42).Next(64));
        Assert.NotEqual(new GaussianNoise(42).Next(64), new GaussianNoise(43).Next(64));
        var values = new GaussianNoise(7).Next(100_000);
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void Unknown_scheduler_name_is_rejected()
    {
        Assert.Throws<NotSupportedException>(() => DiffusionSchedulers.Create("ddim", TinySdConfig()));
    }
}
