using Microsoft.ML.OnnxRuntime;

namespace VidPress.Core.Embeddings;

/// <summary>Session options for ONNX Runtime's CUDA provider, as every model of the service asks for it.</summary>
public static class CudaSessionOptions
{
    /// <summary>
    /// Options that run a session on the CUDA provider. <paramref name="tf32"/> lets cuBLAS and cuDNN use TF32
    /// tensor cores (the provider's own default): faster on large models, ~1e-3 away from the CPU's results.
    /// The CPU-only runtime throws here already; the CUDA build throws at session creation without a GPU.
    /// </summary>
    public static SessionOptions Create(bool tf32)
    {
        var options = new SessionOptions();
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["use_tf32"] = tf32 ? "1" : "0" });
            options.AppendExecutionProvider_CUDA(cuda);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
