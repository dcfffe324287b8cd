using Microsoft.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Library;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// Makes again the full-text terms of every asset whose terms an older tokeniser made (<see cref="TextTerms.Version"/>;
/// migration ChineseTextSearch left the existing rows at 0), so a library uploaded when Chinese was cut into character
/// bigrams is searched by jieba's words like a new upload. Run at start-up after the migrations, in batches; rows
/// leave the batch query as they are written, so a second replica starting at the same time only repeats some work.
/// </summary>
public static class SearchTermsReindex
{
    private const int BatchSize = 500;

    /// <summary>Re-indexes the outdated assets of every tenant; returns how many it wrote.</summary>
    public static async Task<int> RunAsync(VidPressDbContext db, CancellationToken cancellationToken)
    {
        var written = 0;
        while (true)
        {
            var batch = await db.Assets.AsNoTracking()
                .Where(a => a.SearchTermsVersion < TextTerms.Version)
                .OrderBy(a => a.Id).Take(BatchSize)
                .Select(a => new { a.Id, a.Title, a.Description, a.Tags })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0) return written;
            foreach (var a in batch)
            {
                var terms = TextTerms.ForAsset(a.Title, a.Description, a.Tags);
                written += await db.Assets.Where(x => x.Id == a.Id && x.SearchTermsVersion < TextTerms.Version)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.SearchTerms, terms).SetProperty(x => x.SearchTermsVersion, TextTerms.Version), cancellationToken);
            }
        }
    }
}
