using Hangfire;
using VidPress.Core.Library;

namespace VidPress.Core.Jobs;

/// <summary>Ingests one library asset in the background.</summary>
public sealed class AssetIngestJob(LibraryIngest ingest)
{
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    [Queue(JobQueues.Ingest)]
    public async Task RunAsync(Guid assetId, CancellationToken cancellationToken)
    {
        try
        {
            await ingest.IngestAsync(assetId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ingest.MarkFailedAsync(assetId, e.Message, CancellationToken.None);
            throw;
        }
    }
}
