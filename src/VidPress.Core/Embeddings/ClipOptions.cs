namespace VidPress.Core.Embeddings;

/// <summary>Where the CLIP model lives and how to run it; bound from the "Clip" configuration section.</summary>
public sealed class ClipOptions
{
    public const string SectionName = "Clip";

    /// <summary>
    /// The model folder (text_model.onnx, vision_model.onnx, tokenizer.json, preprocessor_config.json). A relative
    /// path is looked up under the content root, then under AppContext.BaseDirectory and each folder above it.
    /// </summary>
    [Set]
    public string ModelPath { get; set; } = "models/tiny-clip";

    /// <summary>Try ONNX Runtime's CUDA provider first; without a GPU or the CUDA build it falls back to CPU.</summary>
    public bool PreferCuda { get; set; }

    /// <summary>Texts or images per model run.</summary>
    [Between(1, 1024)]
    public int BatchSize { get; set; } = 16;
}
