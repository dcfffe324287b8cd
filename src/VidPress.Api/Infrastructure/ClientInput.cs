using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Primitives;

namespace VidPress.Api.Infrastructure;

/// <summary>
/// What any text or number a client sends must be, checked once where it enters (JSON bodies through the converters
/// below, query strings and route values by <see cref="CheckQueryAsync"/>, multipart fields and file names by
/// <see cref="FormProblems"/>), so no endpoint meets a value PostgreSQL, the JSON writer or ffmpeg cannot take:
/// no NUL (U+0000, which PostgreSQL text and jsonb refuse), no unpaired UTF-16 surrogate (not encodable as UTF-8),
/// no NaN or infinity (not JSON; "1e400" reads as infinity), each a 400 naming the field, before anything is stored.
/// </summary>
public static class ClientInput
{
    /// <summary>Why <paramref name="value"/> cannot be taken, or null when it can.</summary>
    public static string? TextProblem(string? value)
    {
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return "NUL characters (U+0000) are not accepted.";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return "Unpaired UTF-16 surrogates are not accepted.";
        }
        return null;
    }

    public const string NotFinite = "A finite number is required: NaN, Infinity and numbers beyond ±1.7e308 (such as 1e400) are not accepted.";

    /// <summary>The converters that hold every JSON request body to <see cref="TextProblem"/> and to finite numbers.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new CheckedStringConverter());
        options.Converters.Add(new FiniteConverter<double>());
        options.Converters.Add(new FiniteConverter<float>());
        return options;
    }

    /// <summary>A query parameter or route value with a NUL or an unpaired surrogate is a 400 naming it, before any endpoint runs.</summary>
    public static async Task CheckQueryAsync(HttpContext context, RequestDelegate next)
    {
        var problems = new Dictionary<string, string[]>();
        foreach (var (name, values) in context.Request.Query)
            if ((TextProblem(name) ?? values.Select(TextProblem).FirstOrDefault(p => p is not null)) is { } problem)
                problems[name] = [problem];
        foreach (var (name, value) in context.Request.RouteValues)
            if (value is string text && TextProblem(text) is { } problem)
                problems[name] = [problem];
        if (problems.Count == 0)
        {
            await next(context);
            return;
        }
        await Problems.Validation(problems).ExecuteAsync(context);
    }

    /// <summary>The fields (by name) and file name (as "file") of a multipart form that fail <see cref="TextProblem"/>.</summary>
    public static Dictionary<string, string[]> FormProblems(IEnumerable<KeyValuePair<string, StringValues>> fields, string? fileName)
    {
        var problems = new Dictionary<string, string[]>();
        foreach (var (name, values) in fields)
            if ((TextProblem(name) ?? values.Select(TextProblem).FirstOrDefault(p => p is not null)) is { } problem)
                problems[name] = [problem];
        if (TextProblem(fileName) is { } badName) problems["file"] = ["The file name: " + badName];
        else if (fileName is { Length: > MaxFileNameCharacters }) problems["file"] = [$"File names of at most {MaxFileNameCharacters} characters."];
        return problems;
    }

    public const int MaxFileNameCharacters = 255;

    /// <summary>
    /// The request field a JSON path names, as the validation problems name fields: "$.clips[3].shotId" is
    /// "clips[3].shotId"; null for the body as a whole.
    /// </summary>
    public static string? FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return null;
        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return field.Length == 0 ? null : field;
    }

    private sealed class CheckedStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return TextProblem(value) is { } problem ? throw new JsonException(problem) : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>A double or float that must be finite: NaN, Infinity and numbers past the type's range are refused.</summary>
    private sealed class FiniteConverter<T> : JsonConverter<T> where T : struct, IFloatingPointIeee754<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // The web defaults read a number written as a string ("60"); "NaN" and "Infinity" are not numbers.
            var isString = reader.TokenType == JsonTokenType.String;
            if (!isString && reader.TokenType != JsonTokenType.Number) throw new JsonException(NotFinite);
            ReadOnlySpan<byte> text = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
            if (isString && reader.ValueIsEscaped) text = System.Text.Encoding.UTF8.GetBytes(reader.GetString()!);
            if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new JsonException(isString ? "Not a number." : NotFinite);
            return T.IsFinite(value) ? value : throw new JsonException(NotFinite);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (value is float single) writer.WriteNumberValue(single);
            else writer.WriteNumberValue(double.CreateTruncating(value));
        }
    }
}
