using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// A request the endpoints cannot bind (malformed JSON, "?limit=abc", a missing body) becomes a ProblemDetails
/// with its status (400, or 413/415 where Kestrel says so) and what could not be read, in every environment.
/// Minimal APIs throw these only in Development unless told to; without this handler Development answered 500
/// and other environments an empty 400 that said nothing of the cause.
/// </summary>
public sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;
        context.Response.StatusCode = bad.StatusCode;
        // The JSON reader's message names the position in the caller's own body; nothing of the server's.
        var detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = bad.StatusCode, Title = ReasonPhrases.GetReasonPhrase(bad.StatusCode) + ".", Detail = detail },
        });
    }
}

public static class BadRequestProblemsExtensions
{
    /// <summary>Binding failures throw in every environment, and <see cref="BadRequestProblems"/> answers them.</summary>
    public static IServiceCollection AddBadRequestProblems(this IServiceCollection services)
    {
        services.AddExceptionHandler<BadRequestProblems>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
