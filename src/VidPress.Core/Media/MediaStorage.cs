using Microsoft.Extensions.Options;

namespace VidPress.Core.Media;

/// <summary>
/// Where media files live. Keys are relative, slash-separated and chosen by the service, never by callers.
/// ffmpeg needs files on disk, so readers ask for a local path.
/// </summary>
public interface IMediaStorage
{
    Task SaveAsync(string key, Stream content, CancellationToken cancellationToken = default);
    /// <summary>Moves a finished local file into storage (cheap on local disk, an upload elsewhere).</summary>
    Task ImportFileAsync(string key, string localPath, CancellationToken cancellationToken = default);
    Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken = default);
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);
    /// <summary>A scratch folder for one piece of work, deleted when disposed.</summary>
    ScratchFolder CreateScratch(string purpose);
    /// <summary>The local folder every scratch folder is made in.</summary>
    string ScratchRoot { get; }
}

public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string root, string purpose)
    {
        Path = System.IO.Path.Combine(root, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}

public sealed class LocalDiskStorage(IOptions<StorageOptions> options) : IMediaStorage
{
    // Without a trailing separator ("/data/media/" is the same root as "/data/media"), or every key would be refused.
    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Value.Root));

    public async Task SaveAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside the target and rename, so a reader never sees half a file.
        var partial = path + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = File.Create(partial))
                await content.CopyToAsync(file, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public Task ImportFileAsync(string key, string localPath, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(localPath, path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        if (!File.Exists(path)) throw new FileNotFoundException($"Media '{key}' is missing from storage.", path);
        return Task.FromResult(path);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(Resolve(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(Resolve(key));
        return Task.CompletedTask;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var path = Resolve(prefix);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        return Task.CompletedTask;
    }

    public ScratchFolder CreateScratch(string purpose) => new(ScratchRoot, purpose);
    public string ScratchRoot => Path.Combine(_root, "scratch");

    private string Resolve(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Storage key '{key}' leaves the storage root.", nameof(key));
        return path;
    }
}

/// <summary>The storage keys the service uses, in one place.</summary>
public static class StorageKeys
{
    public static string AssetFolder(Guid tenantId, Guid assetId) => $"tenants/{tenantId:N}/assets/{assetId:N}";
    public static string AssetOriginal(Guid tenantId, Guid assetId, string extension) => $"{AssetFolder(tenantId, assetId)}/original{extension}";
    public static string AssetShotsFolder(Guid tenantId, Guid assetId) => $"{AssetFolder(tenantId, assetId)}/shots";
    public static string ShotThumbnail(Guid tenantId, Guid assetId, Guid shotId) => $"{AssetShotsFolder(tenantId, assetId)}/{shotId:N}.jpg";
    public static string VideoFolder(Guid tenantId, Guid videoId) => $"tenants/{tenantId:N}/videos/{videoId:N}";
    public static string Narration(Guid tenantId, Guid videoId) => $"{VideoFolder(tenantId, videoId)}/narration.wav";
    public static string Output(Guid tenantId, Guid videoId) => $"{VideoFolder(tenantId, videoId)}/video.mp4";
    public static string Poster(Guid tenantId, Guid videoId) => $"{VideoFolder(tenantId, videoId)}/poster.jpg";
    public static string OutputIn(Guid tenantId, Guid videoId, VideoFormat format) => $"{VideoFolder(tenantId, videoId)}/video-{FormatName(format)}.mp4";
    public static string PosterIn(Guid tenantId, Guid videoId, VideoFormat format) => $"{VideoFolder(tenantId, videoId)}/poster-{FormatName(format)}.jpg";
    public static string MusicTrack(Guid tenantId, Guid trackId, string extension) => $"tenants/{tenantId:N}/music/{trackId:N}/track{extension}";

    /// <summary>
    /// The extension a stored file keeps from the caller's file name when it is short and plain (".mp4"),
    /// else <paramref name="fallback"/>: caller names never reach a path unchecked.
    /// </summary>
    public static string SafeExtension(string fileName, string fallback)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension.Length is > 1 and <= 6 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : fallback;
    }

    /// <summary>"9x16-1080p": how a format is named in keys and in the API.</summary>
    public static string FormatName(VideoFormat format) => FormatName(format.AspectRatio, format.Resolution);

    /// <summary>The name of the format with this aspect ratio and resolution ("16:9", "720p" → "16x9-720p").</summary>
    public static string FormatName(string aspectRatio, string resolution) => $"{aspectRatio.Replace(':', 'x')}-{resolution}";
}
