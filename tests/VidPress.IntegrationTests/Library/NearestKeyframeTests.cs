using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pgvector;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// ShotSearch.NearestKeyframesAsync on both of its paths, against nearest neighbours computed here: a small tenant
/// is searched exactly, a large one (threshold lowered) through the HNSW index; both keep the filters exact.
/// </summary>
public sealed class NearestKeyframeTests : IAsyncLifetime
{
    private const int Dimensions = 512;
    private static readonly Guid Small = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Other = Guid.Parse("00000000-0000-0000-0000-0000000000b2");
    private readonly Random _random = new(7);
    private readonly List<(Guid Id, Guid Tenant, float[] Vector, bool Usable, bool Expired, string Licence)> _keyframes = [];
    private float[] _expiredCentre = null!;
    private TestDatabase _database = null!;
    private DbContextOptions<VidPressDbContext> _options = null!;

    public async Task InitializeAsync()
    {
        (_database, _options) = await TestDatabase.MigratedAsync();
        await using var db = new VidPressDbContext(_options);
        db.Tenants.AddRange(new Tenant { Id = Small, Name = "small", CreatedAt = DateTimeOffset.UtcNow }, new Tenant { Id = Other, Name = "other", CreatedAt = DateTimeOffset.UtcNow });
        // The small tenant: 60 assets of 5 keyframes, one asset in ten expired and one keyframe in seven unusable.
        // The other tenant: four times as many, so most of the graph's neighbours are someone else's.
        AddAssets(db, Small, 60);
        AddAssets(db, Other, 240);
        // Twelve expired assets of the small tenant whose 60 keyframes sit around one point: a query there finds only
        // expired keyframes among its nearest candidates, so the exact path must look further than its first reading.
        _expiredCentre = RandomUnit();
        AddAssets(db, Small, 12, around: _expiredCentre, expiredAll: true);
        await db.SaveChangesAsync();
    }

    private void AddAssets(VidPressDbContext db, Guid tenant, int count, float[]? around = null, bool expiredAll = false)
    {
        for (var a = 0; a < count; a++)
        {
            var expired = expiredAll || a % 10 == 3;
            var licence = a % 3 == 0 ? "cc-by" : "staff";
            var asset = new Asset
            {
                Id = Guid.NewGuid(), TenantId = tenant, Kind = AssetKind.Video, Status = AssetStatus.Ready, Title = $"asset {a}", Tags = [],
                FileName = "x.mp4", StorageKey = $"k/{tenant}/{a}", Sha256 = Guid.NewGuid().ToString("N"), SizeBytes = 1, Width = 640, Height = 360,
                DurationSeconds = 10, FrameRate = 25, CreatedAt = DateTimeOffset.UtcNow, SearchTerms = "",
                ExpiresAt = expired ? DateTimeOffset.UtcNow.AddDays(-1) : null, Licence = licence,
            };
            var shot = new Shot { Id = Guid.NewGuid(), TenantId = tenant, AssetId = asset.Id, StartSeconds = 0, EndSeconds = 10 };
            for (var k = 0; k < 5; k++)
            {
                var vector = around is null ? RandomUnit() : Near(around);
                var usable = _keyframes.Count % 7 != 5;
                var keyframe = new Keyframe
                {
                    Id = Guid.NewGuid(), TenantId = tenant, ShotId = shot.Id, TimeSeconds = k * 2 + 1, Embedding = new Vector(vector),
                    Sharpness = 50, Brightness = 0.5, Contrast = 0.2, Usable = usable,
                };
                shot.Keyframes.Add(keyframe);
                _keyframes.Add((keyframe.Id, tenant, vector, usable, expired, licence));
            }
            db.Assets.Add(asset);
            db.Shots.Add(shot);
        }
    }

    [Fact]
    public async Task Small_tenant_is_searched_exactly_and_gets_its_true_nearest_usable_keyframes()
    {
        await using var db = new VidPressDbContext(_options);
        var search = Search(db, new ShotSearchOptions());
        Assert.True(await search.UsesExactSearchAsync(Small, default));
        for (var q = 0; q < 6; q++)
        {
            // A query right next to an unusable keyframe, an expired one, another tenant's and the expired cluster:
            // none may come back.
            var query = q switch
            {
                0 => Near(_keyframes.First(k => k.Tenant == Small && !k.Usable).Vector),
                1 => Near(_keyframes.First(k => k.Tenant == Small && k.Expired).Vector),
                2 => Near(_keyframes.First(k => k.Tenant == Other).Vector),
                3 => Near(_expiredCentre),
                _ => RandomUnit(),
            };
            foreach (var count in new[] { 10, 30 })
            {
                var hits = await search.NearestKeyframesAsync(new LibraryFilter(Small, DateTimeOffset.UtcNow), new Vector(query), count, default);
                Assert.Equal(Expected(Small, query, count), hits.Select(h => h.KeyframeId).ToList());
                Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
                Assert.All(hits, h => Assert.Equal(1 - Dot(_keyframes.First(k => k.Id == h.KeyframeId).Vector, query), h.Distance, 1e-5));
            }
        }
    }

