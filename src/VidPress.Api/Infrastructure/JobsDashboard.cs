using Hangfire;
using Hangfire.Dashboard;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// Hangfire's dashboard at /hangfire, for operators on this machine. Three guards:
/// <list type="bullet">
/// <item>only local requests (Hangfire's <see cref="LocalRequestsOnlyAuthorizationFilter"/>);</item>
/// <item>an antiforgery token on every POST: with <c>IAntiforgery</c> registered, Hangfire.AspNetCore puts the token
/// into each page (the dashboard's script sends it back in a header, beside a SameSite=Strict cookie) and answers 403
/// to a POST without a valid pair, so a page on another origin, opened in an operator's browser, cannot delete or
/// requeue jobs through it;</item>
/// <item>read-only unless <c>Operations:DashboardWritable</c> is true: even a same-origin POST with a token changes
/// nothing (Hangfire answers 401 and shows no buttons).</item>
/// </list>
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";
    public const string WritableSetting = "Operations:DashboardWritable";

    public static IServiceCollection AddJobsDashboard(this IServiceCollection services)
    {
        // Hangfire.AspNetCore checks tokens whenever this service exists. The API's own endpoints take API keys, not
        // cookies, and have no antiforgery metadata (the two uploads opt out explicitly), so they are not affected.
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "vidpress-dashboard-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = Path;
        });
        return services;
    }

    public static WebApplication UseJobsDashboard(this WebApplication app)
    {
        var writable = app.Configuration.GetValue(WritableSetting, false);
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new LocalRequestsOnlyAuthorizationFilter()],
            IsReadOnlyFunc = _ => !writable,
            DisplayNameFunc = JobNames.For,
        });
        return app;
    }
}
