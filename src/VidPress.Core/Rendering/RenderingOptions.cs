namespace VidPress.Core.Rendering;

/// <summary>How a timeline is drawn into an MP4 (x264, loudness, AAC); bound from the "Rendering" section.</summary>
public sealed class RenderingOptions
{
    public const string SectionName = "Rendering";

    [OneOf("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow")]
    public string Preset { get; set; } = "veryfast";
    [Duration("00:00:10", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
    [Between(0, 3600)]
    public double PosterAtSeconds { get; set; } = 1.0;
    /// <summary>Parallel ffmpeg runs per video; 0 means one per processor core.</summary>
    [Between(0, 256)]
    public int Segments { get; set; }
    /// <summary>Videos shorter than this are drawn in one run: a second process would not pay for itself.</summary>
    [Between(1, 3600)]
    public double MinSecondsPerSegment { get; set; } = 15;
    [Between(-70, -5)]
    public double LoudnessTarget { get; set; } = -16;
    /// <summary>Aimed half a decibel under the −1 dBTP ceiling to leave room for AAC's overshoot.</summary>
    [Between(-9, 0)]
    public double TruePeakTarget { get; set; } = -1.5;
    /// <summary>
    /// ffmpeg's AAC coder: "fast" encodes the soundtrack in about half the time of the default "twoloop",
    /// which at 160 kb/s for speech over a music bed makes no audible difference.
    /// </summary>
    [OneOf("fast", "twoloop", "anmr")]
    public string AacCoder { get; set; } = "fast";
    public static readonly IReadOnlyList<string> AacCoders = ["fast", "twoloop", "anmr"];
}
