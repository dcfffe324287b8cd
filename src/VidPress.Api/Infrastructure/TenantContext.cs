using Microsoft.Extensions.Options;
using VidPress.Api.Security;
using VidPress.Core.Data;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// The tenant a request acts for. Every query of tenant data filters by it; it comes from the API key
/// the request was authenticated with, never from the request body.
/// </summary>
public sealed class TenantContext(IHttpContextAccessor accessor, IOptions<AuthOptions> auth)
{
    public Guid TenantId =>
        accessor.HttpContext?.User.FindFirst(ApiKeyClaims.TenantId)?.Value is { } id ? Guid.Parse(id)
        // Only reachable without a key when keys are optional; otherwise the endpoint would have answered 401.
        : !auth.Value.Required ? Tenant.DefaultId
        : throw new InvalidOperationException("No authenticated tenant on this request.");
}
