using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VidPress.Core.Media;

namespace VidPress.Core.Embeddings;

/// <summary>
/// CLIP text and image embeddings, L2-normalised so that a dot product is the cosine similarity.
/// One ONNX Runtime session per model, created here once and shared: Run is thread-safe.
/// </summary>
public sealed class ClipModel : IDisposable
{
    private const string TextModelFile = "text_model.onnx";
    private const string VisionModelFile = "vision_model.onnx";

    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly ClipTokenizer _tokenizer;
    private readonly ClipImagePreprocessor _preprocessor;
    private readonly InferenceSession _textSession;
    private readonly InferenceSession _visionSession;
    private readonly string _idsInput;
    private readonly TensorElementType _idsType;
    private readonly string? _maskInput;
    private readonly TensorElementType _maskType;
    private readonly string _textOutput;
    private readonly string _pixelsInput;
    private readonly string _imageOutput;
    private int _disposed;

    public ClipModel(ClipOptions options, ILogger<ClipModel>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _batchSize = options.BatchSize;
        var folder = Path.GetFullPath(options.ModelPath);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"CLIP model folder not found: {folder}");

        _preprocessor = ClipImagePreprocessor.Load(folder);
        _tokenizer = ClipTokenizer.Load(folder);
        try
        {
            (_textSession, var textProvider) = CreateSession(Path.Combine(folder, TextModelFile), options.PreferCuda);
            (_visionSession, _) = CreateSession(Path.Combine(folder, VisionModelFile), options.PreferCuda && textProvider == "CUDA");
            ExecutionProvider = textProvider;

            var textInputs = _textSession.InputMetadata;
            _idsInput = textInputs.ContainsKey("input_ids") ? "input_ids" : textInputs.Keys.First();
            _idsType = IntegerType(textInputs[_idsInput], _idsInput);
            _maskInput = textInputs.ContainsKey("attention_mask") ? "attention_mask" : null;
            _maskType = _maskInput is null ? TensorElementType.Int64 : IntegerType(textInputs[_maskInput], _maskInput);
            _textOutput = OutputName(_textSession, "text_embeds");

            var visionInputs = _visionSession.InputMetadata;
            _pixelsInput = visionInputs.ContainsKey("pixel_values") ? "pixel_values" : visionInputs.Keys.First();
            if (visionInputs[_pixelsInput].ElementDataType != TensorElementType.Float)
                throw new NotSupportedException($"{VisionModelFile}: input {_pixelsInput} is {visionInputs[_pixelsInput].ElementDataType}; only float32 is supported");
            _imageOutput = OutputName(_visionSession, "image_embeds");

            var textDimensions = _textSession.OutputMetadata[_textOutput].Dimensions[^1];
            var imageDimensions = _visionSession.OutputMetadata[_imageOutput].Dimensions[^1];
            if (textDimensions > 0 && imageDimensions > 0 && textDimensions != imageDimensions)
                throw new InvalidDataException($"text embeddings have {textDimensions} dimensions, image embeddings {imageDimensions}");
            Dimensions = textDimensions > 0 ? textDimensions : EmbedTexts([""])[0].Length;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Length of every embedding (512 for ViT-B/32 and the tiny test model).</summary>
    public int Dimensions { get; }

    /// <summary>"CUDA" or "CPU": where the models run.</summary>
    public string ExecutionProvider { get; } = "CPU";

    public float[] EmbedText(string text) => EmbedTexts([text])[0];

    public IReadOnlyList<float[]> EmbedTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var embeddings = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, texts.Count - start);
            var length = ClipTokenizer.ContextLength;
            var ids = new long[count * length];
            var mask = new long[count * length];
            for (var i = 0; i < count; i++)
            {
                var tokens = _tokenizer.Encode(texts[start + i]);
                tokens.InputIds.CopyTo(ids, i * length);
                tokens.AttentionMask.CopyTo(mask, i * length);
            }
            long[] shape = [count, length];
            using var idsValue = IntegerTensor(ids, shape, _idsType);
            using var maskValue = IntegerTensor(mask, shape, _maskType);
            var names = _maskInput is null ? new[] { _idsInput } : [_idsInput, _maskInput];
            var values = _maskInput is null ? new[] { idsValue } : [idsValue, maskValue];
            embeddings.AddRange(Run(_textSession, names, values, _textOutput, count));
        }
        return embeddings;
    }

    public IReadOnlyList<float[]> EmbedImages(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var embeddings = new List<float[]>(images.Count);
        var perImage = _preprocessor.ValuesPerImage;
        for (var start = 0; start < images.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, images.Count - start);
            var pixels = new float[count * perImage];
            Parallel.For(0, count, i => _preprocessor.PreprocessInto(images[start + i], pixels.AsSpan(i * perImage, perImage)));
            using var pixelValue = OrtValue.CreateTensorValueFromMemory(pixels, [count, 3, _preprocessor.CropHeight, _preprocessor.CropWidth]);
            embeddings.AddRange(Run(_visionSession, [_pixelsInput], [pixelValue], _imageOutput, count));
        }
        return embeddings;
    }

    public void Dispose()
    {
        // The tokenizer's native handle must be freed exactly once, whoever else calls Dispose.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _textSession?.Dispose();
        _visionSession?.Dispose();
        _tokenizer?.Dispose();
    }

    private static List<float[]> Run(InferenceSession session, string[] inputNames, OrtValue[] inputs, string outputName, int count)
    {
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, inputNames, inputs, [outputName]);
        var output = outputs[0];
        var data = output.GetTensorDataAsSpan<float>();
        var dimensions = data.Length / count;
        var embeddings = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var embedding = data.Slice(i * dimensions, dimensions).ToArray();
            Normalize(embedding);
            embeddings.Add(embedding);
        }
        return embeddings;
    }

    internal static void Normalize(float[] vector)
    {
        double sum = 0;
        foreach (var v in vector) sum += (double)v * v;
        if (sum == 0) return;
        var scale = (float)(1 / Math.Sqrt(sum));
        for (var i = 0; i < vector.Length; i++) vector[i] *= scale;
    }

    private (InferenceSession Session, string Provider) CreateSession(string path, bool preferCuda)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("CLIP model file not found", path);
        if (preferCuda)
        {
            try
            {
                // TF32 as the provider defaults to: embeddings only need to rank alike.
                using var cudaOptions = CudaSessionOptions.Create(tf32: true);
                return (new InferenceSession(path, cudaOptions), "CUDA");
            }
            // The CPU-only ONNX Runtime build throws when asked for CUDA, and the CUDA build throws at session creation without a GPU.
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                _logger.LogWarning(e, "CUDA is not available for {Model}; running it on the CPU", Path.GetFileName(path));
            }
        }
        using var cpuOptions = new SessionOptions();
        return (new InferenceSession(path, cpuOptions), "CPU");
    }

    private static TensorElementType IntegerType(NodeMetadata metadata, string name) => metadata.ElementDataType switch
    {
        TensorElementType.Int64 or TensorElementType.Int32 => metadata.ElementDataType,
        var other => throw new NotSupportedException($"{TextModelFile}: input {name} is {other}; expected int64 or int32"),
    };

    private static OrtValue IntegerTensor(long[] values, long[] shape, TensorElementType type) => type == TensorElementType.Int32
        ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(values, v => (int)v), shape)
        : OrtValue.CreateTensorValueFromMemory(values, shape);

    private static string OutputName(InferenceSession session, string preferred) =>
        session.OutputMetadata.ContainsKey(preferred) ? preferred : session.OutputMetadata.Keys.First();
}
