using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// A request that meets the database away (restarting, failing over, refusing connections) is a 503 with Retry-After,
/// not a 500: nothing was stored (each change runs in its transaction), and the same request can simply be sent again.
/// </summary>
public sealed class DatabaseUnavailableProblems(IProblemDetailsService problems, ILogger<DatabaseUnavailableProblems> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception) || context.Response.HasStarted) return false;
        logger.LogWarning(exception, "The database is unavailable; {Method} {Path} answered 503", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable, Title = "Service unavailable.",
                Detail = $"The service's database cannot be reached just now; nothing was changed. Try again in {RetryAfterSeconds} s.",
            },
        });
    }

    /// <summary>A connection that failed or was refused, anywhere in the chain; an error of the query itself is not one.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RetryLimitExceededException:
                    return true;
                // 08: connection exception; 57P01–57P03: the server is shutting down or not yet accepting connections.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03";
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }
        return false;
    }
}
