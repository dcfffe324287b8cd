using System.Diagnostics.Metrics;

namespace VidPress.Core.Telemetry;

/// <summary>
/// A gauge whose figures come from the database (videos by state, jobs per queue): read at most once per
/// <c>maxAge</c>, however often it is scraped, so that every host reports what the database says without a query per scrape.
/// </summary>
public sealed class CachedGauge
{
    private readonly TimeSpan _maxAge;
    private readonly Func<Measurement<long>[]> _read;
    private readonly Lock _lock = new();
    private Measurement<long>[] _last = [];
    private DateTime _readAt = DateTime.MinValue;

    public CachedGauge(Meter meter, string name, string unit, string description, TimeSpan maxAge, Func<Measurement<long>[]> read)
    {
        _maxAge = maxAge;
        _read = read;
        meter.CreateObservableGauge(name, Read, unit, description);
    }

    private IEnumerable<Measurement<long>> Read()
    {
        lock (_lock)
        {
            if (DateTime.UtcNow - _readAt < _maxAge) return _last;
            _last = _read();
            _readAt = DateTime.UtcNow;
            return _last;
        }
    }
}
