using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Media;

/// <summary>
/// Media in an S3-compatible bucket, shared by API and workers on several machines. ffmpeg needs files, so
/// reads go through a local cache under <see cref="StorageOptions.Root"/>, checked against the object's ETag
/// so that an object rewritten by another machine (a re-rendered video) is fetched again.
/// </summary>
public sealed class S3MediaStorage : IMediaStorage, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly S3StorageOptions _options;
    private readonly string _root;
    private readonly string _cache;

    public S3MediaStorage(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        _options = storage.S3;
        if (string.IsNullOrWhiteSpace(_options.Bucket)) throw new InvalidOperationException("Storage:S3:Bucket is not set.");
        _root = Path.GetFullPath(storage.Root);
        _cache = Path.Combine(_root, "s3-cache");
        var config = new AmazonS3Config
        {
            ForcePathStyle = _options.ForcePathStyle,
            // Checksums only where S3 demands them: many S3-compatible services reject the SDK's default trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(_options.ServiceUrl)) { config.ServiceURL = _options.ServiceUrl; config.AuthenticationRegion = _options.Region; }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_options.Region);
        _s3 = string.IsNullOrEmpty(_options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(_options.AccessKey, _options.SecretKey), config);
    }

    public async Task SaveAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        // Through a local file: the upload then has a known length and no chunked signing, and the cache is warm.
        var local = CachePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var partial = local + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = File.Create(partial))
                await content.CopyToAsync(file, cancellationToken);
            await ImportFileAsync(key, partial, cancellationToken);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task ImportFileAsync(string key, string localPath, CancellationToken cancellationToken = default)
    {
        var response = await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = ObjectKey(key),
            FilePath = localPath,
            UseChunkEncoding = false,
        }, cancellationToken);
        var cached = CachePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        File.Move(localPath, cached, overwrite: true);
        await File.WriteAllTextAsync(cached + ".etag", response.ETag, cancellationToken);
    }

    public async Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken = default)
    {
        var cached = CachePath(key);
        var etagFile = cached + ".etag";
        string etag;
        try
        {
            etag = (await _s3.GetObjectMetadataAsync(_options.Bucket, ObjectKey(key), cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"Media '{key}' is missing from storage.", key, e);
        }
        if (File.Exists(cached) && File.Exists(etagFile) && await File.ReadAllTextAsync(etagFile, cancellationToken) == etag)
        {
            // Marks the copy as used: the sweeper drops copies unused for Storage:CacheMaxAge.
            File.SetLastWriteTimeUtc(etagFile, DateTime.UtcNow);
            return cached;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        var partial = cached + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            using var response = await _s3.GetObjectAsync(_options.Bucket, ObjectKey(key), cancellationToken);
            await using (var file = File.Create(partial))
            await using (var body = response.ResponseStream)
                await body.CopyToAsync(file, cancellationToken);
            // Readers may hold the old file open (ffmpeg); a rename leaves them their copy.
            File.Move(partial, cached, overwrite: true);
            await File.WriteAllTextAsync(etagFile, response.ETag, cancellationToken);
            return cached;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_options.Bucket, ObjectKey(key), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await _s3.DeleteObjectAsync(_options.Bucket, ObjectKey(key), cancellationToken);
        DropCached(CachePath(key));
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // A folder-like prefix: "a/b" must not take "a/bc" with it.
        var objectPrefix = ObjectKey(prefix).TrimEnd('/') + "/";
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = objectPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
                await _s3.DeleteObjectAsync(_options.Bucket, item.Key, cancellationToken);
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        var cachedFolder = CachePath(prefix);
        if (Directory.Exists(cachedFolder)) Directory.Delete(cachedFolder, recursive: true);
    }

    public ScratchFolder CreateScratch(string purpose) => new(ScratchRoot, purpose);
    public string ScratchRoot => Path.Combine(_root, "scratch");

    public void Dispose() => _s3.Dispose();

    private string ObjectKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.StartsWith('/') || key.Split('/').Any(s => s is "" or "." or ".."))
            throw new ArgumentException($"Storage key '{key}' is not a relative key.", nameof(key));
        return _options.Prefix.Length == 0 ? key : _options.Prefix.TrimEnd('/') + "/" + key;
    }

    private string CachePath(string key)
    {
        ObjectKey(key);
        return Path.Combine(_cache, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private static void DropCached(string path)
    {
        File.Delete(path);
        File.Delete(path + ".etag");
    }
}
