using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// Writes a problem as application/problem+json whatever the request's Accept header lists. ASP.NET Core's own
/// writer declines a request whose Accept names neither JSON type (Accept: application/xml, or text/html without
/// */*): IProblemDetailsService.WriteAsync then threw, so a 401, 413 or 429 became a 500, and the status-code pages
/// answered a 404 or 405 in plain text. Registered after AddProblemDetails, it is asked only when that writer declines.
/// </summary>
public sealed class AnyAcceptProblemWriter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        problem.Status ??= response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        return new ValueTask(response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json",
            context.HttpContext.RequestAborted));
    }
}
