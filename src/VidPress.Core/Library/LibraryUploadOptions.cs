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

    /// <summary>
    /// Bytes of uploads one tenant may have waiting for or in ingest; an upload beyond it is answered 429 (one upload
    /// is always taken while none of the tenant's is in ingest, however large).
    /// </summary>
    [AtLeast(1)]
    public long MaxIngestBytesInFlightPerTenant { get; set; } = 20L * 1024 * 1024 * 1024;
    /// <summary>Ingest speed (bytes a second, one job) assumed for that 429's Retry-After until an ingest has finished to measure it.</summary>
    [AtLeast(1)]
    public long AssumedIngestBytesPerSecond { get; set; } = 10L * 1024 * 1024;
}
