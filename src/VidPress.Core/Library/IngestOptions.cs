namespace VidPress.Core.Library;

/// <summary>
/// How an upload is made searchable: scene detection (where shots start), keyframes and their quality, thumbnails,
/// and the limits of the ffmpeg runs. Bound from the "Library" section, whose keys these have always been
/// (<c>Library:SceneThreshold</c>, <c>Library:DecodeThreads</c> …).
/// </summary>
public sealed class IngestOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Library";

    /// <summary>A long shot gets a keyframe every this many seconds; a short one gets one in its middle.</summary>
    [Between(0.1, 3600)]
    public double KeyframeIntervalSeconds { get; set; } = 2.0;
    /// <summary>Scene score (0–1) above which a frame always starts a new shot.</summary>
    [Between(0, 1)]
    public double SceneThreshold { get; set; } = 0.3;
    /// <summary>A lower score that still starts a shot when it is <see cref="ScenePeakRatio"/> times its neighbours' mean.</summary>
    [Between(0, 1)]
    public double ScenePeakMinScore { get; set; } = 0.08;
    [AtLeast(1)]
    public double ScenePeakRatio { get; set; } = 4;
    [Between(0, 3600)]
    public double MinShotSeconds { get; set; } = 1.0;
    /// <summary>A gradual transition (dissolve, wipe) changes the picture by at least this much (mean absolute, 0–1) over two seconds.</summary>
    [Between(0, 1)]
    public double GradualMinChange { get; set; } = 0.08;
    /// <summary>Keyframes decoded and embedded together: bounds memory (a 640-px candidate is ~0.7 MB as RGB) while batching CLIP.</summary>
    [Between(1, 1024)]
    public int KeyframeBatchSize { get; set; } = 16;
    /// <summary>
    /// The scene pass also keeps one frame per this many seconds (the first of each slot) as a candidate keyframe;
    /// a keyframe is the candidate nearest to its planned time, so at most half this off.
    /// </summary>
    [Between(0.04, 60)]
    public double KeyframeCandidateSeconds { get; set; } = 0.5;
    /// <summary>Candidates are kept at most this wide: CLIP sees 224 px, thumbnails are 320, quality is measured at 320.</summary>
    [Between(16, 8192)]
    public int KeyframeCandidateWidth { get; set; } = 640;
    [Between(16, 8192)]
    public int ThumbnailWidth { get; set; } = 320;
    /// <summary>
    /// Decoder threads for the scene pass (ffmpeg's <c>-threads</c> on the input). H.264 decodes frames in parallel,
    /// and more threads than cores keep the cores busy while one frame waits for its references: 8 decodes 720p
    /// ~10 % faster than ffmpeg's automatic choice on two cores (docs/benchmarks.md). 0 leaves it to ffmpeg.
    /// </summary>
    [Between(0, 64)]
    public int DecodeThreads { get; set; } = 8;
    /// <summary>
    /// How long one ffmpeg run of an ingest may take. The scene pass, which decodes the whole file, gets this plus the
    /// footage's own duration (<see cref="SceneDetector.TimeoutFor"/>): uploads of hours are accepted, and 4K decodes
    /// at a few times realtime on two cores.
    /// </summary>
    [Duration("00:00:01", "1.00:00:00")]
    public TimeSpan IngestToolTimeout { get; set; } = TimeSpan.FromMinutes(10);
    public QualityThresholds Quality { get; set; } = new();

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (ScenePeakMinScore > SceneThreshold)
            yield return new($"must be at most Library:SceneThreshold ({SceneThreshold}): a peak below the threshold is what it lets start a shot.",
                [nameof(ScenePeakMinScore)]);
    }
}

/// <summary>Below which a keyframe is not worth showing ("Library:Quality:…").</summary>
public sealed class QualityThresholds
{
    /// <summary>Mean luma below this is a black frame (fades, lens cap, slates).</summary>
    [Between(0, 1)]
    public double MinBrightness { get; set; } = 0.06;
    /// <summary>Luma spread below this is a blank frame: one colour, nothing to see.</summary>
    [Between(0, 1)]
    public double MinContrast { get; set; } = 0.02;
    /// <summary>
    /// Laplacian variance (0–255 luma, 320 px analysis width) below this is a blur. Low on purpose: a clean
    /// graphic with a few hard edges scores tens, a badly out-of-focus frame scores under one.
    /// </summary>
    [AtLeast(0)]
    public double MinSharpness { get; set; } = 2.0;
}
