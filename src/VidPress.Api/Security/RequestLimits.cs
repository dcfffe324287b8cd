using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace VidPress.Api.Security;

/// <summary>Endpoint metadata: the endpoint reads a large body itself and enforces its own limit.</summary>
public sealed class OwnsBodyLimit;

public static class RequestLimits
{
    /// <summary>A fixed one-minute window per tenant (per address without a key), sized by the tenant's own limit.</summary>
    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (string Who, int Limit)>(context =>
        {
            var fallback = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<LimitOptions>>().Value.RequestsPerMinute;
            var user = context.User;
            (string Who, int Limit) partition = user.FindFirst(ApiKeyClaims.TenantId)?.Value is { } tenant
                ? ("tenant:" + tenant, int.TryParse(user.FindFirst(ApiKeyClaims.RequestsPerMinute)?.Value, CultureInfo.InvariantCulture, out var own) ? own : fallback)
                : ("address:" + context.Connection.RemoteIpAddress, fallback);
            // The limit is part of the partition key, so a changed tenant limit takes effect at once.
            return RateLimitPartition.GetFixedWindowLimiter(partition, p => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, p.Limit), Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
            });
        });
        options.OnRejected = async (context, ct) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests.", $"Try again in {seconds} s.");
        };
    }

    /// <summary>
    /// 413 before the endpoint runs: at once when Content-Length says so, otherwise (a chunked body) by
    /// reading at most the limit into memory; JSON endpoints are small enough for that.
    /// </summary>
    public static async Task LimitBodyAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (context.GetEndpoint()?.Metadata.GetMetadata<OwnsBodyLimit>() is not null || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            await next(context);
            return;
        }
        var max = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<LimitOptions>>().Value.MaxJsonBodyBytes;
        if (request.ContentLength > max)
        {
            await TooLargeAsync(context, max);
            return;
        }
        if (request.ContentLength is null)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = max;
            var buffered = new MemoryStream();
            try
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                {
                    if (buffered.Length + read > max)
                    {
                        await TooLargeAsync(context, max);
                        return;
                    }
                    buffered.Write(chunk, 0, read);
                }
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await TooLargeAsync(context, max);
                return;
            }
            buffered.Position = 0;
            request.Body = buffered;
        }
        await next(context);
    }

    private static Task TooLargeAsync(HttpContext context, long max) =>
        WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Too large.", $"Request bodies up to {max} bytes are accepted here.");

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
