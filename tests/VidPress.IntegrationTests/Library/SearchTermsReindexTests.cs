using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// An asset uploaded before Chinese was cut by jieba (its terms character bigrams, left at version 0 by migration
/// ChineseTextSearch) is found by jieba's words once the start-up re-index has run, and the re-index touches it once.
/// </summary>
public sealed class SearchTermsReindexTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private DbContextOptions<VidPressDbContext> _options = null!;

    public async Task InitializeAsync() => (_database, _options) = await TestDatabase.MigratedAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static Asset Asset(Guid tenant, string title, string tags, string terms, int version) => new()
    {
        Id = Guid.NewGuid(), TenantId = tenant, Kind = AssetKind.Image, Status = AssetStatus.Ready, Title = title, Tags = [.. tags.Split(',')],
        FileName = "x.png", StorageKey = $"k/{Guid.NewGuid():N}", Sha256 = Guid.NewGuid().ToString("N"), SizeBytes = 1, Width = 480, Height = 270,
        CreatedAt = DateTimeOffset.UtcNow, SearchTerms = terms, SearchTermsVersion = version,
    };

    private Task<long> FoundByAsync(string term) =>
        _database.ScalarAsync<long>($"select count(*) from assets where \"SearchVector\" @@ to_tsquery('simple', '{term}')");

    [Fact]
    public async Task Assets_indexed_as_bigrams_are_found_by_jiebas_words_after_the_reindex()
    {
        var tenant = Guid.NewGuid();
        await using (var db = new VidPressDbContext(_options))
        {
            db.Tenants.Add(new Tenant { Id = tenant, Name = "archive", CreatedAt = DateTimeOffset.UtcNow });
            // As uploaded before: 橙色的三角形 as overlapping bigrams, which hold no 三角形.
            db.Assets.Add(Asset(tenant, "橙色的三角形", "橙色,三角形", "橙色 色的 的三 三角 角形", version: 0));
            // An asset indexed by today's rules keeps its terms, even ones the rules would not make.
            db.Assets.Add(Asset(tenant, "蓝色的圆形", "蓝色", "kept", version: TextTerms.Version));
            await db.SaveChangesAsync();
        }
        Assert.Equal(0, await FoundByAsync("三角形"));

        await using (var db = new VidPressDbContext(_options))
            Assert.Equal(1, await SearchTermsReindex.RunAsync(db, CancellationToken.None));

        Assert.Equal(1, await FoundByAsync("三角形"));
        Assert.Equal(1, await FoundByAsync("橙色"));
        Assert.Equal(0, await FoundByAsync("色的"));
        Assert.Equal(1, await FoundByAsync("kept"));
        Assert.Equal(0L, await _database.ScalarAsync<long>($"select count(*) from assets where \"SearchTermsVersion\" <> {TextTerms.Version}"));
        // Run again (the next start-up): nothing left to do.
        await using (var db = new VidPressDbContext(_options))
            Assert.Equal(0, await SearchTermsReindex.RunAsync(db, CancellationToken.None));
    }
}
