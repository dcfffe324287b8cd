using System.Text;
using CsCheck;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>The hostile values the fuzzer mixes into what the schema asks for, and a few helpers over CsCheck's PCG.</summary>
public static class Hostile
{
    /// <summary>Raw JSON number tokens, most of which System.Text.Json refuses or reads as infinities, zeros or overflows.</summary>
    public static readonly string[] NumberTokens =
    [
        "1e400", "-1e400", "NaN", "-NaN", "Infinity", "-Infinity", "1e-400", "-0", "-0.0", "0e0", "123456789012345678901234567890",
        "-123456789012345678901234567890", "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "1.7976931348623157e308", "-1.7976931348623157e308", "4.9e-324", "5e-324", "0.1e-9999999999",
        "1e9999999999", "0x10", "01", "+1", ".5", "1.", "1e", "--1", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "\"-0\"",
        "\"1e-400\"", "\" 5\"", "\"5 \"", "\"0x10\"", "\"\"",
    ];

    /// <summary>Strings (as .NET strings; the writers escape them) with NULs, lone surrogates, bidi overrides, paths and local URLs.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\t\r\n", "\u0000", "a\u0000b", "\u0000\u0000\u0000\u0000", "\ud800", "x\udfffy", "\udc00\ud800", "\u202Eevil.mp4\u202C",
        "\u202Dltr\u202C\u2066iso\u2069", "\u200B\u200C\u200D\u2060", "\uFEFFbom", "\uFFFF\uFFFE", "😀🎬", "e\u0301\u0301\u0301\u0301",
        "\u0007\u0008\u001B[31mred", "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/etc/passwd", "/proc/self/environ",
        "C:\\Windows\\System32\\drivers\\etc\\hosts", "\\\\server\\share\\x", "file:///etc/passwd", "file://localhost/etc/shadow",
        "http://127.0.0.1/", "http://127.0.0.1:55432/", "https://127.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost/", "http://0x7f000001/", "http://2130706433/", "http://0/",
        "http://10.0.0.1/", "http://192.168.1.1/", "http://user:pass@127.0.0.1/", "gopher://127.0.0.1:6379/_INFO", "ftp://127.0.0.1/",
        "javascript:alert(1)", "data:text/plain,hi", "//evil.example/", "http://", "http://exa mple.org/", "https://example.org/\u0000",
        "%00", "%2e%2e%2f%2e%2e%2f", "<script>alert(1)</script>", "' OR 1=1 --", "\"; DROP TABLE videos; --", "{{7*7}}", "${jndi:ldap://x/a}",
        "%s%s%s%n", "\r\nX-Injected: 1", "NaN", "Infinity", "-0", "1e400", "null", "true", "[]", "{}", "0000-00-00", "9999-12-31T23:59:59.9999999Z",
        "0001-01-01T00:00:00Z", "2024-02-30", "2027-01-31T25:61:61Z", "+275760-09-13T00:00:00Z", "-1", "16:9\u0000", " 16:9 ", "16：9",
        "720P", "1080p ", "Auto", "crop\u0000", "en\u0000", "EN", "zh-Hant-TW-x-private-very-long-tag", "dub", "auto,calm",
    ];

    /// <summary>Strings too long for every field the service has, and one longer than a JSON body may be.</summary>
    public static string Long(PCG pcg) => Pick(pcg, ["a", "界", "\u0000", "\u202E", "../", "😀"]) switch
    {
        var unit => string.Concat(Enumerable.Repeat(unit, Chance(pcg, 90) ? 100_000 / unit.Length : 1_100_000 / unit.Length)),
    };

    /// <summary>Arrays and objects nested past System.Text.Json's 64 levels, and a very deep one.</summary>
    public static string DeepNesting(PCG pcg)
    {
        var depth = Pick(pcg, [65, 100, 1000, 20_000]);
        return Chance(pcg, 50)
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    /// <summary>Whole bodies that are not what any JSON endpoint expects.</summary>
    public static readonly string[] Bodies =
    [
        "", " ", "null", "[]", "{}", "0", "1e400", "NaN", "\"text\"", "{", "}", "{\"", "[1,", "{\"text\":}", "{\"text\" \"a\"}", "{'text':'a'}",
        "{\"text\":\"a\",}", "{\"text\":\"a\"}garbage", "{\"text\":\"a\"}{\"text\":\"b\"}", "\u0000", "{\"text\":\"a\u0000\"}", "<xml/>",
        "text=a&url=b", "{\"text\":\"\\ud800\"}", "{\"text\":\"\\u0000\"}", "{\"text\":\"\\uZZZZ\"}", "{\"__proto__\":{\"x\":1}}",
        "{\"$type\":\"System.IO.FileInfo, System.IO.FileSystem\",\"fileName\":\"/etc/passwd\"}",
    ];

    public static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data", "multipart/form-data; boundary=", "application/json; charset=utf-16", "application/json; charset=latin1",
        "application/merge-patch+json", "application/problem+json", "*/*", "application/octet-stream", "image/png", "",
    ];

    /// <summary>Idempotency-Key values: usable, empty, too long, with spaces, controls, non-ASCII, several.</summary>
    public static readonly string[] IdempotencyKeys =
    [
        "k-1", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "", " ", "a b", new string('k', 200), new string('k', 201), new string('k', 10_000),
        "\t", "key\u007F", "clé", "键", "k,k", "\"quoted\"", "../../etc/passwd", "%00", "0", "-1", "NaN",
    ];

    public static readonly string[] Ranges =
    [
        "bytes=0-0", "bytes=0-", "bytes=-1", "bytes=-0", "bytes=5-1", "bytes=999999999999-", "bytes=0-999999999999999999999",
        "bytes=18446744073709551616-", "bytes=-18446744073709551616", "bytes=abc", "bytes=", "bytes", "items=0-1", "bytes=0-1,2-3,4-5,6-7,8-9,10-11",
        "bytes=" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"{i}-{i}")), "bytes=1-1, 1-1", "bytes = 0 - 1", "bytes=-", "bytes=--1",
        "bytes=1e400-", "bytes=0x10-", "bytes=0-1;x", ",", "",
    ];

    /// <summary>Query values: numbers at and past every bound, hostile strings, odd escapes.</summary>
    public static readonly string[] QueryValues =
    [
        "", "0", "-1", "1", "200", "201", "500", "501", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "NaN",
        "Infinity", "-0", "1.5", "0x10", "abc", "true", "null", "%", "%zz", "%00", "%C0%AF", "%ED%A0%80", "../../etc/passwd", "a+b", "a%2Bb",
        "9x16-1080p", "16x9-720p", "..%2f..%2f", "<script>", "%E2%80%AE", "%F0%9F%98%80",
    ];

    public static bool Chance(PCG pcg, int percent) => pcg.Next(100) < percent;

    public static T Pick<T>(PCG pcg, IReadOnlyList<T> values) => values[(int)pcg.Next((uint)values.Count)];

    public static int Between(PCG pcg, int min, int max) => min + (int)pcg.Next((uint)(max - min + 1));

    /// <summary>A JSON string literal for any .NET string, lone surrogates and controls written as \u escapes.</summary>
    public static string JsonString(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case < ' ' or '\u007F' or (>= '\ud800' and <= '\udfff') or '\u2028' or '\u2029': sb.Append($"\\u{(int)c:x4}"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