    [Fact]
    public async Task Exact_search_with_a_licence_filter_returns_the_true_nearest_keyframes_under_that_licence()
    {
        await using var db = new VidPressDbContext(_options);
        var search = Search(db, new ShotSearchOptions());
        for (var q = 0; q < 4; q++)
        {
            // Two in three assets are "staff": the nearest candidates often hold fewer than asked under "cc-by".
            var query = q == 0 ? Near(_keyframes.First(k => k.Tenant == Small && k.Licence == "staff" && k.Usable && !k.Expired).Vector) : RandomUnit();
            var hits = await search.NearestKeyframesAsync(new LibraryFilter(Small, DateTimeOffset.UtcNow, ["cc-by"]), new Vector(query), 20, default);
            Assert.Equal(Expected(Small, query, 20, "cc-by"), hits.Select(h => h.KeyframeId).ToList());
            Assert.All(hits, h => Assert.Equal("cc-by", h.Licence));
        }
    }

    [Fact]
    public async Task Tenant_sizes_shared_between_searches_keep_each_threshold_right()
    {
        var sizes = new TenantLibrarySizes(TimeProvider.System);
        await using var db = new VidPressDbContext(_options);
        // Counted for the 100 threshold (stops at 101), then asked about 10,000: must count again, not guess.
        Assert.False(await new ShotSearch(db, null!, TimeProvider.System, Options.Create(new ShotSearchOptions { ExactSearchMaxKeyframes = 100 }), sizes).UsesExactSearchAsync(Small, default));
        Assert.True(await new ShotSearch(db, null!, TimeProvider.System, Options.Create(new ShotSearchOptions()), sizes).UsesExactSearchAsync(Small, default));
        Assert.True(sizes.TryGet(Small, 10_000, out var count));
        Assert.Equal(_keyframes.Count(k => k.Tenant == Small), count);
    }

    [Fact]
    public async Task Tenant_over_the_threshold_is_searched_through_the_index_with_the_same_filters()
    {
        await using var db = new VidPressDbContext(_options);
        var search = Search(db, new ShotSearchOptions { ExactSearchMaxKeyframes = 100 });
        Assert.False(await search.UsesExactSearchAsync(Small, default));
        var usable = _keyframes.Where(k => k.Tenant == Small && k.Usable && !k.Expired).Select(k => k.Id).ToHashSet();
        var query = Near(_keyframes.First(k => k.Tenant == Other).Vector);
        var hits = await search.NearestKeyframesAsync(new LibraryFilter(Small, DateTimeOffset.UtcNow), new Vector(query), 10, default);
        Assert.Equal(10, hits.Count);
        Assert.All(hits, h => Assert.Contains(h.KeyframeId, usable));
        // The graph is approximate: most, not necessarily all, of the true neighbours.
        Assert.True(hits.Select(h => h.KeyframeId).Intersect(Expected(Small, query, 10)).Count() >= 8);
    }

    private static ShotSearch Search(VidPressDbContext db, ShotSearchOptions options) => new(db, null!, TimeProvider.System, Options.Create(options), new TenantLibrarySizes(TimeProvider.System));

    private List<Guid> Expected(Guid tenant, float[] query, int count, string? licence = null) =>
        _keyframes.Where(k => k.Tenant == tenant && k.Usable && !k.Expired && (licence is null || k.Licence == licence))
            .OrderBy(k => 1 - Dot(k.Vector, query)).Take(count).Select(k => k.Id).ToList();

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    private float[] Near(float[] vector)
    {
        var noise = RandomUnit();
        return Normalise(vector.Select((x, i) => x + 0.05f * noise[i]).ToArray());
    }

    private float[] RandomUnit() =>
        Normalise(Enumerable.Range(0, Dimensions).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble()))).ToArray());

    private static float[] Normalise(float[] v)
    {
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => x / norm).ToArray();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
