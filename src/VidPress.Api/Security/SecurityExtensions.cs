using Microsoft.AspNetCore.Authorization;
using VidPress.Core;
using VidPress.Core.Tenants;

namespace VidPress.Api.Security;

public static class SecurityExtensions
{
    /// <summary>API keys, per-tenant rate limits and request size limits.</summary>
    public static WebApplicationBuilder AddVidPressSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AuthOptions>(AuthOptions.SectionName);
        services.AddValidatedOptions<LimitOptions>(LimitOptions.SectionName);
        services.AddHttpContextAccessor();
        services.AddAuthentication(ApiKeyClaims.Scheme).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, null);
        // Every endpoint needs a key unless it says otherwise (health, signed downloads); static files,
        // Swagger and the Hangfire dashboard are middleware ahead of this and are not endpoints.
        var required = builder.Configuration.GetValue("Auth:Required", true);
        services.AddAuthorizationBuilder().SetFallbackPolicy(required ? new AuthorizationPolicyBuilder(ApiKeyClaims.Scheme).RequireAuthenticatedUser().Build() : null);
        services.AddRateLimiter(RequestLimits.Configure);
        services.AddSwaggerGen(o => o.AddSecurityDefinition(ApiKeyClaims.Scheme, new Microsoft.OpenApi.OpenApiSecurityScheme
        {
            Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey, In = Microsoft.OpenApi.ParameterLocation.Header, Name = ApiKeyFormat.HeaderName,
            Description = "Create one with ./vidpress key create --tenant NAME",
        }));
        // Without a requirement Swagger UI would show the Authorize button but never send the key.
        services.AddSwaggerGen(o => o.AddSecurityRequirement(document => new Microsoft.OpenApi.OpenApiSecurityRequirement
        {
            [new Microsoft.OpenApi.OpenApiSecuritySchemeReference(ApiKeyClaims.Scheme, document)] = [],
        }));
        return builder;
    }

    public static WebApplication UseVidPressSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.Use(RequestLimits.LimitBodyAsync);
        return app;
    }
}
