using Microsoft.EntityFrameworkCore;
using Npgsql;
using VidPress.Core;
using VidPress.Core.Data;

namespace VidPress.Testing;

/// <summary>
/// A fresh database in the PostgreSQL cluster that `./vidpress test` starts (VIDPRESS_TEST_PG names its
/// admin connection), dropped at the end.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("VIDPRESS_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = "vidpress_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 40 };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement with named parameters (@name) and returns the rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Options for contexts on this database as the service configures them (pgvector, the migrations assembly).</summary>
    public DbContextOptions<VidPressDbContext> ContextOptions() =>
        new DbContextOptionsBuilder<VidPressDbContext>()
            .UseNpgsql(ConnectionString, o => o.UseVector().MigrationsAssembly(VidPressServices.MigrationsAssembly)).Options;

    /// <summary>A fresh database with every migration applied; returns it with its context options.</summary>
    public static async Task<(TestDatabase Database, DbContextOptions<VidPressDbContext> Options)> MigratedAsync()
    {
        var database = await CreateAsync();
        var options = database.ContextOptions();
        await using var db = new VidPressDbContext(options);
        await db.Database.MigrateAsync();
        return (database, options);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
