namespace VidPress.Core.Generation;

/// <summary>Settings of the still generator, bound from the "Generation" configuration section.</summary>
public sealed class GenerationOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Generation";

    /// <summary>Folder in the public ONNX Stable Diffusion layout (model_index.json, tokenizer/, text_encoder/, unet/, vae_decoder/, scheduler/).</summary>
    [Set]
    public string ModelPath { get; set; } = "models/tiny-sd";

    /// <summary>
    /// Whether this deployment generates stills at all (some worker serves the "gpu" queue). Tenants and
    /// requests then opt in; when off, sentences without a fitting shot keep their title cards.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// How a sentence's subject becomes a prompt ({0} is the subject). The tiny test model knows only
    /// "a {colour} {shape}"; for SD-Turbo something like "a news photograph of {0}, natural light" suits.
    /// </summary>
    public string PromptTemplate { get; set; } = "a {0}";

    /// <summary>Try the CUDA execution provider first; the CPU provider is used when CUDA cannot be loaded.</summary>
    public bool PreferCuda { get; set; }

    /// <summary>
    /// Let cuBLAS and cuDNN use TF32 tensor cores (Ampere and newer) on the CUDA provider: faster on large models, but
    /// results drift from the CPU's by about 1e-3 (measured: 3.4e-3 in the tiny model's final latents on an H200).
    /// Off by default, so one seed draws the same still on every worker and the reference run is reproduced.
    /// </summary>
    public bool CudaTf32 { get; set; }

    [Between(1, 1000)]
    public int Steps { get; set; } = 20;

    /// <summary>Classifier-free guidance weight; at or below 1 the unconditional pass is skipped, as SD-Turbo expects.</summary>
    [Between(0, 50)]
    public float GuidanceScale { get; set; } = 4;

    /// <summary>"euler" (EulerDiscreteScheduler as scheduler_config.json describes it) or "lcm" (few-step LCMScheduler).</summary>
    public string Scheduler { get; set; } = "euler";

    /// <summary>Output size in pixels; 0 takes the model's native size.</summary>
    [Between(0, 4096)]
    public int Width { get; set; }

    [Between(0, 4096)]
    public int Height { get; set; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (!PromptTemplate.Contains("{0}", StringComparison.Ordinal))
            yield return new("must hold {0}, where the sentence's subject goes.", [nameof(PromptTemplate)]);
        if (!DiffusionSchedulers.IsKnown(Scheduler))
            yield return new($"must be \"euler\" or \"lcm\"; it is \"{Scheduler}\".", [nameof(Scheduler)]);
    }

    /// <summary>A copy of every setting with the model folder resolved (relative paths are taken from the content root).</summary>
    public GenerationOptions WithModelPath(string modelPath)
    {
        var copy = (GenerationOptions)MemberwiseClone();
        copy.ModelPath = modelPath;
        return copy;
    }
}
