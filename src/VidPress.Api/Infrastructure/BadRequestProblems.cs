using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// A request the endpoints cannot bind (malformed JSON, "?limit=abc", a missing body) becomes a ProblemDetails
/// with its status (400, or 413/415 where Kestrel says so) and what could not be read, in every environment.
/// Minimal APIs throw these only in Development unless told to; without this handler Development answered 500
/// and other environments an empty 400 that said nothing of the cause. Where the field is known (the JSON path of
/// a value the converters of <see cref="ClientInput"/> refused, a query parameter that is not a number) the answer
/// is a validation problem whose errors name it, like the endpoints' own.
/// </summary>
public sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;
        context.Response.StatusCode = bad.StatusCode;
        // The JSON reader's message names the position in the caller's own body; nothing of the server's.
        var json = bad.InnerException as JsonException;
        var detail = json is not null ? $"{bad.Message} {json.Message}" : bad.Message;
        var field = json is not null ? ClientInput.FieldOf(json.Path) : BoundParameter().Match(bad.Message) is { Success: true } m ? m.Groups[1].Value : null;
        Microsoft.AspNetCore.Mvc.ProblemDetails problem = field is null || bad.StatusCode != StatusCodes.Status400BadRequest
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [json?.Message ?? bad.Message] });
        problem.Status = bad.StatusCode;
        problem.Title = ReasonPhrases.GetReasonPhrase(bad.StatusCode) + ".";
        problem.Detail = detail;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    // "Failed to bind parameter "int? limit" from "abc"." names the parameter after its type.
    [GeneratedRegex("""parameter "(?:[^"]* )?([A-Za-z_][A-Za-z0-9_]*)" """)]
    private static partial Regex BoundParameter();
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
