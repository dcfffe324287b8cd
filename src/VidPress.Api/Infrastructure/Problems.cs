using Microsoft.AspNetCore.Http.HttpResults;

namespace VidPress.Api.Infrastructure;

/// <summary>The service's error answers, all as RFC 9457 problem details.</summary>
public static class Problems
{
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        });

    public static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {what} {id}.");

    public static ProblemHttpResult NotReady(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not ready.", detail: detail);

    public static ProblemHttpResult Unprocessable(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail);

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large.", detail: detail);

    /// <summary>429 for a queue with no room, with the Retry-After the queue gives (also named in the detail).</summary>
    public static ProblemHttpResult QueueFull(HttpResponse response, string title, string detail, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title, detail: $"{detail} Try again in {seconds} s.");
    }

    public static ProblemHttpResult BadRequest(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
