using System.Diagnostics;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;

/// <summary>
/// CLIP image embedding time per keyframe, the tiny test model against the ViT-B/32 vision architecture
/// (<see cref="VitB32Model"/>, random weights): `clip [images=30] [rounds=5] [cpu|cuda]`. With cuda it exits 2 unless
/// the models run on the CUDA provider, and 3 unless the tiny model's CUDA image embeddings match the CPU's. Each model embeds the same 640×360
/// frames (the ingest's candidate size) through the service's ClipModel (preprocessing, batches of 16), after one
/// unmeasured round. The ViT-B/32 folder is the tiny model's with vision_model.onnx replaced, kept in
/// VIDPRESS_BENCH_WORK/vit-b32 so the ingest benchmark can use it too (VIDPRESS_BENCH_CLIP).
/// </summary>
internal static class ClipBench
{
    public static int Run(string[] args, string repositoryRoot)
    {
        var images = args.Length > 0 ? int.Parse(args[0]) : 30;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
        var cuda = args.Length > 2 && args[2] == "cuda";
        var tiny = Path.Combine(repositoryRoot, "models", "tiny-clip");
        var vit = EnsureVitB32(tiny);
        var random = new Random(5);
        var frames = Enumerable.Range(0, images).Select(_ =>
        {
            var pixels = new byte[640 * 360 * 3];
            random.NextBytes(pixels);
            return new RgbImage(640, 360, pixels);
        }).ToList();
        if (cuda)
        {
            using var onCpu = new ClipModel(new ClipOptions { ModelPath = tiny });
            using var onGpu = new ClipModel(new ClipOptions { ModelPath = tiny, PreferCuda = true });
            if (onGpu.ExecutionProvider != "CUDA")
            {
                Console.Error.WriteLine($"FAIL: CLIP runs on {onGpu.ExecutionProvider}, not CUDA");
                return 2;
            }
            var cpuEmbeddings = onCpu.EmbedImages(frames);
            var gpuEmbeddings = onGpu.EmbedImages(frames);
            var worst = cpuEmbeddings.Zip(gpuEmbeddings).Min(p => p.First.Zip(p.Second).Sum(x => (double)x.First * x.Second));
            Console.WriteLine($"tiny model, CUDA against CPU: lowest cosine similarity of {images} image embeddings {worst:F6}");
            if (worst < 0.999) return 3;
        }
        foreach (var (name, folder) in new[] { ("tiny (2 layers, width 64)", tiny), ("ViT-B/32 (12 layers, width 768)", vit) })
        {
            using var model = new ClipModel(new ClipOptions { ModelPath = folder, PreferCuda = cuda });
            model.EmbedImages(frames);
            var clock = Stopwatch.StartNew();
            for (var r = 0; r < rounds; r++) model.EmbedImages(frames);
            var perImage = clock.Elapsed.TotalMilliseconds / (rounds * images);
            clock.Restart();
            for (var i = 0; i < 10; i++) model.EmbedImages([frames[i % images]]);
            var single = clock.Elapsed.TotalMilliseconds / 10;
            Console.WriteLine($"{name} on {model.ExecutionProvider}: {perImage:F2} ms per image in batches of 16, {single:F2} ms for one image alone ({Environment.ProcessorCount} cores); 30 keyframes per minute of footage = {perImage * 30 / 1000:F2} s");
        }
        return 0;
    }

    /// <summary>The ViT-B/32 model folder, written once (about 350 MB).</summary>
    public static string EnsureVitB32(string tinyFolder)
    {
        var work = Environment.GetEnvironmentVariable("VIDPRESS_BENCH_WORK") ?? Path.Combine(Path.GetTempPath(), "vidpress-ingest-bench");
        var folder = Path.Combine(work, "vit-b32");
        var model = Path.Combine(folder, "vision_model.onnx");
        if (File.Exists(model)) return folder;
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(tinyFolder).Where(f => Path.GetFileName(f) != "vision_model.onnx"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        var parameters = VitB32Model.Write(model + ".tmp");
        File.Move(model + ".tmp", model);
        Console.WriteLine($"wrote {model}: {parameters / 1e6:F2} M parameters (CLIP ViT-B/32's vision tower with projection has 87.8 M)");
        return folder;
    }
}
