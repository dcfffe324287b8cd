using VidPress.Core.Data;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// The tenant a request acts for. Every query of tenant data filters by it; it never comes from the
/// request body. Until API keys exist every request acts for the default tenant.
/// </summary>
public sealed class TenantContext
{
    public Guid TenantId { get; set; } = Tenant.DefaultId;
}
