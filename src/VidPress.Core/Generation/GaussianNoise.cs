namespace VidPress.Core.Generation;

/// <summary>
/// Reproducible standard-normal noise: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64,
/// turned into normals by the Box-Muller transform using both outputs of each pair. Our own generator rather
/// than System.Random because a stored seed must give the same picture on every .NET version and host.
/// The sequence is not numpy's or torch's, so seeds do not carry over from Python runs.
/// </summary>
public sealed class GaussianNoise
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spare;

    public GaussianNoise(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public float[] Next(int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (float)NextGaussian();
        return values;
    }

    public double NextGaussian()
    {
        if (_spare is { } spare) { _spare = null; return spare; }
        // u1 in (0, 1] keeps the logarithm finite.
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
