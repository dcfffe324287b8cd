using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Library;

namespace VidPress.Core.Jobs;

/// <summary>
/// Whether a tenant's upload fits beside what it already has waiting for or in ingest
/// (<see cref="LibraryUploadOptions.MaxIngestBytesInFlightPerTenant"/>), and if not, when it should (a Retry-After
/// from the bytes ahead and the speed of the latest ingests).
/// </summary>
public sealed class IngestQueue(VidPressDbContext db, JobStorage storage, IOptions<LibraryUploadOptions> upload, IOptions<JobOptions> jobs)
{
    /// <summary>Null when an upload of <paramref name="bytes"/> may go in now; otherwise how full the tenant's ingest is and when to try again.</summary>
    public async Task<QueueFull?> AdmitAsync(Guid tenantId, long bytes, CancellationToken cancellationToken)
    {
        var limit = upload.Value.MaxIngestBytesInFlightPerTenant;
        var inFlight = await db.Assets.Where(a => a.TenantId == tenantId && a.Status == AssetStatus.Ingesting).SumAsync(a => (long?)a.SizeBytes, cancellationToken) ?? 0;
        if (inFlight == 0 || inFlight + bytes <= limit) return null;
        var recent = await db.Assets.Where(a => a.Status == AssetStatus.Ready && a.IngestSeconds > 0)
            .OrderByDescending(a => a.CreatedAt).Take(jobs.Value.RunsMeasured)
            .Select(a => new { a.SizeBytes, Seconds = a.IngestSeconds!.Value }).ToListAsync(cancellationToken);
        double speed = recent.Count == 0 ? upload.Value.AssumedIngestBytesPerSecond : recent.Sum(r => r.SizeBytes) / recent.Sum(r => r.Seconds);
        return new QueueFull(inFlight, limit, Backpressure.ForIngest(inFlight + bytes - limit, speed, Backpressure.Workers(storage, JobQueues.Ingest),
            jobs.Value.RetryAfterFloor, jobs.Value.RetryAfterCap));
    }
}
