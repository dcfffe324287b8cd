namespace VidPress.Core.Script;

/// <summary>The narration languages the service supports, and how to tell them apart.</summary>
public static class Languages
{
    public const string English = "en";
    public const string Chinese = "zh";

    public static readonly IReadOnlyList<string> Supported = [English, Chinese];

    public static bool IsSupported(string? language) => language is not null && Supported.Contains(Normalise(language));

    public static string Normalise(string language) => language.ToLowerInvariant() switch
    {
        "zh" or "zh-cn" or "zh-hans" or "cmn" or "chinese" => Chinese,
        "en" or "en-us" or "en-gb" or "english" => English,
        var other => other,
    };

    /// <summary>The narration language of an article: the caller's when given (normalised), else detected from the text.</summary>
    public static string Choose(string? requested, string articleText) => requested is not null ? Normalise(requested) : Detect(articleText);

    /// <summary>A language the service cannot narrate is the caller's mistake (<see cref="VideoInputException"/>).</summary>
    public static void RequireSupported(string language)
    {
        if (!IsSupported(language)) throw new VideoInputException($"Language '{language}' is not supported.");
    }

    /// <summary>Chinese when at least a fifth of the letters are CJK ideographs, English otherwise.</summary>
    public static string Detect(string text)
    {
        int cjk = 0, letters = 0;
        foreach (var c in text)
        {
            if (IsCjk(c)) { cjk++; letters++; }
            else if (char.IsLetter(c)) letters++;
        }
        return letters > 0 && cjk * 5 >= letters ? Chinese : English;
    }

    public static bool IsCjk(char c) => Articles.CjkText.IsIdeograph(c);
}
