using System.Text.Json;
using HfTokenizer = Tokenizers.DotNet.Tokenizer;

namespace VidPress.Core.Embeddings;

/// <summary>Token ids for one text, padded to the model's context length, with its attention mask.</summary>
public sealed record ClipTokens(long[] InputIds, long[] AttentionMask, int Length);

/// <summary>
/// CLIP's byte-level BPE as the model folder's <c>tokenizer.json</c> describes it (normalisation, split
/// regex, <c>&lt;/w&gt;</c> word ends), run by the Hugging Face tokenizers library so the ids are the
/// reference ones rather than a re-implementation's.
/// </summary>
public sealed class ClipTokenizer : IDisposable
{
    /// <summary>CLIP's text context: position embeddings exist for 77 tokens only.</summary>
    public const int ContextLength = 77;

    private readonly HfTokenizer _tokenizer;

    private ClipTokenizer(HfTokenizer tokenizer, uint startId, uint endId)
    {
        _tokenizer = tokenizer;
        StartId = startId;
        EndId = endId;
    }

    public uint StartId { get; }

    /// <summary>The end-of-text id; CLIP also pads with it.</summary>
    public uint EndId { get; }

    /// <summary>Loads <c>tokenizer.json</c> from a CLIP model folder.</summary>
    public static ClipTokenizer Load(string modelFolder)
    {
        var path = Path.Combine(modelFolder, "tokenizer.json");
        if (!File.Exists(path)) throw new FileNotFoundException("CLIP tokenizer.json not found", path);
        var (startId, endId) = ReadSpecialIds(path);
        return new ClipTokenizer(new HfTokenizer(vocabPath: path), startId, endId);
    }

    /// <summary>Ids with start and end tokens, at most <see cref="ContextLength"/>, unpadded.</summary>
    public IReadOnlyList<uint> EncodeIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoded = _tokenizer.Encode(text);
        // The post-processor in tokenizer.json adds the start and end tokens; check rather than trust it,
        // so a tokenizer.json without one still gives what the model was trained on.
        var body = encoded.AsSpan();
        if (body.Length > 0 && body[0] == StartId) body = body[1..];
        if (body.Length > 0 && body[^1] == EndId) body = body[..^1];
        var length = Math.Min(body.Length, ContextLength - 2);
        var ids = new uint[length + 2];
        ids[0] = StartId;
        body[..length].CopyTo(ids.AsSpan(1));
        // Truncation keeps the end token: the text model pools at its position.
        ids[^1] = EndId;
        return ids;
    }

    /// <summary>Ids padded to <see cref="ContextLength"/> with the end token, and the attention mask.</summary>
    public ClipTokens Encode(string text)
    {
        var ids = EncodeIds(text);
        var inputIds = new long[ContextLength];
        var mask = new long[ContextLength];
        for (var i = 0; i < ContextLength; i++)
        {
            inputIds[i] = i < ids.Count ? ids[i] : EndId;
            mask[i] = i < ids.Count ? 1 : 0;
        }
        return new ClipTokens(inputIds, mask, ids.Count);
    }

    public void Dispose() => (_tokenizer as IDisposable)?.Dispose();

    private static (uint Start, uint End) ReadSpecialIds(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        uint? start = null, end = null;
        if (root.TryGetProperty("post_processor", out var post) && post.ValueKind == JsonValueKind.Object
            && post.TryGetProperty("cls", out var cls) && post.TryGetProperty("sep", out var sep))
        {
            start = cls[1].GetUInt32();
            end = sep[1].GetUInt32();
        }
        if (root.TryGetProperty("added_tokens", out var added))
        {
            foreach (var token in added.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString();
                var id = token.GetProperty("id").GetUInt32();
                if (content == "<|startoftext|>") start ??= id;
                else if (content == "<|endoftext|>") end ??= id;
            }
        }
        if (start is null || end is null)
            throw new InvalidDataException($"{path}: no <|startoftext|>/<|endoftext|> tokens; not a CLIP tokenizer");
        return (start.Value, end.Value);
    }
}
