using System.Collections.Concurrent;

namespace VidPress.Core.Library;

/// <summary>
/// How many keyframes each tenant owns, counted up to a cap and remembered for a minute by every search of the
/// process. It only chooses the search path (exact or graph, <see cref="ShotSearchOptions.ExactSearchMaxKeyframes"/>)
/// and how many candidates the exact path reads, so a minute's staleness can cost some speed, never a wrong result.
/// </summary>
public sealed class TenantLibrarySizes(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, (int Count, int Cap, DateTimeOffset Until)> _sizes = new();

    /// <summary>
    /// Whether a fresh count decides the tenant against <paramref name="threshold"/>: then <paramref name="count"/> is
    /// its exact keyframe count when at most the threshold, or null when it owns more.
    /// </summary>
    public bool TryGet(Guid tenantId, int threshold, out int? count)
    {
        count = null;
        if (!_sizes.TryGetValue(tenantId, out var size) || size.Until <= clock.GetUtcNow()) return false;
        // Below the cap the count is exact; at the cap it says "at least this many".
        if (size.Count < size.Cap)
        {
            count = size.Count <= threshold ? size.Count : null;
            return true;
        }
        return threshold < size.Cap;
    }

    /// <summary>Remembers a count made with LIMIT <paramref name="cap"/>.</summary>
    public void Remember(Guid tenantId, int counted, int cap) => _sizes[tenantId] = (counted, cap, clock.GetUtcNow() + Lifetime);
}
