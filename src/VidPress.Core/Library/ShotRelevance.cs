using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>
/// The anchor points of a sentence that a shot's asset names exactly in its title or tags (<see cref="Terms"/>, as the
/// script wrote them), and <see cref="Share"/>, the part of the sentence's anchor weight they carry, in [0, 1].
/// </summary>
public sealed record TermMatch(IReadOnlyList<string> Terms, double Share)
{
    public static readonly TermMatch None = new([], 0);
}

/// <summary>
/// How relevant a library shot is to a script sentence: the one rule that weighs what the newsroom wrote on the asset
/// (its title and tags) against how similar its picture looks to the sentence (CLIP). A shot whose title or tags name
/// one of the sentence's anchor points exactly scores above 1, every other shot at most 1, so an exact match is never
/// outranked by an unrelated shot, however similar CLIP thinks that one looks: tiny or English-only image towers rank
/// Chinese sentences at random, and their noise must not outweigh the newsroom's own words. Between two matching
/// shots, the one naming more of the sentence's anchor weight wins; the similarity only breaks near ties.
/// </summary>
public static class ShotRelevance
{
    /// <summary>What the (weighted) similarity adds to a matching shot's score: enough to order shots with the same terms.</summary>
    public const double SimilarityAmongMatches = 0.05;

    /// <summary>The score of a shot the editor pinned to its sentence: above every match (at most 2 + <see cref="SimilarityAmongMatches"/>).</summary>
    public const double Pinned = 2.1;

    /// <summary>
    /// Which of <paramref name="anchors"/> the title or tags name. An anchor matches when every search term of it
    /// (<see cref="TextTerms.Tokenize"/>) is a term of the title or of a tag: "三角形" matches a clip tagged 三角形 or
    /// titled 橙色的三角形, "Bank of England" one titled "Bank of England at night"; the description does not count.
    /// An anchor with no search terms (stop words only) weighs nothing.
    /// </summary>
    public static TermMatch Match(IReadOnlyList<AnchorPoint> anchors, string title, IEnumerable<string> tags)
    {
        var label = new HashSet<string>(TextTerms.Tokenize(title).Concat(tags.SelectMany(TextTerms.Tokenize)), StringComparer.Ordinal);
        var total = 0.0;
        var matched = 0.0;
        var terms = new List<string>();
        foreach (var anchor in anchors.DistinctBy(a => a.Text.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            var anchorTerms = TextTerms.Tokenize(anchor.Text);
            if (anchorTerms.Count == 0 || anchor.Weight <= 0) continue;
            total += anchor.Weight;
            if (!anchorTerms.All(label.Contains)) continue;
            matched += anchor.Weight;
            terms.Add(anchor.Text.Trim());
        }
        return matched > 0 ? new TermMatch(terms, Math.Round(matched / total, 6)) : TermMatch.None;
    }

    /// <summary>
    /// The search terms that find the assets <see cref="Match"/> may match: every anchor's, once each.
    /// </summary>
    public static IReadOnlyList<string> QueryTerms(IReadOnlyList<AnchorPoint> anchors) =>
        anchors.SelectMany(a => TextTerms.Tokenize(a.Text)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A shot's score for a sentence: <paramref name="similarityWeight"/> × its CLIP similarity (clamped to [0, 1]) when
    /// its asset matches none of the sentence's anchors; 1 + the matched share + <see cref="SimilarityAmongMatches"/> ×
    /// the weighted similarity when it does, so in (1, 2.05].
    /// </summary>
    public static double Score(double similarity, TermMatch match, double similarityWeight)
    {
        var looks = Math.Clamp(similarityWeight, 0, 1) * Math.Clamp(similarity, 0, 1);
        var score = match.Share > 0 ? 1 + match.Share + SimilarityAmongMatches * looks : looks;
        return Math.Round(score, 6);
    }
}
