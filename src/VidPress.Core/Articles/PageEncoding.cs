using System.Text;

namespace VidPress.Core.Articles;

/// <summary>
/// Which encoding a fetched page is in, as a browser decides it (WHATWG Encoding and HTML "determining the character
/// encoding"): a byte order mark, else the HTTP header's charset, else a &lt;meta&gt; in the first 1024 bytes, else what the bytes themselves
/// read as (UTF-8, GB18030, windows-1252).
/// Labels map as the Encoding standard maps them: gb2312 and gbk are decoded as gb18030 (their superset), latin-1 as
/// windows-1252, a meta that claims UTF-16 as UTF-8.
/// </summary>
internal static class PageEncoding
{
    private const int PrescanBytes = 1024;

    static PageEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(byte[] bytes, string? headerCharset)
    {
        var (encoding, skip) = Sniff(bytes, headerCharset);
        return encoding.GetString(bytes, skip, bytes.Length - skip);
    }

    public static (Encoding Encoding, int BomLength) Sniff(byte[] bytes, string? headerCharset)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) return (new UTF8Encoding(false), 3);
        if (bytes is [0xFE, 0xFF, ..]) return (Encoding.BigEndianUnicode, 2);
        if (bytes is [0xFF, 0xFE, ..]) return (Encoding.Unicode, 2);
        if (FromLabel(headerCharset) is { } header) return (header, 0);
        if (FromLabel(Prescan(bytes)) is { } meta)
            // A page's own bytes cannot be UTF-16 if its meta was readable as ASCII: the standard reads those as UTF-8.
            return (meta is UnicodeEncoding ? Encoding.UTF8 : meta, 0);
        return (Undeclared(bytes), 0);
    }

    /// <summary>
    /// No declaration anywhere: the standard leaves the choice to the user agent, and browsers look at the bytes. Valid
    /// UTF-8 is UTF-8; bytes that are not, but read cleanly as GB18030 (the Chinese sites this service reads that
    /// declare nothing), are GB18030; anything else windows-1252, the web's legacy default.
    /// </summary>
    private static Encoding Undeclared(byte[] bytes)
    {
        if (Reads(bytes, new UTF8Encoding(false, true))) return new UTF8Encoding(false);
        var gb = Encoding.GetEncoding("gb18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        if (Reads(bytes, gb)) return Encoding.GetEncoding("gb18030");
        return Encoding.GetEncoding("windows-1252");
    }

    private static bool Reads(byte[] bytes, Encoding strict)
    {
        try
        {
            strict.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>An encoding for a label, or null for an unknown or missing one.</summary>
    public static Encoding? FromLabel(string? label)
    {
        var name = label?.Trim().Trim('"', '\'').Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(name)) return null;
        name = name switch
        {
            "gb2312" or "gbk" or "x-gbk" or "chinese" or "csgb2312" or "csiso58gb231280" or "gb_2312" or "gb_2312-80" or "iso-ir-58" => "gb18030",
            "iso-8859-1" or "latin1" or "l1" or "ascii" or "us-ascii" or "iso8859-1" or "iso_8859-1" or "cp1252" or "windows-1252" or "x-cp1252" => "windows-1252",
            "big5-hkscs" or "cn-big5" or "x-x-big5" or "csbig5" => "big5",
            "utf8" or "unicode-1-1-utf-8" => "utf-8",
            _ => name,
        };
        try { return name == "utf-8" ? new UTF8Encoding(false) : Encoding.GetEncoding(name); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>The prescan: the charset of the first &lt;meta charset&gt; or &lt;meta http-equiv=content-type content="...; charset=..."&gt; outside comments.</summary>
    internal static string? Prescan(byte[] bytes)
    {
        var head = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, PrescanBytes));
        var i = 0;
        while (i < head.Length)
        {
            if (string.CompareOrdinal(head, i, "<!--", 0, 4) == 0)
            {
                var end = head.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0) return null;
                i = end + 3;
                continue;
            }
            if (head[i] == '<' && i + 5 < head.Length && head.AsSpan(i + 1, 4).Equals("meta", StringComparison.OrdinalIgnoreCase)
                && (char.IsWhiteSpace(head[i + 5]) || head[i + 5] == '/'))
            {
                var (charset, next) = MetaCharset(head, i + 5);
                if (charset is not null) return charset;
                i = next;
                continue;
            }
            i++;
        }
        return null;
    }

    private static (string? Charset, int Next) MetaCharset(string head, int i)
    {
        string? charset = null, content = null;
        var pragma = false;
        while (i < head.Length && head[i] != '>')
        {
            while (i < head.Length && (char.IsWhiteSpace(head[i]) || head[i] == '/')) i++;
            var start = i;
            while (i < head.Length && head[i] is not ('=' or '>') && !char.IsWhiteSpace(head[i]) && head[i] != '/') i++;
            var name = head[start..i].ToLowerInvariant();
            while (i < head.Length && char.IsWhiteSpace(head[i])) i++;
            var value = "";
            if (i < head.Length && head[i] == '=')
            {
                i++;
                while (i < head.Length && char.IsWhiteSpace(head[i])) i++;
                if (i < head.Length && head[i] is '"' or '\'')
                {
                    var quote = head[i];
                    var end = head.IndexOf(quote, i + 1);
                    if (end < 0) return (null, head.Length);
                    value = head[(i + 1)..end];
                    i = end + 1;
                }
                else
                {
                    start = i;
                    while (i < head.Length && head[i] != '>' && !char.IsWhiteSpace(head[i])) i++;
                    value = head[start..i];
                }
            }
            if (name.Length == 0 && value.Length == 0) { i++; continue; }
            switch (name)
            {
                case "charset": charset ??= value; break;
                case "content": content ??= value; break;
                case "http-equiv": pragma |= value.Equals("content-type", StringComparison.OrdinalIgnoreCase); break;
            }
        }
        if (charset is not null) return (charset, i);
        if (pragma && content is not null) return (CharsetInContent(content), i);
        return (null, i);
    }

    /// <summary>"text/html; charset=gb2312" to "gb2312".</summary>
    private static string? CharsetInContent(string content)
    {
        var at = content.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        var rest = content[(at + 7)..].TrimStart();
        if (!rest.StartsWith('=')) return null;
        rest = rest[1..].TrimStart();
        if (rest.Length == 0) return null;
        if (rest[0] is '"' or '\'')
        {
            var end = rest.IndexOf(rest[0], 1);
            return end < 0 ? null : rest[1..end];
        }
        var stop = rest.IndexOfAny([';', ' ', '\t', '\n', '\r']);
        return stop < 0 ? rest : rest[..stop];
    }
}
