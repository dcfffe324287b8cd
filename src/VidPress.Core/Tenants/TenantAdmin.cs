using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VidPress.Core.Data;

namespace VidPress.Core.Tenants;

public sealed record CreatedKey(Guid TenantId, string TenantName, bool TenantCreated, string? WebhookSecret, Guid KeyId, string Prefix, string Key);

public sealed record KeySummary(Guid KeyId, string TenantName, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Operator actions on tenants and their keys; behind the admin command, never behind HTTP.</summary>
public sealed class TenantAdmin(VidPressDbContext db, TimeProvider clock)
{
    /// <summary>A new key for the tenant of that name, creating the tenant (with its own webhook secret) when there is none.</summary>
    public async Task<CreatedKey> CreateKeyAsync(string tenantName, string? label, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tenantName) || tenantName.Length > 200) throw new ArgumentException("A tenant name of 1 to 200 characters is required.", nameof(tenantName));
        var now = clock.GetUtcNow();
        var tenant = await FindAsync(tenantName, ct);
        var created = tenant is null;
        if (tenant is null)
        {
            tenant = new Tenant { Id = Guid.NewGuid(), Name = tenantName.Trim(), WebhookSecret = NewWebhookSecret(), CreatedAt = now };
            db.Tenants.Add(tenant);
        }
        var key = ApiKeyFormat.Generate();
        var row = new ApiKey
        {
            Id = Guid.NewGuid(), TenantId = tenant.Id, Name = string.IsNullOrWhiteSpace(label) ? $"key {now:yyyy-MM-dd HH:mm}" : label.Trim(),
            Prefix = key.Prefix, KeyHash = key.Hash, CreatedAt = now,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreatedKey(tenant.Id, tenant.Name, created, created ? tenant.WebhookSecret : null, row.Id, row.Prefix, key.Key);
    }

    public async Task<IReadOnlyList<KeySummary>> ListKeysAsync(string? tenantName, CancellationToken ct) =>
        await (from k in db.ApiKeys.AsNoTracking()
               join t in db.Tenants.AsNoTracking() on k.TenantId equals t.Id
               where tenantName == null || t.Name == tenantName
               orderby t.Name, k.CreatedAt
               select new KeySummary(k.Id, t.Name, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt)).ToListAsync(ct);

    /// <summary>Revokes the key with that prefix (a whole key works too); false when there is no live one.</summary>
    public async Task<bool> RevokeKeyAsync(string prefixOrKey, CancellationToken ct)
    {
        var prefix = ApiKeyFormat.TryGetPrefix(prefixOrKey, out var parsed) ? parsed : prefixOrKey.Trim();
        var now = clock.GetUtcNow();
        return await db.ApiKeys.Where(k => k.Prefix == prefix && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct) > 0;
    }

    /// <summary>The tenant's webhook secret, a new one when <paramref name="rotate"/>; null means the service-wide secret signs.</summary>
    public async Task<string?> WebhookSecretAsync(string tenantName, bool rotate, CancellationToken ct)
    {
        var tenant = await FindAsync(tenantName, ct) ?? throw new KeyNotFoundException($"No tenant named '{tenantName}'.");
        if (rotate)
        {
            tenant.WebhookSecret = NewWebhookSecret();
            await db.SaveChangesAsync(ct);
        }
        return tenant.WebhookSecret;
    }

    /// <summary>Sets the tenant's requests per minute; null returns it to the service-wide default.</summary>
    public async Task SetRequestsPerMinuteAsync(string tenantName, int? requestsPerMinute, CancellationToken ct)
    {
        if (requestsPerMinute is <= 0) throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), "At least one request per minute.");
        var tenant = await FindAsync(tenantName, ct) ?? throw new KeyNotFoundException($"No tenant named '{tenantName}'.");
        tenant.RequestsPerMinute = requestsPerMinute;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Lets (or stops) the tenant's videos use generated stills where its library has nothing fitting.</summary>
    public async Task SetGenerationAsync(string tenantName, bool enabled, CancellationToken ct)
    {
        var tenant = await FindAsync(tenantName, ct) ?? throw new KeyNotFoundException($"No tenant named '{tenantName}'.");
        tenant.GenerationEnabled = enabled;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sets the tenant's default narration voice (an id the caller has checked against the voice catalogue); null returns it to the deployment's.</summary>
    public async Task SetDefaultVoiceAsync(string tenantName, string? voice, CancellationToken ct)
    {
        var tenant = await FindAsync(tenantName, ct) ?? throw new KeyNotFoundException($"No tenant named '{tenantName}'.");
        tenant.DefaultVoice = voice;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Lets (or stops) the tenant's requests ask for breaking priority (the queue every worker serves first).</summary>
    public async Task SetBreakingAsync(string tenantName, bool allowed, CancellationToken ct)
    {
        var tenant = await FindAsync(tenantName, ct) ?? throw new KeyNotFoundException($"No tenant named '{tenantName}'.");
        tenant.AllowBreaking = allowed;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A Standard Webhooks secret: "whsec_" and 256 random bits in base64.</summary>
    public static string NewWebhookSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private Task<Tenant?> FindAsync(string name, CancellationToken ct) =>
        db.Tenants.Where(t => t.Name == name.Trim()).OrderBy(t => t.CreatedAt).FirstOrDefaultAsync(ct);
}
