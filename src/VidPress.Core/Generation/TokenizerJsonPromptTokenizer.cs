using Tokenizers.DotNet;

namespace VidPress.Core.Generation;

/// <summary>
/// <see cref="IPromptTokenizer"/> over a Hugging Face tokenizer.json, run by the Rust tokenizers library so that
/// CLIP's normaliser, split regex and BPE merges are the reference implementation's own.
/// </summary>
public sealed class TokenizerJsonPromptTokenizer : IPromptTokenizer, IDisposable
{
    private readonly Tokenizer _tokenizer;
    // The native handle is not documented as safe for concurrent use, while generation may run in parallel.
    private readonly Lock _gate = new();
    private readonly int _startId;
    private readonly int _endId;

    public TokenizerJsonPromptTokenizer(string tokenizerJsonPath, int startId, int endId)
    {
        if (!File.Exists(tokenizerJsonPath)) throw new FileNotFoundException("tokenizer.json not found", tokenizerJsonPath);
        _tokenizer = new Tokenizer(vocabPath: tokenizerJsonPath);
        _startId = startId;
        _endId = endId;
    }

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        uint[] raw;
        lock (_gate) raw = _tokenizer.Encode(text);
        var ids = new List<int>(raw.Length + 2);
        foreach (var id in raw) ids.Add(checked((int)id));
        // Whether the wrapper applies tokenizer.json's post-processor differs between versions; the contract is start..end either way.
        if (ids.Count == 0 || ids[0] != _startId) ids.Insert(0, _startId);
        if (ids.Count == 1 || ids[^1] != _endId) ids.Add(_endId);
        return [.. ids];
    }

    public void Dispose()
    {
        lock (_gate) _tokenizer.Dispose();
    }
}
