namespace VidPress.Core.Media;

public enum StorageKind { Local, S3 }

/// <summary>Where media files live (local disk or an S3-compatible bucket); bound from the "Storage" section.</summary>
public sealed class StorageOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Storage";

    public StorageKind Kind { get; set; } = StorageKind.Local;
    /// <summary>
    /// Folder that holds media files (Local), or the local cache and scratch space beside a bucket (S3);
    /// relative paths are taken from the working directory.
    /// </summary>
    [Set]
    public string Root { get; set; } = "media";
    public S3StorageOptions S3 { get; set; } = new();
    /// <summary>
    /// Scratch folders untouched this long are removed (<see cref="LocalFilesSweeper"/>): those of runs that died
    /// (a killed worker, a lost machine). Far longer than any ingest or render may take.
    /// </summary>
    [Duration("00:10:00", "365.00:00:00")]
    public TimeSpan ScratchMaxAge { get; set; } = TimeSpan.FromDays(1);
    /// <summary>With S3, local copies not used this long are dropped from the cache (fetched again when needed).</summary>
    [Duration("00:01:00", "365.00:00:00")]
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromDays(7);
    [Duration("00:00:01", "7.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (Kind == StorageKind.S3 && string.IsNullOrWhiteSpace(S3.Bucket))
            yield return new("must be set when Storage:Kind is S3.", [$"{nameof(S3)}:{nameof(S3StorageOptions.Bucket)}"]);
    }
}

/// <summary>The bucket of <see cref="StorageKind.S3"/> storage ("Storage:S3:…").</summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint of an S3-compatible service (MinIO, Ceph, R2…); empty means AWS itself, in <see cref="Region"/>.</summary>
    [HttpUrl(Optional = true)]
    public string? ServiceUrl { get; set; }
    [Set]
    public string Region { get; set; } = "us-east-1";
    public string Bucket { get; set; } = "";
    /// <summary>Empty means the SDK's usual credential chain (environment, instance role).</summary>
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    /// <summary>Prepended to every key, so several deployments can share one bucket.</summary>
    public string Prefix { get; set; } = "";
    /// <summary>Path-style URLs (endpoint/bucket/key): what MinIO-like services expect.</summary>
    public bool ForcePathStyle { get; set; } = true;
}
