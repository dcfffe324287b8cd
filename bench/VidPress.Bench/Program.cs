using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Library;

if (args.Length > 0 && args[0] == "generate")
{
    return GenerateBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "clip")
{
    return ClipBench.Run(args[1..], IngestBench.RepositoryRoot());
}

if (args.Length > 0 && args[0] == "ingest")
{
    await IngestBench.RunAsync(args[1..]);
    return 0;
}

// Search benchmark: N random unit vectors as keyframes of T tenants, HNSW (m 16, ef_construction 128, as migrated),
// then the service's own filtered query (ShotSearch.NearestKeyframesAsync) against exact search, per ef_search:
// once with the service's settings (a tenant under Library:ExactSearchMaxKeyframes is searched exactly) and
// once with the graph forced (ExactSearchMaxKeyframes = 0).
var n = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var tenants = args.Length > 1 ? int.Parse(args[1]) : 10;
var queries = args.Length > 2 ? int.Parse(args[2]) : 200;
// "uniform": independent random directions, the worst case for any graph index (all distances alike).
// "clustered": points around 2,000 random centres, closer to how CLIP embeddings of footage sit (shots of
// one scene, one topic, near each other); queries come from the same distribution.
var distribution = args.Length > 3 ? args[3] : "clustered";
var admin = Environment.GetEnvironmentVariable("VIDPRESS_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres";
// VIDPRESS_BENCH_DB names a database to keep and reuse between runs with the same N, T and distribution (the
// index build over 100k vectors takes minutes); without it a fresh database is made and dropped.
var keptDb = Environment.GetEnvironmentVariable("VIDPRESS_BENCH_DB");
var dbName = keptDb ?? "vidpress_bench_" + Guid.NewGuid().ToString("N")[..8];
var reuse = false;
await using (var c = new NpgsqlConnection(admin))
{
    await c.OpenAsync();
    reuse = keptDb is not null && await new NpgsqlCommand($"SELECT count(*) FROM pg_database WHERE datname = '{dbName}'", c).ExecuteScalarAsync() is long and > 0;
    if (!reuse) await new NpgsqlCommand($"CREATE DATABASE {dbName}", c).ExecuteNonQueryAsync();
}
var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
try
{
    var options = new DbContextOptionsBuilder<VidPressDbContext>().UseNpgsql(cs, o => o.UseVector().MigrationsAssembly(VidPressServices.MigrationsAssembly)).Options;
    await using (var db = new VidPressDbContext(options)) await db.Database.MigrateAsync();
    var dataSourceBuilder = new NpgsqlDataSourceBuilder(cs);
    dataSourceBuilder.UseVector();
    var dataSource = dataSourceBuilder.Build();
    // Separate seeds for centres, stored vectors and queries: a reused database gets the same queries.
    var random = new Random(42);
    var centres = Enumerable.Range(0, 2000).Select(_ => RandomUnit()).ToList();
    random = new Random(43);
    float[] Sample()
    {
        if (distribution == "uniform") return RandomUnit();
        var centre = centres[random.Next(centres.Count)];
        var noise = RandomUnit();
        var v = new float[512];
        double norm = 0;
        for (var i = 0; i < v.Length; i++) { v[i] = centre[i] + 0.6f * noise[i]; norm += v[i] * v[i]; }
        var s = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < v.Length; i++) v[i] *= s;
        return v;
    }
    float[] RandomUnit()
    {
        var v = new float[512];
        double norm = 0;
        for (var i = 0; i < v.Length; i++) { var g = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())); v[i] = g; norm += g * g; }
        var s = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < v.Length; i++) v[i] *= s;
        return v;
    }
    // Fixed tenant ids, so a reused database is searched for the same tenant.
    var tenantIds = Enumerable.Range(0, tenants).Select(t => new Guid(t + 1, 0xbe, 0x7c, new byte[8])).ToArray();
    var load = Stopwatch.StartNew();
    if (reuse)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var stored = (long)(await new NpgsqlCommand("SELECT count(*) FROM keyframes", conn).ExecuteScalarAsync())!;
        if (stored != n) throw new InvalidOperationException($"{dbName} holds {stored} keyframes, not {n}");
        Console.WriteLine($"{distribution} vectors: reusing {n} keyframes of {tenants} tenant(s) in {dbName}");
    }
    else
    await using (var conn = await dataSource.OpenConnectionAsync())
    {
        await new NpgsqlCommand("DROP INDEX IF EXISTS \"IX_keyframes_Embedding\"; SET maintenance_work_mem = '1GB'", conn).ExecuteNonQueryAsync();
        foreach (var t in tenantIds)
            await new NpgsqlCommand($"INSERT INTO tenants (\"Id\", \"Name\", \"CreatedAt\") VALUES ('{t}', 'bench', now())", conn).ExecuteNonQueryAsync();
        // One asset and one shot per 10 keyframes, every asset ready; a tenant owns every T-th asset.
        var assets = new List<(Guid Asset, Guid Shot, Guid Tenant)>();
        for (var a = 0; a < n / 10; a++) assets.Add((Guid.NewGuid(), Guid.NewGuid(), tenantIds[a % tenants]));
        await using (var w = await conn.BeginBinaryImportAsync("COPY assets (\"Id\", \"TenantId\", \"Kind\", \"Status\", \"Title\", \"Tags\", \"FileName\", \"StorageKey\", \"Sha256\", \"SizeBytes\", \"Width\", \"Height\", \"DurationSeconds\", \"FrameRate\", \"CreatedAt\", \"SearchTerms\") FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (asset, _, tenant) in assets)
            {
                await w.StartRowAsync();
                await w.WriteAsync(asset); await w.WriteAsync(tenant); await w.WriteAsync("Video"); await w.WriteAsync("Ready"); await w.WriteAsync("bench");
                await w.WriteAsync(Array.Empty<string>()); await w.WriteAsync("x.mp4"); await w.WriteAsync("k"); await w.WriteAsync(asset.ToString("N"));
                await w.WriteAsync(0L); await w.WriteAsync(640); await w.WriteAsync(360); await w.WriteAsync(20.0); await w.WriteAsync(25.0);
                await w.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz); await w.WriteAsync("");
            }
            await w.CompleteAsync();
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY shots (\"Id\", \"TenantId\", \"AssetId\", \"StartSeconds\", \"EndSeconds\") FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (asset, shot, tenant) in assets) { await w.StartRowAsync(); await w.WriteAsync(shot); await w.WriteAsync(tenant); await w.WriteAsync(asset); await w.WriteAsync(0.0); await w.WriteAsync(20.0); }
            await w.CompleteAsync();
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY keyframes (\"Id\", \"TenantId\", \"ShotId\", \"TimeSeconds\", \"Embedding\", \"Sharpness\", \"Brightness\", \"Contrast\", \"Usable\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < n; i++)
            {
                var (_, shot, tenant) = assets[i / 10];
                await w.StartRowAsync(); await w.WriteAsync(Guid.NewGuid()); await w.WriteAsync(tenant); await w.WriteAsync(shot); await w.WriteAsync(i % 10 * 2.0);
                await w.WriteAsync(new Vector(Sample())); await w.WriteAsync(50.0); await w.WriteAsync(0.5); await w.WriteAsync(0.2); await w.WriteAsync(true);
            }
            await w.CompleteAsync();
        }
        Console.WriteLine($"{distribution} vectors: loaded {n} keyframes in {load.Elapsed.TotalSeconds:0.0} s");
        var build = Stopwatch.StartNew();
        var create = new NpgsqlCommand("CREATE INDEX \"IX_keyframes_Embedding\" ON keyframes USING hnsw (\"Embedding\" vector_cosine_ops) WITH (m = 16, ef_construction = 128); ANALYZE", conn) { CommandTimeout = 0 };
        await create.ExecuteNonQueryAsync();
        Console.WriteLine($"HNSW index built in {build.Elapsed.TotalSeconds:0.0} s");
    }

    random = new Random(44);
    var queryVectors = Enumerable.Range(0, queries).Select(_ => Sample()).ToList();
    // The service always filters by tenant: with T = 1 the filter passes every row (no filtering effect), with
    // T = 10 nine in ten nearest neighbours belong to other tenants and the iterative scan has to go on.
    {
        var truth = new List<HashSet<Guid>>();
        await using (var conn = await dataSource.OpenConnectionAsync())
        {
            foreach (var q in queryVectors)
            {
                await using var tx = await conn.BeginTransactionAsync();
                await new NpgsqlCommand("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off", conn, tx).ExecuteNonQueryAsync();
                const string sql = "SELECT \"Id\" FROM keyframes WHERE \"TenantId\" = $2 ORDER BY \"Embedding\" <=> $1 LIMIT 10";
                await using var cmd = new NpgsqlCommand(sql, conn, tx);
                cmd.Parameters.AddWithValue(new Vector(q));
                cmd.Parameters.AddWithValue(tenantIds[0]);
                var ids = new HashSet<Guid>();
                await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) ids.Add(r.GetGuid(0));
                truth.Add(ids);
            }
        }
        var warmUp = Enumerable.Range(0, 20).Select(_ => Sample()).ToList();
        var defaults = new ShotSearchOptions();
        // VIDPRESS_BENCH_EXACT_MAX tries another Library:ExactSearchMaxKeyframes than the default.
        if (Environment.GetEnvironmentVariable("VIDPRESS_BENCH_EXACT_MAX") is { } exactMaxSetting) defaults.ExactSearchMaxKeyframes = int.Parse(exactMaxSetting);
        foreach (var (label, exactMax) in new[] { ("service", defaults.ExactSearchMaxKeyframes), ("graph only", 0) })
        foreach (var ef in new[] { 40, 100, 200 })
        {
            if (exactMax == 0 && n / tenants > defaults.ExactSearchMaxKeyframes) break; // the service already used the graph
            var libraryOptions = Microsoft.Extensions.Options.Options.Create(new ShotSearchOptions { EfSearch = ef, ExactSearchMaxKeyframes = exactMax });
            // One per process, as the service registers it: the tenant's size is counted once a minute, not per search.
            var sizes = new TenantLibrarySizes(TimeProvider.System);
            async Task<IReadOnlyList<KeyframeHit>> SearchAsync(float[] q)
            {
                await using var db = new VidPressDbContext(new DbContextOptionsBuilder<VidPressDbContext>().UseNpgsql(dataSource, o => o.UseVector()).Options);
                var search = new ShotSearch(db, null!, TimeProvider.System, libraryOptions, sizes);
                return await search.NearestKeyframesAsync(new LibraryFilter(tenantIds[0], DateTimeOffset.UtcNow), new Vector(q), 10, default);
            }
            // 20 unmeasured queries first: the pool's connections and the pages the path reads, as in a running service.
            foreach (var q in warmUp) await SearchAsync(q);
            var latencies = new List<double>();
            double recall = 0;
            for (var i = 0; i < queryVectors.Count; i++)
            {
                var sw = Stopwatch.StartNew();
                var hits = await SearchAsync(queryVectors[i]);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                recall += hits.Take(10).Count(h => truth[i].Contains(h.KeyframeId)) / 10.0;
            }
            latencies.Sort();
            var path = exactMax > 0 && n / tenants <= exactMax ? "exact (tenant index)" : "HNSW iterative";
            Console.WriteLine($"{n} {distribution}, {tenants} tenant(s) ({n / tenants} keyframes searched): {label,-10} {path,-20} ef_search={ef,-4} " +
                $"p50={latencies[latencies.Count / 2]:0.0} ms  p95={latencies[(int)(latencies.Count * 0.95)]:0.0} ms  recall@10={recall / queryVectors.Count:0.000}");
            if (path.StartsWith("exact", StringComparison.Ordinal)) break; // ef_search plays no part
        }
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (keptDb is null)
    {
        await using var c = new NpgsqlConnection(admin);
        await c.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", c).ExecuteNonQueryAsync();
    }
}

return 0;
