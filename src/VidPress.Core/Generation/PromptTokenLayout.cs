using System.Text.Json;

namespace VidPress.Core.Generation;

/// <summary>
/// The fixed-length id layout a CLIP text encoder expects: start, prompt, end, then padding, at most
/// <see cref="MaxLength"/> ids. The pad token is read from the tokenizer's config because SD 1.x pads with
/// &lt;|endoftext|&gt; while SD 2.x and SD-Turbo pad with "!".
/// </summary>
public sealed record PromptTokenLayout(int StartId, int EndId, int PadId, int MaxLength)
{
    public int[] Pad(int[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new int[MaxLength];
        if (ids.Length >= MaxLength)
        {
            // Truncation must keep the end token: the text encoder pools or attends up to it.
            Array.Copy(ids, result, MaxLength - 1);
            result[MaxLength - 1] = EndId;
            return result;
        }
        Array.Copy(ids, result, ids.Length);
        Array.Fill(result, PadId, ids.Length, MaxLength - ids.Length);
        return result;
    }

    /// <summary>Reads tokenizer_config.json and tokenizer.json from a diffusers tokenizer folder.</summary>
    public static PromptTokenLayout FromTokenizerFolder(string folder)
    {
        var tokenizerJson = Path.Combine(folder, "tokenizer.json");
        using var tokenizerDoc = JsonDocument.Parse(File.ReadAllBytes(tokenizerJson));
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = tokenizerDoc.RootElement;
        if (root.TryGetProperty("model", out var model) && model.TryGetProperty("vocab", out var vocab) && vocab.ValueKind == JsonValueKind.Object)
            foreach (var entry in vocab.EnumerateObject()) ids[entry.Name] = entry.Value.GetInt32();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            foreach (var token in added.EnumerateArray()) ids[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();

        string bos = "<|startoftext|>", eos = "<|endoftext|>";
        string? pad = null;
        var maxLength = 77;
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(configPath))
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
            bos = TokenContent(config.RootElement, "bos_token") ?? bos;
            eos = TokenContent(config.RootElement, "eos_token") ?? eos;
            pad = TokenContent(config.RootElement, "pad_token");
            // Real exports store huge sentinels here when the limit is unknown; CLIP's context is 77.
            if (config.RootElement.TryGetProperty("model_max_length", out var max) && max.TryGetInt64(out var m) && m is > 0 and <= 4096)
                maxLength = (int)m;
        }
        int Lookup(string token) => ids.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"token {token} is not in {tokenizerJson}");
        var endId = Lookup(eos);
        return new PromptTokenLayout(Lookup(bos), endId, pad is null ? endId : Lookup(pad), maxLength);
    }

    private static string? TokenContent(JsonElement config, string name)
    {
        if (!config.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            // Newer transformers write AddedToken objects.
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }
}
