using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VidPress.Core.Generation;

/// <summary>
/// Still generation speed on one execution provider: `generate cpu|cuda|cuda-tf32 [images] [sizes] [parallel]`,
/// e.g. `generate cuda 40 64,256,512 1`. It exits at once when the provider asked for is not the one running, so a number
/// never comes from a silent CPU fallback; it reproduces models/tiny-sd/reference.json on that provider (final
/// latents and pixels against the recorded run; exit code 3 at the end when missed, except under TF32, whose
/// drift it only reports). Then, per output size, it times sequential 20-step generations with guidance (two
/// warm-ups first) and prints images per second.
/// </summary>
internal static class GenerateBench
{
    public static int Run(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "cpu";
        var images = args.Length > 1 ? int.Parse(args[1]) : 20;
        var sizes = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [0];
        // Generations in flight at once on one generator (as a worker with several job slots runs them).
        var parallel = args.Length > 3 ? int.Parse(args[3]) : 1;
        var modelPath = Path.Combine(IngestBench.RepositoryRoot(), "models", "tiny-sd");
        var cuda = provider.StartsWith("cuda", StringComparison.Ordinal);
        var tf32 = provider == "cuda-tf32";
        var failed = false;
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

        // Reference first, at the model's native size.
        var reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelPath, "reference.json"))).RootElement;
        var options = new GenerationOptions { ModelPath = modelPath, PreferCuda = cuda, CudaTf32 = tf32, Steps = reference.GetProperty("steps").GetInt32(), GuidanceScale = reference.GetProperty("guidance_scale").GetSingle() };
        using (var generator = new StillGenerator(options, loggerFactory.CreateLogger<StillGenerator>()))
        {
            var expected = cuda ? StillGenerator.CudaProvider : StillGenerator.CpuProvider;
            Console.WriteLine($"provider asked: {provider}; running on: {generator.ActiveProvider}");
            if (generator.ActiveProvider != expected)
            {
                Console.Error.WriteLine($"FAIL: expected {expected}, the pipeline runs on {generator.ActiveProvider}");
                return 2;
            }
            var request = new StillRequest(reference.GetProperty("prompt").GetString()!) { NegativePrompt = reference.GetProperty("negative_prompt").GetString()! };
            var still = generator.Generate(request, Floats(reference.GetProperty("initial_noise")));
            var latentError = MaxAbs(still.FinalLatents, Floats(reference.GetProperty("final_latents")));
            var plane = still.Image.Width * still.Image.Height;
            var means = Floats(reference.GetProperty("image_channel_means"));
            var meanError = Enumerable.Range(0, 3).Max(c => Math.Abs(still.Pixels.AsSpan(c * plane, plane).ToArray().Average() - means[c]));
            Console.WriteLine($"reference.json on {generator.ActiveProvider}: max |latent - reference| {latentError:E2}, max |channel mean - reference| {meanError:E2} (tolerance 1e-3)");
            if ((latentError > 1e-3 || meanError > 1e-3) && !tf32)
            {
                Console.Error.WriteLine("FAIL: the reference run is not reproduced");
                failed = true;
            }
        }

        foreach (var size in sizes)
        {
            using var generator = new StillGenerator(new GenerationOptions { ModelPath = modelPath, PreferCuda = cuda, CudaTf32 = tf32, Width = size, Height = size }, loggerFactory.CreateLogger<StillGenerator>());
            var request = new StillRequest("a yellow square") { Seed = 7 };
            for (var i = 0; i < 2; i++) generator.Generate(request with { Seed = i });
            var clock = Stopwatch.StartNew();
            Parallel.For(0, images, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => generator.Generate(request with { Seed = 100 + i }));
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{provider} {generator.Width}x{generator.Height}, {options.Steps} steps, guidance {options.GuidanceScale}, {parallel} at a time: {images} images in {seconds:F2} s = {images / seconds:F2} images/s");
        }
        return failed ? 3 : 0;
    }

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static double MaxAbs(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
