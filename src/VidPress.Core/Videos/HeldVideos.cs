using VidPress.Core.Data;

namespace VidPress.Core.Videos;

/// <summary>A queued video not yet handed to the workers: what the dispatch rule reads of it.</summary>
public sealed record HeldVideo(Guid Id, Guid TenantId, VideoPriority Priority, DateTimeOffset CreatedAt);

/// <summary>
/// The fairness rule between tenants, in one pure function: which held videos go to the workers' queue now.
/// <para>
/// A tenant has at most <c>share</c> videos with the workers at once (handed to the queue and not finished; the share
/// is the service's worker count), so a tenant with hundreds queued never has more than that many jobs in front of
/// another tenant's video: that one waits at most for one job per worker. The rest wait held in the database. Within a
/// tenant, breaking news goes first, then the oldest. Across tenants the videos are handed over round by round (each
/// tenant's first with the workers, then each one's second …, a tenant with fewer already there going first), breaking before normal and older before newer within a round, so the
/// queue's own first-come order interleaves the tenants.
/// </para>
/// </summary>
public static class HeldVideos
{
    /// <param name="held">Held videos, of any tenants, in any order.</param>
    /// <param name="inFlight">Each tenant's videos already with the workers (missing: none).</param>
    /// <param name="share">How many of a tenant's videos may be with the workers at once.</param>
    /// <returns>The videos to hand over now, in the order to enqueue them.</returns>
    public static IReadOnlyList<HeldVideo> ToDispatch(IEnumerable<HeldVideo> held, IReadOnlyDictionary<Guid, int> inFlight, int share)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 1);
        return [.. held
            .GroupBy(v => v.TenantId)
            .SelectMany(tenant => tenant
                .OrderByDescending(v => v.Priority).ThenBy(v => v.CreatedAt).ThenBy(v => v.Id)
                .Take(Math.Max(0, share - inFlight.GetValueOrDefault(tenant.Key)))
                .Select((v, i) => (Video: v, Round: inFlight.GetValueOrDefault(tenant.Key) + i)))
            .OrderBy(x => x.Round).ThenByDescending(x => x.Video.Priority).ThenBy(x => x.Video.CreatedAt).ThenBy(x => x.Video.Id)
            .Select(x => x.Video)];
    }
}
