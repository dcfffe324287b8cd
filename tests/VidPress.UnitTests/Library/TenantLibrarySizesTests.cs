using Microsoft.Extensions.Time.Testing;
using VidPress.Core.Library;

namespace VidPress.UnitTests.Library;

public sealed class TenantLibrarySizesTests
{
    private static readonly Guid Tenant = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Nothing_is_known_before_a_count()
    {
        Assert.False(new TenantLibrarySizes(_clock).TryGet(Tenant, 100, out _));
    }

    [Fact]
    public void A_count_below_its_cap_is_exact_and_decides_any_threshold()
    {
        var sizes = new TenantLibrarySizes(_clock);
        sizes.Remember(Tenant, counted: 350, cap: 10_001);
        Assert.True(sizes.TryGet(Tenant, 10_000, out var count));
        Assert.Equal(350, count);
        // A lower threshold than the count was made for: the tenant is large for it.
        Assert.True(sizes.TryGet(Tenant, 100, out count));
        Assert.Null(count);
        Assert.True(sizes.TryGet(Tenant, 350, out count));
        Assert.Equal(350, count);
    }

    [Fact]
    public void A_count_that_hit_its_cap_decides_only_thresholds_below_the_cap()
    {
        var sizes = new TenantLibrarySizes(_clock);
        sizes.Remember(Tenant, counted: 101, cap: 101); // at least 101
        Assert.True(sizes.TryGet(Tenant, 100, out var count));
        Assert.Null(count);
        Assert.True(sizes.TryGet(Tenant, 50, out count));
        Assert.Null(count);
        // Whether it has at most 10,000 is unknown: count again.
        Assert.False(sizes.TryGet(Tenant, 10_000, out _));
        Assert.False(sizes.TryGet(Tenant, 101, out _));
    }

    [Fact]
    public void A_count_is_forgotten_after_its_lifetime()
    {
        var sizes = new TenantLibrarySizes(_clock);
        sizes.Remember(Tenant, 10, 10_001);
        _clock.Advance(TenantLibrarySizes.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(sizes.TryGet(Tenant, 10_000, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(sizes.TryGet(Tenant, 10_000, out _));
        Assert.False(sizes.TryGet(Guid.NewGuid(), 10_000, out _));
    }
}
