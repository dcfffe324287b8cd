namespace VidPress.Core.Library;

/// <summary>
/// What an upload to the library may be, in size and length; bound from the "Library" section
/// (<c>Library:MaxUploadBytes</c>, <c>Library:MaxMusicSeconds</c>), beside <see cref="IngestOptions"/> and
/// <see cref="ShotSearchOptions"/>.
/// </summary>
public sealed class LibraryUploadOptions
{
    public const string SectionName = "Library";

    [AtLeast(1)]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>
    /// The longest music bed accepted, in seconds (1 s to 3 h): its sound is decoded whole, as mono float PCM at
    /// 22,050 Hz (~5 MB a minute), for the beat tracker at upload.
    /// </summary>
    [Between(1, MaxMusicSecondsCeiling, MinimumExcluded = true)]
    public double MaxMusicSeconds { get; set; } = 15 * 60;
    public const double MaxMusicSecondsCeiling = 3 * 60 * 60;
}
