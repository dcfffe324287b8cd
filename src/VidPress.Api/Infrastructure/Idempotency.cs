using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// The Idempotency-Key header of creating requests: the same key with the same request answers with the
/// resource the first request made; the same key with another request is a 422. A unique index on
/// (tenant, key) settles concurrent first requests: the loser finds the winner's row and answers with it.
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <returns>False with a problem when the header is present but unusable; true with a null key when it is absent.</returns>
    public static bool TryReadKey(HttpRequest request, out string? key, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        key = null;
        problem = null;
        if (!request.Headers.TryGetValue(HeaderName, out var values)) return true;
        var value = values.ToString().Trim();
        if (values.Count != 1 || value.Length is 0 or > MaxKeyLength || !value.All(c => c is >= '!' and <= '~'))
        {
            problem = Problems.BadRequest($"Not a usable {HeaderName}.", $"Send one key of 1 to {MaxKeyLength} visible ASCII characters, e.g. a UUID.");
            return false;
        }
        key = value;
        return true;
    }

    /// <summary>SHA-256 of the parts, each length-prefixed so that no two different part lists hash alike.</summary>
    public static string Hash(IEnumerable<string?> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = part is null ? [] : Encoding.UTF8.GetBytes(part);
            hash.AppendData(Encoding.ASCII.GetBytes($"{(part is null ? -1 : bytes.Length)}:"));
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static ProblemHttpResult Mismatch() => Problems.Unprocessable(
        $"This {HeaderName} was used for a different request.",
        $"A {HeaderName} names one request; send a new key for a new request.");

    /// <summary>Whether the save failed on the (tenant, idempotency key) unique index of that table.</summary>
    public static bool IsKeyConflict(DbUpdateException e, string table) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg && pg.ConstraintName == $"IX_{table}_TenantId_IdempotencyKey";
}
