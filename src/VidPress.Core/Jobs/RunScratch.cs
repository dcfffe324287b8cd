using System.Globalization;
using Microsoft.Extensions.Logging;
using VidPress.Core.Media;

namespace VidPress.Core.Jobs;

/// <summary>
/// A run's scratch folders, named after the video and the run ("purpose-video-run-…"), so leftovers of killed runs are
/// found and removed, and their ffmpeg and espeak-ng processes can be told apart.
/// </summary>
public sealed class RunScratch(IMediaStorage storage, ILogger<RunScratch> logger)
{
    /// <summary>A new scratch folder of this run for <paramref name="purpose"/> (see <see cref="PurposeFor"/>).</summary>
    public ScratchFolder Create(VideoRun run, string purpose) => storage.CreateScratch(PurposeFor(run, purpose));

    /// <summary>
    /// The name of this run's scratch folders for <paramref name="purpose"/>; the folders of the same purpose that earlier
    /// runs of the video left (a worker killed mid-stage) are removed first.
    /// </summary>
    public string PurposeFor(VideoRun run, string purpose)
    {
        var prefix = $"{purpose}-{run.Video.Id:N}-";
        var root = storage.ScratchRoot;
        if (Directory.Exists(root))
            foreach (var folder in Directory.EnumerateDirectories(root, prefix + "*"))
            {
                var rest = Path.GetFileName(folder)[prefix.Length..];
                var dash = rest.IndexOf('-');
                if (dash > 0 && int.TryParse(rest[..dash], out var token) && token < run.Token)
                {
                    try { Directory.Delete(folder, recursive: true); }
                    catch (IOException e) { logger.LogDebug(e, "Could not remove the scratch of an earlier run: {Folder}", folder); }
                }
            }
        return prefix + run.Token.ToString(CultureInfo.InvariantCulture);
    }
}
