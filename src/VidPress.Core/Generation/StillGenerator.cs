using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VidPress.Core.Media;

namespace VidPress.Core.Generation;

/// <summary>
/// Text-to-image for newsroom stills with an ONNX Stable Diffusion export (text encoder, UNet, VAE decoder):
/// classifier-free guidance with the negative prompt first in the batch, Euler or LCM scheduling, and the VAE's
/// scaling factor from vae_decoder/config.json. Sessions are created once; <see cref="Generate(StillRequest, CancellationToken)"/>
/// is safe to call concurrently because InferenceSession.Run is and the scheduler state is per call.
/// </summary>
public sealed class StillGenerator : IDisposable
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    // Every Stable Diffusion VAE downsamples by 8; the configs do not always say so.
    private const int VaeScaleFactor = 8;

    private readonly ILogger _logger;
    private readonly IPromptTokenizer _tokenizer;
    private readonly IDisposable? _ownedTokenizer;
    private readonly PromptTokenLayout _layout;
    private readonly SchedulerConfig _schedulerConfig;
    private readonly InferenceSession _textEncoder;
    private readonly InferenceSession _unet;
    private readonly InferenceSession _vaeDecoder;
    private readonly TextEncoderBinding _text;
    private readonly UnetBinding _unetBinding;
    private readonly DecoderBinding _decoder;
    private readonly float _scalingFactor;
    private readonly int _latentChannels;
    private readonly int _latentHeight;
    private readonly int _latentWidth;
    private volatile bool _disposed;

    public StillGenerator(GenerationOptions options, ILogger<StillGenerator>? logger = null, IPromptTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var root = options.ModelPath;
        if (!File.Exists(Path.Combine(root, "model_index.json")))
            throw new DirectoryNotFoundException($"no ONNX Stable Diffusion model (model_index.json) in '{Path.GetFullPath(root)}'");

        _layout = PromptTokenLayout.FromTokenizerFolder(Path.Combine(root, "tokenizer"));
        if (tokenizer is null)
        {
            var own = new TokenizerJsonPromptTokenizer(Path.Combine(root, "tokenizer", "tokenizer.json"), _layout.StartId, _layout.EndId);
            _tokenizer = own;
            _ownedTokenizer = own;
        }
        else
        {
            _tokenizer = tokenizer;
        }
        try
        {
            _schedulerConfig = SchedulerConfig.Load(Path.Combine(root, "scheduler", "scheduler_config.json"));
            // Fail at start-up rather than on the first request when the scheduler name or config is unusable.
            DiffusionSchedulers.Create(options.Scheduler, _schedulerConfig);

            var vaeConfig = ReadVaeConfig(Path.Combine(root, "vae_decoder", "config.json"));
            _scalingFactor = vaeConfig.ScalingFactor;

            (ActiveProvider, _textEncoder, _unet, _vaeDecoder) = CreateSessions(root, options.PreferCuda);
            _text = TextEncoderBinding.From(_textEncoder);
            _unetBinding = UnetBinding.From(_unet);
            _decoder = DecoderBinding.From(_vaeDecoder);

            var sampleDims = _unetBinding.SampleDimensions;
            _latentChannels = sampleDims.Length == 4 && sampleDims[1] > 0 ? sampleDims[1] : vaeConfig.LatentChannels;
            _latentHeight = LatentSize(options.Height, sampleDims.Length == 4 ? sampleDims[2] : -1, vaeConfig.SampleSize, "Height");
            _latentWidth = LatentSize(options.Width, sampleDims.Length == 4 ? sampleDims[3] : -1, vaeConfig.SampleSize, "Width");
        }
        catch
        {
            DisposeSessions();
            _ownedTokenizer?.Dispose();
            throw;
        }
        _logger.LogInformation("Still generator loaded {Model} on {Provider}: latents {Channels}x{Height}x{Width}, scheduler {Scheduler}",
            Path.GetFullPath(root), ActiveProvider, _latentChannels, _latentHeight, _latentWidth, options.Scheduler);
    }

    public GenerationOptions Options { get; }

    /// <summary><see cref="CudaProvider"/> or <see cref="CpuProvider"/>: where the models actually run.</summary>
    public string ActiveProvider { get; }

    public int Width => _latentWidth * VaeScaleFactor;

    public int Height => _latentHeight * VaeScaleFactor;

    /// <summary>Number of values in the initial noise: 1 × latent channels × latent height × latent width.</summary>
    public int NoiseLength => _latentChannels * _latentHeight * _latentWidth;

    /// <summary>The fixed-length ids the text encoder receives for <paramref name="text"/>.</summary>
    public int[] EncodePrompt(string text) => _layout.Pad(_tokenizer.Encode(text));

    public GeneratedStill Generate(StillRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var noise = new GaussianNoise(request.Seed);
        return Run(request, noise.Next(NoiseLength), noise, cancellationToken);
    }

    /// <summary>Generates from given unit-variance initial noise (NCHW, <see cref="NoiseLength"/> values), e.g. a reference run's.</summary>
    public GeneratedStill Generate(StillRequest request, ReadOnlySpan<float> initialNoise, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (initialNoise.Length != NoiseLength)
            throw new ArgumentException($"initial noise needs {NoiseLength} values ({_latentChannels}x{_latentHeight}x{_latentWidth}), got {initialNoise.Length}", nameof(initialNoise));
        return Run(request, initialNoise.ToArray(), new GaussianNoise(request.Seed), cancellationToken);
    }

    private GeneratedStill Run(StillRequest request, float[] initialNoise, GaussianNoise noise, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return RunPipeline(request, initialNoise, noise, cancellationToken);
        }
        catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            // RunOptions.Terminate surfaces as a runtime error; callers should see an ordinary cancellation.
            throw new OperationCanceledException("generation cancelled", e, cancellationToken);
        }
    }

    private GeneratedStill RunPipeline(StillRequest request, float[] initialNoise, GaussianNoise noise, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var steps = request.Steps ?? Options.Steps;
        var guidance = request.GuidanceScale ?? Options.GuidanceScale;
        // Guidance at or below 1 would only blend a prediction with itself; distilled models (SD-Turbo) are run without it.
        var guided = guidance > 1f;

        using var runOptions = new RunOptions();
        // Lets a cancelled request abandon a long UNet call on a real model instead of waiting for it.
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);

        var promptIds = EncodePrompt(request.Prompt);
        var negativeIds = EncodePrompt(request.NegativePrompt);
        var promptEmbedding = EncodeText(runOptions, promptIds, out var tokenCount, out var hiddenSize);
        float[] hiddenStates;
        if (guided)
        {
            var negativeEmbedding = EncodeText(runOptions, negativeIds, out _, out _);
            // Unconditional first, as the reference pipeline batches it.
            hiddenStates = [.. negativeEmbedding, .. promptEmbedding];
        }
        else
        {
            hiddenStates = promptEmbedding;
        }

        var scheduler = DiffusionSchedulers.Create(Options.Scheduler, _schedulerConfig);
        scheduler.SetTimesteps(steps);
        var sigma0 = scheduler.InitNoiseSigma;
        var latents = new float[initialNoise.Length];
        for (var i = 0; i < latents.Length; i++) latents[i] = initialNoise[i] * sigma0;

        long[] latentShape = [1, _latentChannels, _latentHeight, _latentWidth];
        var batch = guided ? 2 : 1;
        for (var step = 0; step < scheduler.Timesteps.Count; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var modelInput = scheduler.ScaleModelInput(latents, step);
            var t = scheduler.Timesteps[step];
            float[] noisePrediction;
            if (!guided)
            {
                noisePrediction = RunUnet(runOptions, modelInput, 1, t, hiddenStates, tokenCount, hiddenSize);
            }
            else
            {
                float[] both;
                if (_unetBinding.AcceptsBatch(batch))
                {
                    both = RunUnet(runOptions, [.. modelInput, .. modelInput], batch, t, hiddenStates, tokenCount, hiddenSize);
                }
                else
                {
                    var half = tokenCount * hiddenSize;
                    both = [
                        .. RunUnet(runOptions, modelInput, 1, t, hiddenStates[..half], tokenCount, hiddenSize),
                        .. RunUnet(runOptions, modelInput, 1, t, hiddenStates[half..], tokenCount, hiddenSize)];
                }
                noisePrediction = new float[latents.Length];
                var n = latents.Length;
                for (var i = 0; i < n; i++)
                {
                    var unconditional = both[i];
                    noisePrediction[i] = unconditional + guidance * (both[n + i] - unconditional);
                }
            }
            latents = scheduler.Step(noisePrediction, step, latents, noise);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var decoderInput = new float[latents.Length];
        for (var i = 0; i < latents.Length; i++) decoderInput[i] = latents[i] / _scalingFactor;
        var (decoded, width, height) = Decode(runOptions, decoderInput, latentShape);
        var pixels = new float[decoded.Length];
        for (var i = 0; i < decoded.Length; i++) pixels[i] = Math.Clamp(decoded[i] / 2f + 0.5f, 0f, 1f);

        var elapsed = Stopwatch.GetElapsedTime(started);
        _logger.LogDebug("Generated {Width}x{Height} still in {Steps} steps ({Elapsed} ms)", width, height, steps, elapsed.TotalMilliseconds);
        return new GeneratedStill(RgbImage.FromPlanar(pixels, width, height), pixels, latents, scheduler.Timesteps.ToArray(), promptIds, negativeIds, elapsed);
    }

    private float[] EncodeText(RunOptions runOptions, int[] ids, out int tokenCount, out int hiddenSize)
    {
        long[] shape = [1, ids.Length];
        using var input = _text.IdsType switch
        {
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(ids, shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ids, i => (long)i), shape),
            var other => throw new NotSupportedException($"text encoder input ids of type {other}"),
        };
        using var outputs = _textEncoder.Run(runOptions, [_text.IdsName], [input], [_text.HiddenStatesName]);
        var output = outputs[0];
        var outShape = output.GetTensorTypeAndShape().Shape;
        if (outShape.Length != 3) throw new InvalidDataException($"text encoder output {_text.HiddenStatesName} has shape [{string.Join(',', outShape)}], expected [1, tokens, hidden]");
        tokenCount = (int)outShape[1];
        hiddenSize = (int)outShape[2];
        return ReadFloats(output);
    }

    private float[] RunUnet(RunOptions runOptions, float[] sample, int batch, float timestep, float[] hiddenStates, int tokenCount, int hiddenSize)
    {
        var b = _unetBinding;
        using var sampleValue = CreateFloatTensor(sample, [batch, _latentChannels, _latentHeight, _latentWidth], b.SampleType);
        using var hiddenValue = CreateFloatTensor(hiddenStates, [batch, tokenCount, hiddenSize], b.HiddenStatesType);
        long[] timestepShape = b.TimestepDimensions.Length == 0 ? [] : [b.TimestepDimensions[0] > 0 ? b.TimestepDimensions[0] : batch];
        var timestepCount = timestepShape.Length == 0 ? 1 : (int)timestepShape[0];
        using var timestepValue = b.TimestepType switch
        {
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Filled(timestepCount, (long)timestep), timestepShape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Filled(timestepCount, (int)timestep), timestepShape),
            _ => CreateFloatTensor(Filled(timestepCount, timestep), timestepShape, b.TimestepType),
        };
        using var outputs = _unet.Run(runOptions, [b.SampleName, b.TimestepName, b.HiddenStatesName], [sampleValue, timestepValue, hiddenValue], [b.OutputName]);
        return ReadFloats(outputs[0]);
    }

    private (float[] Pixels, int Width, int Height) Decode(RunOptions runOptions, float[] latents, long[] shape)
    {
        using var input = CreateFloatTensor(latents, shape, _decoder.InputType);
        using var outputs = _vaeDecoder.Run(runOptions, [_decoder.InputName], [input], [_decoder.OutputName]);
        var outShape = outputs[0].GetTensorTypeAndShape().Shape;
        if (outShape.Length != 4 || outShape[1] != 3) throw new InvalidDataException($"VAE decoder output has shape [{string.Join(',', outShape)}], expected [1, 3, height, width]");
        return (ReadFloats(outputs[0]), (int)outShape[3], (int)outShape[2]);
    }

    private static T[] Filled<T>(int count, T value)
    {
        var array = new T[count];
        Array.Fill(array, value);
        return array;
    }

    private static OrtValue CreateFloatTensor(float[] data, long[] shape, TensorElementType type) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(data, shape),
        TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (Float16)v), shape),
        _ => throw new NotSupportedException($"tensor element type {type} where float or float16 was expected"),
    };

    private static float[] ReadFloats(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType switch
    {
        TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
        TensorElementType.Float16 => ToFloats(value.GetTensorDataAsSpan<Float16>()),
        var other => throw new NotSupportedException($"model output of type {other}"),
    };

    private static float[] ToFloats(ReadOnlySpan<Float16> half)
    {
        var result = new float[half.Length];
        for (var i = 0; i < half.Length; i++) result[i] = (float)half[i];
        return result;
    }

    private static int LatentSize(int requestedPixels, int fixedLatent, int vaeSampleSize, string name)
    {
        if (requestedPixels > 0)
        {
            if (requestedPixels % VaeScaleFactor != 0) throw new ArgumentException($"Generation:{name} must be a multiple of {VaeScaleFactor}, got {requestedPixels}");
            var latent = requestedPixels / VaeScaleFactor;
            if (fixedLatent > 0 && fixedLatent != latent) throw new ArgumentException($"Generation:{name} {requestedPixels} does not fit this UNet export, which is fixed at {fixedLatent * VaeScaleFactor}");
            return latent;
        }
        return fixedLatent > 0 ? fixedLatent : vaeSampleSize / VaeScaleFactor;
    }

    private (string Provider, InferenceSession Text, InferenceSession Unet, InferenceSession Vae) CreateSessions(string root, bool preferCuda)
    {
        if (preferCuda)
        {
            try
            {
                var (text, unet, vae) = OpenAll(root, cuda: true, Options.CudaTf32);
                return (CudaProvider, text, unet, vae);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The CPU-only runtime package, a host without a GPU and a missing cuDNN all end up here.
                _logger.LogWarning(e, "CUDA execution provider unavailable, generating on the CPU");
            }
        }
        var (cpuText, cpuUnet, cpuVae) = OpenAll(root, cuda: false, tf32: false);
        return (CpuProvider, cpuText, cpuUnet, cpuVae);
    }

    private static (InferenceSession, InferenceSession, InferenceSession) OpenAll(string root, bool cuda, bool tf32)
    {
        var opened = new List<InferenceSession>(3);
        try
        {
            foreach (var part in new[] { "text_encoder", "unet", "vae_decoder" })
            {
                using var options = cuda ? Embeddings.CudaSessionOptions.Create(tf32) : new SessionOptions();
                opened.Add(new InferenceSession(Path.Combine(root, part, "model.onnx"), options));
            }
            return (opened[0], opened[1], opened[2]);
        }
        catch
        {
            foreach (var session in opened) session.Dispose();
            throw;
        }
    }

    private static (float ScalingFactor, int LatentChannels, int SampleSize) ReadVaeConfig(string path)
    {
        // Defaults are SD 1.x's, for exports that ship no decoder config.
        float scaling = 0.18215f;
        int channels = 4, sampleSize = 512;
        if (!File.Exists(path)) return (scaling, channels, sampleSize);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        if (root.TryGetProperty("scaling_factor", out var s)) scaling = s.GetSingle();
        if (root.TryGetProperty("latent_channels", out var c)) channels = c.GetInt32();
        if (root.TryGetProperty("sample_size", out var z) && z.ValueKind == JsonValueKind.Number) sampleSize = z.GetInt32();
        return (scaling, channels, sampleSize);
    }

    private void DisposeSessions()
    {
        _textEncoder?.Dispose();
        _unet?.Dispose();
        _vaeDecoder?.Dispose();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeSessions();
        _ownedTokenizer?.Dispose();
    }

    private sealed record TextEncoderBinding(string IdsName, TensorElementType IdsType, string HiddenStatesName)
    {
        public static TextEncoderBinding From(InferenceSession session)
        {
            var inputs = session.InputMetadata;
            var ids = inputs.ContainsKey("input_ids") ? "input_ids" : inputs.Keys.First();
            var extra = inputs.Keys.Where(k => k != ids).ToList();
            if (extra.Count > 0) throw new NotSupportedException($"text encoder has inputs this pipeline does not feed: {string.Join(", ", extra)}");
            var output = session.OutputNames.Contains("last_hidden_state") ? "last_hidden_state" : session.OutputNames[0];
            return new TextEncoderBinding(ids, inputs[ids].ElementDataType, output);
        }
    }

    private sealed record UnetBinding(
        string SampleName, TensorElementType SampleType, int[] SampleDimensions,
        string TimestepName, TensorElementType TimestepType, int[] TimestepDimensions,
        string HiddenStatesName, TensorElementType HiddenStatesType,
        string OutputName)
    {
        public bool AcceptsBatch(int batch) => SampleDimensions.Length == 0 || SampleDimensions[0] <= 0 || SampleDimensions[0] == batch;

        public static UnetBinding From(InferenceSession session)
        {
            var inputs = session.InputMetadata;
            // Names are the diffusers export's; rank identifies them in exports that renamed them.
            string Find(string name, Func<NodeMetadata, bool> byShape) =>
                inputs.ContainsKey(name) ? name
                : inputs.FirstOrDefault(kv => byShape(kv.Value)).Key
                  ?? throw new NotSupportedException($"UNet has no '{name}' input (inputs: {string.Join(", ", inputs.Keys)})");
            var sample = Find("sample", m => m.Dimensions.Length == 4);
            var hidden = Find("encoder_hidden_states", m => m.Dimensions.Length == 3);
            var timestep = Find("timestep", m => m.Dimensions.Length <= 1);
            var extra = inputs.Keys.Except([sample, hidden, timestep]).ToList();
            // LCM-Dreamshaper's timestep_cond and SDXL's added conditions need code this pipeline does not have.
            if (extra.Count > 0) throw new NotSupportedException($"UNet has inputs this pipeline does not feed: {string.Join(", ", extra)}");
            return new UnetBinding(
                sample, inputs[sample].ElementDataType, inputs[sample].Dimensions,
                timestep, inputs[timestep].ElementDataType, inputs[timestep].Dimensions,
                hidden, inputs[hidden].ElementDataType,
                session.OutputNames[0]);
        }
    }

    private sealed record DecoderBinding(string InputName, TensorElementType InputType, string OutputName)
    {
        public static DecoderBinding From(InferenceSession session)
        {
            var name = session.InputMetadata.ContainsKey("latent_sample") ? "latent_sample" : session.InputNames[0];
            return new DecoderBinding(name, session.InputMetadata[name].ElementDataType, session.OutputNames[0]);
        }
    }
}
