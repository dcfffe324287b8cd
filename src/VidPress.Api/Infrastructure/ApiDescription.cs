namespace VidPress.Api.Infrastructure;

/// <summary>What the API description (Swagger) says every keyed endpoint may answer besides its own results.</summary>
public static class ApiDescription
{
    /// <summary>400 (a request that cannot be read or fails validation), 401 (no or a revoked key), 429 (the tenant's rate), 503 (the database away).</summary>
    public static TBuilder WithApiProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));

    /// <summary>The endpoint reads the Idempotency-Key header (<see cref="Idempotency"/>).</summary>
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder builder) => builder.WithMetadata(new IdempotencyKeyMetadata());

    /// <summary>The query parameter <paramref name="name"/> takes <typeparamref name="TEnum"/>'s wire names, though the handler reads it as text (to answer a bad one itself).</summary>
    public static RouteHandlerBuilder TakesQueryEnum<TEnum>(this RouteHandlerBuilder builder, string name, bool required = true) where TEnum : struct, Enum =>
        builder.WithMetadata(new QueryEnumMetadata(name, typeof(TEnum), required));
}

public static class UploadDescription
{
    /// <summary>A multipart upload of <typeparamref name="TForm"/>'s fields, and what an upload may be refused with.</summary>
    public static RouteHandlerBuilder AcceptsUpload<TForm>(this RouteHandlerBuilder builder) where TForm : notnull =>
        builder.Accepts<TForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>The form of POST /library/assets, for the API description (the endpoint streams the parts itself).</summary>
/// <param name="ExpiresAt">ISO 8601; after it the asset is never picked for a video.</param>
public sealed record AssetUploadForm(IFormFile File, string? Title, string? Description, string? Tags, string? Licence, string? Credit, string? ExpiresAt);

/// <summary>The form of POST /library/music, for the API description.</summary>
/// <param name="Moods">Comma-separated mood tags a video's "music" can ask for.</param>
public sealed record MusicUploadForm(IFormFile File, string? Title, string? Moods, string? Credit);
