using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VidPress.Core.Data;

public sealed class VidPressDbContext(DbContextOptions<VidPressDbContext> options) : DbContext(options)
{
    public const int EmbeddingDimensions = 512;

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Video> Videos => Set<Video>();
    public DbSet<Asset> Assets => Set<Asset>();
    public DbSet<Shot> Shots => Set<Shot>();
    public DbSet<Keyframe> Keyframes => Set<Keyframe>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<MusicTrack> MusicTracks => Set<MusicTrack>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasPostgresExtension("vector");

        model.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.DefaultVoice).HasMaxLength(200);
            Json(e.Property(t => t.Lexicon));
            e.HasData(new Tenant { Id = Tenant.DefaultId, Name = "default", CreatedAt = DateTimeOffset.UnixEpoch });
        });

        model.Entity<Video>(e =>
        {
            e.ToTable("videos");
            e.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(v => v.Stage).HasConversion<string>().HasMaxLength(20);
            e.Property(v => v.Priority).HasConversion<string>().HasMaxLength(20).HasDefaultValue(VideoPriority.Normal).HasSentinel(VideoPriority.Normal);
            Json(e.Property(v => v.Request));
            Json(e.Property(v => v.Script));
            Json(e.Property(v => v.Narration));
            Json(e.Property(v => v.Candidates));
            Json(e.Property(v => v.Timeline));
            Json(e.Property(v => v.Outputs));
            Json(e.Property(v => v.Metadata));
            e.Property(v => v.Reference).HasMaxLength(200);
            e.Property(v => v.IdempotencyKey).HasMaxLength(200);
            e.Property(v => v.RequestHash).HasMaxLength(64);
            e.HasIndex(v => new { v.TenantId, v.IdempotencyKey }).IsUnique().HasFilter("\"IdempotencyKey\" IS NOT NULL");
            e.HasIndex(v => new { v.TenantId, v.CreatedAt });
            // The dispatcher's and the queue limit's look-ups: a tenant's queued and running videos.
            e.HasIndex(v => new { v.TenantId, v.Status });
            // Retry-After's mean run: the latest finished videos.
            e.HasIndex(v => v.FinishedAt);
            // A CMS finds its videos by its own id (GET /videos?reference=…).
            e.HasIndex(v => new { v.TenantId, v.Reference }).HasFilter("\"Reference\" IS NOT NULL");
            e.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId);
        });

        model.Entity<Asset>(e =>
        {
            e.ToTable("assets");
            e.Property(a => a.IdempotencyKey).HasMaxLength(200);
            e.Property(a => a.RequestHash).HasMaxLength(64);
            e.HasIndex(a => new { a.TenantId, a.IdempotencyKey }).IsUnique().HasFilter("\"IdempotencyKey\" IS NOT NULL");
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Title).HasMaxLength(500);
            e.Property(a => a.Sha256).HasMaxLength(64);
            e.Property(a => a.Licence).HasMaxLength(100);
            e.Property(a => a.CreditLine).HasMaxLength(300);
            // Unique, so two concurrent uploads of one file cannot both create an asset.
            e.HasIndex(a => new { a.TenantId, a.Sha256 }).IsUnique();
            e.HasGeneratedTsVectorColumn(a => a.SearchVector!, "simple", a => new { a.SearchTerms })
                .HasIndex(a => a.SearchVector).HasMethod("GIN");
            e.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId);
            e.HasMany(a => a.Shots).WithOne(s => s.Asset).HasForeignKey(s => s.AssetId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Shot>(e =>
        {
            e.ToTable("shots");
            e.HasIndex(s => s.TenantId);
            e.HasMany(s => s.Keyframes).WithOne(k => k.Shot).HasForeignKey(k => k.ShotId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Keyframe>(e =>
        {
            e.ToTable("keyframes");
            e.Property(k => k.Embedding).HasColumnType($"vector({EmbeddingDimensions})");
            // ef_construction above pgvector's default 64 buys recall at every ef_search for a slower insert (bench/).
            e.HasIndex(k => k.Embedding).HasMethod("hnsw").HasOperators("vector_cosine_ops")
                .HasStorageParameter("m", 16).HasStorageParameter("ef_construction", 128);
            e.HasIndex(k => k.TenantId);
        });

        model.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.Property(k => k.Name).HasMaxLength(200);
            e.Property(k => k.Prefix).HasMaxLength(16);
            e.Property(k => k.KeyHash).HasMaxLength(64);
            e.HasIndex(k => k.Prefix);
            e.HasIndex(k => k.KeyHash).IsUnique();
            e.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<MusicTrack>(e =>
        {
            e.ToTable("music_tracks");
            e.Property(m => m.Title).HasMaxLength(500);
            e.Property(m => m.Sha256).HasMaxLength(64);
            e.HasIndex(m => new { m.TenantId, m.Sha256 }).IsUnique();
            e.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasIndex(d => new { d.VideoId, d.CreatedAt });
            // One row per attempt of one run's event (PostgreSQL lets the null runs of older rows repeat).
            e.HasIndex(d => new { d.VideoId, d.EventType, d.Run, d.Attempt }).IsUnique();
            e.Property(d => d.WebhookId).HasMaxLength(100);
            e.Property(d => d.EventType).HasMaxLength(50);
        });
    }

    // Stage documents are stored whole as jsonb: they are read and written as units, never queried inside.
    private static void Json<T>(PropertyBuilder<T> property)
    {
        property.HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, DocumentJson.Options),
            s => JsonSerializer.Deserialize<T>(s, DocumentJson.Options)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, DocumentJson.Options) == JsonSerializer.Serialize(b, DocumentJson.Options),
                v => JsonSerializer.Serialize(v, DocumentJson.Options).GetHashCode(),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, DocumentJson.Options), DocumentJson.Options)!));
    }
}
