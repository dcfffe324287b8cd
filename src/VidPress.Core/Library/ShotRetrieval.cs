using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>The retrieval stage: the library's candidate shots for every sentence of a script (<see cref="ShotSearch"/>).</summary>
public sealed class ShotRetrieval(ShotSearch search)
{
    public async Task<CandidatesDocument> FindAsync(Guid tenantId, ScriptDocument script, int perSentence, CancellationToken cancellationToken)
    {
        var found = new List<SentenceCandidates>();
        foreach (var sentence in script.Sentences)
            found.Add(new SentenceCandidates(sentence.Index, await search.SearchAsync(tenantId, sentence, script.Language, perSentence, cancellationToken)));
        return new CandidatesDocument(found);
    }
}
