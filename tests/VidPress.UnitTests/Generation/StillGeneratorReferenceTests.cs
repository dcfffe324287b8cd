using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Generation;
using Xunit.Abstractions;

namespace VidPress.UnitTests.Generation;

/// <summary>One generator and one reference run shared by the parity tests; the models load once.</summary>
public sealed class TinySdFixture : IDisposable
{
    public TinySdFixture()
    {
        Reference = SdReference.Load();
        Generator = new StillGenerator(new GenerationOptions { ModelPath = TestModels.TinySd, Steps = Reference.Steps, GuidanceScale = Reference.GuidanceScale });
        var request = new StillRequest(Reference.Prompt) { NegativePrompt = Reference.NegativePrompt };
        // The first call pays ONNX Runtime's lazy initialisation; the timed run is the second.
        Generator.Generate(request, Reference.InitialNoise);
        var clock = Stopwatch.StartNew();
        Result = Generator.Generate(request, Reference.InitialNoise);
        Seconds = clock.Elapsed.TotalSeconds;
    }

    public SdReference Reference { get; }
    public StillGenerator Generator { get; }
    public GeneratedStill Result { get; }
    public double Seconds { get; }

    public void Dispose() => Generator.Dispose();
}

public class StillGeneratorReferenceTests(TinySdFixture fixture, ITestOutputHelper output) : IClassFixture<TinySdFixture>
{
    private const double Tolerance = 1e-3;
    private SdReference Reference => fixture.Reference;
    private GeneratedStill Result => fixture.Result;

    [Fact]
    public void Tokenizer_reproduces_reference_prompt_and_negative_ids()
    {
        Assert.Equal(Reference.PromptIds, fixture.Generator.EncodePrompt(Reference.Prompt));
        Assert.Equal(Reference.NegativeIds, fixture.Generator.EncodePrompt(Reference.NegativePrompt));
        Assert.Equal(Reference.PromptIds, Result.PromptIds);
        Assert.Equal(Reference.NegativeIds, Result.NegativeIds);
    }

    [Fact]
    public void Tokenizer_truncates_to_77_keeping_the_end_token()
    {
        var ids = fixture.Generator.EncodePrompt(string.Join(' ', Enumerable.Repeat("a red circle", 40)));
        Assert.Equal(77, ids.Length);
        Assert.Equal(Reference.PromptIds[0], ids[0]);
        Assert.Equal(Reference.PromptIds[^1], ids[^1]);
        Assert.Equal(Reference.PromptIds[1..4], ids[1..4]);
    }

    [Fact]
    public void Runs_on_the_cpu_provider_with_reference_timesteps()
    {
        Assert.Equal(StillGenerator.CpuProvider, fixture.Generator.ActiveProvider);
        Assert.Equal(Reference.Timesteps, Result.Timesteps);
        Assert.Equal(64, fixture.Generator.Width);
        Assert.Equal(256, fixture.Generator.NoiseLength);
    }

    [Fact]
    public void Final_latents_match_reference()
    {
        Assert.Equal(Reference.FinalLatents.Length, Result.FinalLatents.Length);
        var maxError = Reference.FinalLatents.Select((v, i) => Math.Abs(v - Result.FinalLatents[i])).Max();
        output.WriteLine($"final latents max abs error {maxError:E2}");
        Assert.True(maxError <= Tolerance, $"max abs error {maxError}");
    }

    [Fact]
    public void Output_pixels_match_reference()
    {
        var pixels = Result.Pixels;
        var plane = 64 * 64;
        var errors = new List<double>();
        for (var c = 0; c < 3; c++)
        {
            errors.Add(Math.Abs(pixels.Skip(c * plane).Take(plane).Average() - Reference.ChannelMeans[c]));
            errors.Add(Math.Abs(pixels[c * plane + 32 * 64 + 32] - Reference.CenterPixel[c]));
            for (var x = 0; x < Reference.FirstPixels.Length; x++)
                errors.Add(Math.Abs(pixels[c * plane + x] - Reference.FirstPixels[x][c]));
        }
        output.WriteLine($"pixel max abs error {errors.Max():E2} over {errors.Count} values");
        Assert.All(errors, e => Assert.True(e <= Tolerance, $"pixel error {e}"));
    }

    [Fact]
    public void Output_bytes_match_reference_png_within_one_level()
    {
        var (width, height, rgb) = TestPngDecoder.Decode(File.ReadAllBytes(Path.Combine(TestModels.TinySd, "reference.png")));
        Assert.Equal((64, 64), (width, height));
        var image = Result.Image;
        Assert.Equal((width, height), (image.Width, image.Height));
        var maxDiff = rgb.Select((b, i) => Math.Abs(b - image.Pixels[i])).Max();
        var differing = rgb.Where((b, i) => b != image.Pixels[i]).Count();
        output.WriteLine($"max byte difference from reference.png {maxDiff}, {differing} of {rgb.Length} bytes differ");
        Assert.True(maxDiff <= 1, $"max byte difference {maxDiff}");
        // And what we write decodes back to the same bytes.
        Assert.Equal(image.Pixels, TestPngDecoder.Decode(image.ToPng()).Rgb);
    }

