using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Tenants;

namespace VidPress.Api.Security;

public static class ApiKeyClaims
{
    public const string Scheme = "ApiKey";
    public const string TenantId = "vidpress:tenant";
    public const string KeyId = "vidpress:key";
    public const string RequestsPerMinute = "vidpress:rpm";
}

/// <summary>
/// Finds the key by its prefix and compares the SHA-256 of the presented key in constant time; revoked
/// keys and keys of unknown prefixes fail alike. The tenant comes from the key row only.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    VidPressDbContext db, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyFormat.HeaderName, out var values)) return AuthenticateResult.NoResult();
        var key = values.ToString().Trim();
        if (!ApiKeyFormat.TryGetPrefix(key, out var prefix)) return AuthenticateResult.Fail("Malformed API key.");

        var candidates = await (from k in db.ApiKeys.AsNoTracking()
                                join t in db.Tenants.AsNoTracking() on k.TenantId equals t.Id
                                where k.Prefix == prefix && k.RevokedAt == null
                                select new { k.Id, k.TenantId, k.KeyHash, t.RequestsPerMinute }).ToListAsync(Context.RequestAborted);
        var match = candidates.FirstOrDefault(c => ApiKeyFormat.Matches(key, c.KeyHash));
        if (match is null) return AuthenticateResult.Fail("Unknown or revoked API key.");

        List<Claim> claims = [new(ApiKeyClaims.TenantId, match.TenantId.ToString()), new(ApiKeyClaims.KeyId, match.Id.ToString())];
        if (match.RequestsPerMinute is { } rpm) claims.Add(new Claim(ApiKeyClaims.RequestsPerMinute, rpm.ToString(CultureInfo.InvariantCulture)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyClaims.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyClaims.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{ApiKeyClaims.Scheme} header=\"{ApiKeyFormat.HeaderName}\"";
        var failure = (await Context.AuthenticateAsync(ApiKeyClaims.Scheme)).Failure;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is required.",
                Detail = failure?.Message ?? $"Send your key in the {ApiKeyFormat.HeaderName} header.",
            },
        });
    }
}
