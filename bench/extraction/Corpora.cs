using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;

namespace VidPress.ExtractionBench;

/// <summary>One page of a corpus: its bytes as served, the charset a server would have sent (null: none), and the human text.</summary>
public sealed record Page(string Corpus, string Id, string Url, Func<byte[]> Html, string? HeaderCharset, string Truth)
{
    /// <summary>A quarter of each corpus, chosen by a hash of the page id, is held out: never looked at while tuning.</summary>
    public bool HeldOut => SHA256.HashData(Encoding.UTF8.GetBytes(Corpus + "/" + Id))[0] < 64;
}

public static class Corpora
{
    /// <summary>Every corpus found under the folder, in the layout its public repository has (see docs/benchmarks.md).</summary>
    public static List<(string Name, List<Page> Pages)> Load(string root)
    {
        var corpora = new List<(string, List<Page>)>();
        var aeb = Path.Combine(root, "aeb");
        if (File.Exists(Path.Combine(aeb, "ground-truth.json")))
        {
            var pages = ArticleExtractionBenchmark(aeb);
            corpora.Add(("aeb", pages));
            corpora.Add(("aeb-en", pages.Where(p => IsEnglish(p.Truth)).Select(p => p with { Corpus = "aeb" }).ToList()));
        }
        var readability = Path.Combine(root, "readability");
        if (Directory.Exists(readability)) corpora.Add(("readability", ReadabilityTestPages(readability)));
        var zh = Path.Combine(root, "zh-cwced");
        if (Directory.Exists(Path.Combine(zh, "original"))) corpora.Add(("zh-cwced", ChineseWebContent(zh)));
        return corpora;
    }

    /// <summary>scrapinghub/article-extraction-benchmark: html/ID.html.gz (UTF-8, as its README says) and ground-truth.json's articleBody.</summary>
    private static List<Page> ArticleExtractionBenchmark(string folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "ground-truth.json")));
        var pages = new List<Page>();
        foreach (var item in json.RootElement.EnumerateObject())
        {
            var path = Path.Combine(folder, "html", item.Name + ".html.gz");
            if (!File.Exists(path)) continue;
            var url = item.Value.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
            pages.Add(new Page("aeb", item.Name, url, () => Gunzip(path), "utf-8", item.Value.GetProperty("articleBody").GetString() ?? ""));
        }
        return pages;
    }

    /// <summary>The published outputs of other extractors on the same pages (output/NAME.json), id to articleBody.</summary>
    public static Dictionary<string, Dictionary<string, string>> Peers(string root)
    {
        var peers = new Dictionary<string, Dictionary<string, string>>();
        var folder = Path.Combine(root, "aeb", "output");
        if (!Directory.Exists(folder)) return peers;
        foreach (var file in Directory.GetFiles(folder, "*.json").Order())
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var output = json.RootElement.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.Object ? o : json.RootElement;
            peers[Path.GetFileNameWithoutExtension(file)] = output.EnumerateObject().ToDictionary(
                p => p.Name, p => p.Value.TryGetProperty("articleBody", out var b) ? b.GetString() ?? "" : "");
        }
        return peers;
    }

    /// <summary>mozilla/readability test/test-pages/NAME/source.html, with expected.html (Readability.js's reviewed output) as the truth.</summary>
    private static List<Page> ReadabilityTestPages(string folder)
    {
        var parser = new HtmlParser();
        var pages = new List<Page>();
        foreach (var dir in Directory.GetDirectories(folder).Order())
        {
            var source = Path.Combine(dir, "source.html");
            var expected = Path.Combine(dir, "expected.html");
            if (!File.Exists(source) || !File.Exists(expected)) continue;
            using var doc = parser.ParseDocument(File.ReadAllText(expected));
            var truth = BlockText(doc.Body);
            pages.Add(new Page("readability", Path.GetFileName(dir), "http://fakehost/test/page.html", () => File.ReadAllBytes(source), "utf-8", truth));
        }
        return pages;
    }

    /// <summary>immortal-autumn/Chinese-Web-Content-Extraction-Dataset: original/ID.html as saved (GBK or UTF-8, no header) and cleaned/ID.txt.</summary>
    private static List<Page> ChineseWebContent(string folder)
    {
        var pages = new List<Page>();
        foreach (var path in Directory.GetFiles(Path.Combine(folder, "original"), "*.html").Order())
        {
            var id = Path.GetFileNameWithoutExtension(path);
            var truth = Path.Combine(folder, "cleaned", id + ".txt");
            if (!File.Exists(truth)) continue;
            pages.Add(new Page("zh-cwced", id, "http://zh.example/" + id, () => File.ReadAllBytes(path), null, File.ReadAllText(truth)));
        }
        return pages;
    }

    /// <summary>The text of the markup with every tag a word break (inline tags inside a word are rare in these pages).</summary>
    private static string BlockText(AngleSharp.Dom.IElement? root) =>
        root is null ? "" : System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(root.InnerHtml, "<[^>]+>", " "));

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static readonly HashSet<string> EnglishWords = ["the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "on", "was", "with", "as", "he", "said"];

    /// <summary>English-language pages: at least one token in eight a common English function word.</summary>
    public static bool IsEnglish(string text)
    {
        var tokens = Scoring.Tokens(text);
        return tokens.Count > 0 && tokens.Count(t => EnglishWords.Contains(t.ToLowerInvariant())) * 8 >= tokens.Count;
    }
}