    [Fact]
    public void Seeded_generation_is_reproducible()
    {
        var request = new StillRequest("a green triangle") { Seed = 11, Steps = 4 };
        var first = fixture.Generator.Generate(request);
        var second = fixture.Generator.Generate(request);
        var other = fixture.Generator.Generate(request with { Seed = 12 });
        Assert.Equal(first.Image.Pixels, second.Image.Pixels);
        Assert.NotEqual(first.Image.Pixels, other.Image.Pixels);
    }

    [Theory]
    // Stand-in for the tiny-CLIP judge until the shared CLIP preprocessing exists: the shapes are large and
    // centred, so the middle of the picture must be the asked-for colour.
    [InlineData("a blue square", 2)]
    [InlineData("a red circle", 0)]
    [InlineData("a green square", 1)]
    public void Generated_still_shows_the_asked_for_colour(string prompt, int channel)
    {
        var still = fixture.Generator.Generate(new StillRequest(prompt) { Seed = 1 });
        var means = new double[3];
        for (var y = 24; y < 40; y++)
            for (var x = 24; x < 40; x++)
                for (var c = 0; c < 3; c++)
                    means[c] += still.Pixels[c * 64 * 64 + y * 64 + x] / 256.0;
        output.WriteLine($"{prompt}: centre RGB {means[0]:F2} {means[1]:F2} {means[2]:F2}");
        for (var c = 0; c < 3; c++)
            if (c != channel) Assert.True(means[channel] > means[c] + 0.3, $"{prompt}: centre RGB {string.Join(", ", means.Select(m => m.ToString("F2")))}");
    }

    [Fact]
    public void Injected_tokenizer_is_used_and_its_ids_padded()
    {
        var tokenizer = new FixedTokenizer([620, 320, 579, 536, 621]);
        using var generator = new StillGenerator(new GenerationOptions { ModelPath = TestModels.TinySd, Steps = 1 }, tokenizer: tokenizer);
        Assert.Equal(Reference.PromptIds, generator.EncodePrompt("anything"));
        Assert.Equal("anything", tokenizer.LastText);
    }

    private sealed class FixedTokenizer(int[] ids) : IPromptTokenizer
    {
        public string? LastText { get; private set; }

        public int[] Encode(string text)
        {
            LastText = text;
            return ids;
        }
    }

    [Fact]
    public void Wrong_noise_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => fixture.Generator.Generate(new StillRequest("a red circle"), new float[10]));
    }

    [Fact]
    public void Cancellation_stops_generation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => fixture.Generator.Generate(new StillRequest("a red circle"), cancelled.Token));
    }

    [Fact]
    public void Reports_time_of_a_20_step_generation()
    {
        output.WriteLine($"20-step 64x64 generation with guidance: {fixture.Seconds * 1000:F0} ms on {fixture.Generator.ActiveProvider}");
        Assert.True(fixture.Seconds < 60);
    }

    [Fact]
    public void Lcm_scheduler_runs_the_pipeline_end_to_end()
    {
        using var generator = new StillGenerator(new GenerationOptions { ModelPath = TestModels.TinySd, Scheduler = "lcm", Steps = 4, GuidanceScale = 1 });
        var still = generator.Generate(new StillRequest("a red circle") { Seed = 3 });
        Assert.Equal(new float[] { 999, 759, 499, 259 }, still.Timesteps);
        Assert.All(still.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Cuda_preference_falls_back_to_cpu_without_a_gpu_runtime()
    {
        // The test project carries the CPU-only runtime, so appending CUDA must fail and fall back.
        using var generator = new StillGenerator(new GenerationOptions { ModelPath = TestModels.TinySd, PreferCuda = true });
        Assert.Equal(StillGenerator.CpuProvider, generator.ActiveProvider);
    }

    [Fact]
    public void Di_extension_binds_the_generation_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Generation:ModelPath"] = TestModels.TinySd,
            ["Generation:Steps"] = "2",
            ["Generation:Scheduler"] = "euler",
            ["Generation:PreferCuda"] = "true",
            ["Generation:CudaTf32"] = "true",
            ["Generation:PromptTemplate"] = "a photo of {0}",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddGeneration(configuration);
        StillGenerator resolved;
        using (var provider = services.BuildServiceProvider())
        {
            resolved = provider.GetRequiredService<StillGenerator>();
            Assert.Same(resolved, provider.GetRequiredService<StillGenerator>());
            Assert.Equal(2, resolved.Options.Steps);
            Assert.Equal((true, true, "a photo of {0}"), (resolved.Options.PreferCuda, resolved.Options.CudaTf32, resolved.Options.PromptTemplate));
            // Asked for CUDA, but the test project carries the CPU-only runtime.
            Assert.Equal(StillGenerator.CpuProvider, resolved.ActiveProvider);
            Assert.Equal(64, resolved.Generate(new StillRequest("a blue square")).Image.Width);
        }
        // Disposed with the container: its sessions are gone.
        Assert.Throws<ObjectDisposedException>(() => resolved.Generate(new StillRequest("a blue square")));
    }
}
