using System.Text;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>Which API key a fuzzed request carries.</summary>
public enum FuzzKey { Own, None, Wrong }

/// <summary>One part of a multipart body, written byte for byte (names and file names are not escaped: hostile ones break the framing on purpose).</summary>
public sealed record FormPart(string Name, string? FileName, byte[] Bytes, string? ContentType, bool FileNameStar = false);

/// <summary>One generated request: sent as it is, printed in full (long values shortened) when it fails a property.</summary>
public sealed class FuzzRequest
{
    public required ApiOperation Operation { get; init; }
    public required string Method { get; init; }
    /// <summary>Path and query, already escaped as it goes on the wire.</summary>
    public required string Target { get; init; }
    public List<(string Name, string Value)> Headers { get; } = [];
    public FuzzKey Key { get; init; }
    /// <summary>The Content-Type header; null sends none.</summary>
    public string? ContentType { get; set; }
    public string? Text { get; set; }
    public List<FormPart>? Form { get; set; }
    public string? Boundary { get; set; }

    public byte[]? BodyBytes()
    {
        if (Text is not null) return Encoding.UTF8.GetBytes(Text);
        if (Form is null) return null;
        var body = new MemoryStream();
        void Write(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        foreach (var part in Form)
        {
            Write($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{part.Name}\"");
            if (part.FileName is not null)
                Write(part.FileNameStar ? $"; filename*=UTF-8''{Uri.EscapeDataString(part.FileName)}" : $"; filename=\"{part.FileName}\"");
            Write("\r\n");
            if (part.ContentType is not null) Write($"Content-Type: {part.ContentType}\r\n");
            Write("\r\n");
            body.Write(part.Bytes);
            Write("\r\n");
        }
        Write($"--{Boundary}--\r\n");
        return body.ToArray();
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Target, UriKind.Relative));
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (BodyBytes() is { } bytes)
        {
            message.Content = new ByteArrayContent(bytes);
            message.Content.Headers.ContentType = null;
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    /// <summary>How big the request is, for CsCheck's size: smaller failing requests replace larger ones.</summary>
    public ulong Length =>
        (ulong)(Target.Length + Headers.Sum(h => h.Name.Length + h.Value.Length + 4) + (Text?.Length ?? 0)
                + (Form?.Sum(p => p.Name.Length + (p.FileName?.Length ?? 0) + p.Bytes.Length + 60) ?? 0) + (Key == FuzzKey.Own ? 0 : 1));

    public override string ToString()
    {
        var sb = new StringBuilder().Append(Method).Append(' ').Append(Shorten(Target, 300));
        if (Key != FuzzKey.Own) sb.Append("  [API key: ").Append(Key == FuzzKey.None ? "none" : "wrong").Append(']');
        foreach (var (name, value) in Headers) sb.Append("\n  ").Append(name).Append(": ").Append(Shorten(value, 120));
        if (Text is not null || Form is not null) sb.Append("\n  Content-Type: ").Append(ContentType ?? "(none)");
        if (Text is not null) sb.Append("\n  body (").Append(Text.Length).Append(" chars): ").Append(Shorten(Text, 600));
        foreach (var part in Form ?? [])
        {
            sb.Append("\n  part ").Append(Shorten(part.Name, 60));
            if (part.FileName is not null) sb.Append(" file ").Append(Visible(Shorten(part.FileName, 80))).Append(part.FileNameStar ? " (filename*)" : "");
            if (part.ContentType is not null) sb.Append(" [").Append(part.ContentType).Append(']');
            sb.Append(part.FileName is null ? " = " + Shorten(Encoding.UTF8.GetString(part.Bytes), 200) : $" ({part.Bytes.Length} bytes)");
        }
        return sb.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters, controls and invisible characters shown as \u escapes.</summary>
    public static string Shorten(string s, int max) =>
        Visible(s.Length <= max ? s : s[..(max / 2)] + $"…({s.Length} chars)…" + s[^(max / 4)..]);

    private static string Visible(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(c is < ' ' or '\u007F' or (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
                or '\uFEFF' or (>= '\ud800' and <= '\udfff') ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }
}
