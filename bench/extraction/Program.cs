using System.Diagnostics;
using System.Globalization;
using VidPress.Core.Articles;
using VidPress.ExtractionBench;

// dotnet run --project bench/extraction -c Release -- DATA [--split tune|holdout|all] [--dump FOLDER] [--worst N]
// DATA holds the corpora as their public repositories lay them out (docs/benchmarks.md says how to bring them).
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: VidPress.ExtractionBench DATA [--split tune|holdout|all] [--dump FOLDER] [--worst N]");
    return 2;
}
var root = args[0];
var split = Option("--split") ?? "all";
var dump = Option("--dump");
var worst = int.Parse(Option("--worst") ?? "0", CultureInfo.InvariantCulture);
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

bool InSplit(Page p) => split switch { "tune" => !p.HeldOut, "holdout" => p.HeldOut, _ => true };

var corpora = Corpora.Load(root);
if (corpora.Count == 0)
{
    Console.Error.WriteLine($"No corpus found under {root}.");
    return 2;
}
var peers = Corpora.Peers(root);
var outputs = new Dictionary<string, string>();
Console.WriteLine($"split: {split}");
Console.WriteLine("| corpus | extractor | pages | P | R | F1 | mean page F1 | F1 4-gram shingles | boilerplate-only | ms/page |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (var (name, all) in corpora)
{
    var pages = all.Where(InSplit).ToList();
    var scores = new List<(Page Page, Scoring.PageScore Token, Scoring.PageScore Shingle)>();
    var clock = Stopwatch.StartNew();
    foreach (var page in pages)
    {
        var key = page.Corpus + "/" + page.Id;
        if (!outputs.TryGetValue(key, out var text))
        {
            var html = ArticleReader.Decode(page.Html(), page.HeaderCharset);
            text = ArticleReader.Extract(html, page.Url).Text;
            outputs[key] = text;
            if (dump is not null)
            {
                Directory.CreateDirectory(Path.Combine(dump, page.Corpus));
                File.WriteAllText(Path.Combine(dump, page.Corpus, page.Id + ".txt"), text);
            }
        }
        scores.Add((page, Scoring.Score(page.Truth, text), Scoring.Score(page.Truth, text, 4)));
    }
    var ms = clock.Elapsed.TotalMilliseconds / Math.Max(1, pages.Count);
    Row(name, "VidPress", scores, ms);
    if (name.StartsWith("aeb", StringComparison.Ordinal))
    {
        foreach (var (peer, texts) in peers)
        {
            var peerScores = pages.Select(p => (p, Scoring.Score(p.Truth, texts.GetValueOrDefault(p.Id, "")), Scoring.Score(p.Truth, texts.GetValueOrDefault(p.Id, ""), 4))).ToList();
            Row(name, peer + " (published output)", peerScores, null);
        }
    }
    if (worst > 0)
    {
        foreach (var (page, token, _) in scores.OrderBy(s => s.Token.F1).Take(worst))
            Console.Error.WriteLine($"  worst {name} {page.Id} P={token.Precision:F3} R={token.Recall:F3} pred={token.Predicted} truth={token.Truth} {page.Url}");
    }
}
return 0;

static void Row(string corpus, string extractor, List<(Page Page, Scoring.PageScore Token, Scoring.PageScore Shingle)> scores, double? ms)
{
    if (scores.Count == 0) return;
    var p = scores.Average(s => s.Token.Precision);
    var r = scores.Average(s => s.Token.Recall);
    var sp = scores.Average(s => s.Shingle.Precision);
    var sr = scores.Average(s => s.Shingle.Recall);
    var boiler = scores.Count(s => Scoring.IsBoilerplateOnly(s.Token));
    Console.WriteLine($"| {corpus} | {extractor} | {scores.Count} | {p:F3} | {r:F3} | **{Harmonic(p, r):F3}** | {scores.Average(s => s.Token.F1):F3} | {Harmonic(sp, sr):F3} | {boiler} | {(ms is null ? "–" : ms.Value.ToString("F0"))} |");
}

static double Harmonic(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
