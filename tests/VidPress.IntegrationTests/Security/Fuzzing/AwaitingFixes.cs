namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>
/// Defect classes of the security issue that other changes are fixing while this fuzzer lands. A failure whose
/// server-side cause is one of them is listed in the test output but does not fail the test, unless
/// VIDPRESS_FUZZ_STRICT=1; every other failure does. Remove an entry once its fix has merged, and the fuzzer guards
/// that class too.
/// </summary>
public static class AwaitingFixes
{
    public static readonly (string Defect, Func<FuzzFailure, bool> Matches)[] All =
    [
        ("NaN, Infinity or 1e400 (also as a string) read into a number field, then failing to serialise",
            f => Is500(f) && f.Detail.Contains("infinity cannot be written as valid JSON", StringComparison.Ordinal)),
        ("NUL in a string field, refused by PostgreSQL's jsonb or text (22P05, 22021)",
            f => Is500(f) && (f.Detail.Contains("22P05", StringComparison.Ordinal) || f.Detail.Contains("22021", StringComparison.Ordinal))),
        ("a string longer than its column (22001)",
            f => Is500(f) && f.Detail.Contains("22001", StringComparison.Ordinal)),
        ("a media stream without codec_type",
            f => f.Detail.Contains("KeyNotFoundException", StringComparison.Ordinal)
                 && (f.Detail.Contains("MediaProbe", StringComparison.Ordinal) || f.Detail.Contains("MusicLibrary", StringComparison.Ordinal))),
    ];

    private static bool Is500(FuzzFailure f) => f.Signature.Contains(": 500", StringComparison.Ordinal);

    public static bool Strict => Environment.GetEnvironmentVariable("VIDPRESS_FUZZ_STRICT") == "1";

    /// <summary>The defect a failure belongs to, or null when it is none of those awaited.</summary>
    public static string? Of(FuzzFailure failure) => All.FirstOrDefault(d => d.Matches(failure)).Defect;
}
