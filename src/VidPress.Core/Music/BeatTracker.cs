using System.Numerics;

namespace VidPress.Core.Music;

/// <summary>The tempo of a music track and where its beats fall, in seconds from its start.</summary>
public sealed record BeatTrack(double TempoBpm, IReadOnlyList<double> Beats);

/// <summary>
/// Finds the beats of a music bed so picture cuts can land on them. Ellis (2007), "Beat Tracking by
/// Dynamic Programming": an onset-strength envelope from the spectrogram (log-compressed magnitude,
/// positive spectral flux), a global tempo from its autocorrelation weighted by a prior around 120 BPM,
/// then the beat sequence that best trades onset strength against steady spacing, found by dynamic
/// programming.
/// </summary>
public static class BeatTracker
{
    private const double MinBpm = 40, MaxBpm = 240;
    /// <summary>Log compression strength (Müller's γ): quiet onsets still count, without lifting noise to their level.</summary>
    private const double Compression = 100;
    /// <summary>
    /// Bins are pooled into this many log-spaced bands before the log: a single bin of noise fluctuates
    /// wildly from frame to frame, a band's mean power much less, while an onset lifts whole bands.
    /// </summary>
    private const int Bands = 40;

    /// <param name="samples">Mono samples, roughly in [-1, 1].</param>
    /// <param name="priorBpm">Where the tempo prior peaks; one octave either side halves its weight at about 0.6.</param>
    /// <param name="tightness">How strongly the beat spacing is held to the tempo (Ellis's α).</param>
    public static BeatTrack Track(ReadOnlySpan<float> samples, int sampleRate, double priorBpm = 120, double tightness = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        var envelope = OnsetEnvelope(samples, sampleRate, out var framesPerSecond, out var delay);
        // Silence, or a perfectly steady tone, has no onsets to follow.
        if (envelope.Length < 4 || envelope.Max() <= 0) return new BeatTrack(0, []);
        var period = TempoPeriod(envelope, framesPerSecond, priorBpm);
        if (period <= 0) return new BeatTrack(0, []);
        var beatFrames = TrackBeats(envelope, period, tightness);
        var beats = beatFrames.Select(f => Math.Max(0, (f + delay) / framesPerSecond)).ToList();
        return new BeatTrack(TempoFromBeats(beats) ?? 60 * framesPerSecond / period, beats);
    }

    /// <summary>
    /// Positive spectral flux of the log-magnitude spectrogram, high-passed by removing its local mean and
    /// scaled to unit deviation. <paramref name="delay"/> is the frame offset that moves the envelope's
    /// rise from where an onset first enters the analysis window to where it is heard.
    /// </summary>
    internal static double[] OnsetEnvelope(ReadOnlySpan<float> samples, int sampleRate, out double framesPerSecond, out double delay)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(256, sampleRate * 23 / 1000));
        var hop = size / 4;
        framesPerSecond = sampleRate / (double)hop;
        var frames = samples.Length / hop + 1;
        var bins = size / 2 + 1;
        var window = new double[size];
        for (var i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / size);
        var norm = 2 / window.Sum();

        var band = new int[bins];
        var bandWidth = new int[Bands];
        double low = Math.Log(30), high = Math.Log(sampleRate / 2.0);
        for (var b = 0; b < bins; b++)
        {
            var frequency = Math.Max(30, b * sampleRate / (double)size);
            band[b] = Math.Clamp((int)((Math.Log(frequency) - low) / (high - low) * Bands), 0, Bands - 1);
            bandWidth[band[b]]++;
        }
        var power = new double[Bands];
        var previous = new double[Bands];
        var current = new double[Bands];
        var spectrum = new Complex[size];
        var flux = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            // Frames are centred on f * hop, with silence beyond either end.
            var start = f * hop - size / 2;
            for (var i = 0; i < size; i++)
            {
                var n = start + i;
                spectrum[i] = n >= 0 && n < samples.Length ? new Complex(samples[n] * window[i], 0) : Complex.Zero;
            }
            Fft(spectrum);
            Array.Clear(power);
            for (var b = 0; b < bins; b++)
            {
                var magnitude = norm * spectrum[b].Magnitude;
                power[band[b]] += magnitude * magnitude;
            }
            var sum = 0.0;
            for (var k = 0; k < Bands; k++)
            {
                if (bandWidth[k] == 0) continue;
                current[k] = Math.Log(1 + Compression * Math.Sqrt(power[k] / bandWidth[k]));
                if (f > 0) sum += Math.Max(0, current[k] - previous[k]);
            }
            flux[f] = sum;
            (previous, current) = (current, previous);
        }

        // Flux rises as soon as an onset touches the leading edge of the window, about half a window
        // before the frame centred on it; the Hann taper and log compression put the peak near a
        // quarter window early, which the delay gives back.
        delay = size / 4.0 / hop;

        var half = (int)Math.Round(framesPerSecond / 2);
        var prefix = new double[frames + 1];
        for (var i = 0; i < frames; i++) prefix[i + 1] = prefix[i] + flux[i];
        var envelope = new double[frames];
        for (var i = 0; i < frames; i++)
        {
            int lo = Math.Max(0, i - half), hi = Math.Min(frames, i + half + 1);
            envelope[i] = Math.Max(0, flux[i] - (prefix[hi] - prefix[lo]) / (hi - lo));
        }
        var mean = envelope.Average();
        var deviation = Math.Sqrt(envelope.Sum(e => (e - mean) * (e - mean)) / frames);
        if (deviation > 0) for (var i = 0; i < frames; i++) envelope[i] /= deviation;
        return envelope;
    }

    /// <summary>
    /// The beat period in frames: the autocorrelation lag with the highest prior-weighted harmonic sum.
    /// Summing the autocorrelation at 1, 2, 3 and 4 times a lag favours the lag whose multiples all line up,
    /// which is what stops a half-tempo or double-tempo lag from winning; the log-normal prior around
    /// <paramref name="priorBpm"/> settles the octave where the track itself is ambiguous.
    /// </summary>
    internal static double TempoPeriod(double[] envelope, double framesPerSecond, double priorBpm)
    {
        var minLag = Math.Max(1, (int)Math.Floor(60 * framesPerSecond / MaxBpm));
        var maxLag = (int)Math.Ceiling(60 * framesPerSecond / MinBpm);
        var longest = Math.Min(envelope.Length - 1, 4 * maxLag + 1);
        maxLag = Math.Min(maxLag, longest);
        if (maxLag <= minLag) return 0;
        var ac = new double[longest + 1];
        for (var lag = 0; lag <= longest; lag++)
        {
            var sum = 0.0;
            for (var t = 0; t + lag < envelope.Length; t++) sum += envelope[t] * envelope[t + lag];
            ac[lag] = sum / (envelope.Length - lag);
        }
        var score = new double[maxLag + 2];
        for (var lag = minLag; lag <= maxLag + 1 && lag <= longest; lag++)
        {
            var harmonic = 0.0;
            for (var k = 1; k <= 4; k++)
            {
                if (k * lag > longest) break;
                harmonic += ac[k * lag] / k;
            }
            var octaves = Math.Log2(60 * framesPerSecond / lag / priorBpm);
            score[lag] = harmonic * Math.Exp(-0.5 * octaves * octaves);
        }
        var best = minLag;
        for (var lag = minLag; lag <= maxLag; lag++) if (score[lag] > score[best]) best = lag;
        if (best <= minLag || best >= maxLag) return best;
        // A parabola through the peak and its neighbours puts the period between whole frames.
        double a = score[best - 1], b = score[best], c = score[best + 1];
        var denominator = a - 2 * b + c;
        return denominator < 0 ? best + 0.5 * (a - c) / denominator : best;
    }

    /// <summary>
    /// Ellis's recursion: C(t) = O(t) + max over τ in [t − 2P, t − P/2] of C(τ) − α·log²((t − τ)/P), with
    /// O the envelope smoothed over P/32 either side; the best last beat is followed back through its links.
    /// </summary>
    internal static List<int> TrackBeats(double[] envelope, double period, double tightness)
    {
        var n = envelope.Length;
        var spread = period / 32;
        var reach = (int)Math.Ceiling(3 * spread);
        var kernel = Enumerable.Range(-reach, 2 * reach + 1).Select(k => Math.Exp(-0.5 * (k / spread) * (k / spread))).ToArray();
        var local = new double[n];
        for (var t = 0; t < n; t++)
            for (var k = -reach; k <= reach; k++)
                if (t + k >= 0 && t + k < n) local[t] += kernel[k + reach] * envelope[t + k];

        var cumulative = new double[n];
        var link = new int[n];
        int near = (int)Math.Round(period / 2), far = (int)Math.Round(2 * period);
        for (var t = 0; t < n; t++)
        {
            var best = double.NegativeInfinity;
            var from = -1;
            for (var tau = Math.Max(0, t - far); tau <= t - near; tau++)
            {
                var spacing = Math.Log((t - tau) / period);
                var value = cumulative[tau] - tightness * spacing * spacing;
                if (value > best) { best = value; from = tau; }
            }
            cumulative[t] = local[t] + (from >= 0 ? Math.Max(0, best) : 0);
            link[t] = from >= 0 && best > 0 ? from : -1;
        }

        // Ellis's choice of the last beat: the best cumulative score within the final beat period.
        var last = n - 1;
        for (var t = Math.Max(0, n - (int)Math.Round(period)); t < n; t++)
            if (cumulative[t] > cumulative[last]) last = t;

        var beats = new List<int>();
        for (var t = last; t >= 0; t = link[t]) beats.Add(t);
        beats.Reverse();

        // Beats in the silence before the music starts or after it stops are the spacing rule talking,
        // not the music: trim those whose onset strength is weak against the track's.
        var rms = Math.Sqrt(beats.Average(b => local[b] * local[b]));
        var first = beats.FindIndex(b => local[b] >= 0.5 * rms);
        var end = beats.FindLastIndex(b => local[b] >= 0.5 * rms);
        return first < 0 ? [] : beats.GetRange(first, end - first + 1);
    }

    /// <summary>The tempo from a least-squares line through the beat times, finer than the frame grid.</summary>
    internal static double? TempoFromBeats(IReadOnlyList<double> beats)
    {
        if (beats.Count < 4) return null;
        var n = beats.Count;
        var meanIndex = (n - 1) / 2.0;
        var meanTime = beats.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++) { sxy += (i - meanIndex) * (beats[i] - meanTime); sxx += (i - meanIndex) * (i - meanIndex); }
        var interval = sxy / sxx;
        return interval > 0 ? 60 / interval : null;
    }

    /// <summary>In-place iterative radix-2 FFT; the length is a power of two.</summary>
    private static void Fft(Complex[] a)
    {
        var n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = -2 * Math.PI / length;
            var step = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (var i = 0; i < n; i += length)
            {
                var w = Complex.One;
                for (var k = 0; k < length / 2; k++)
                {
                    var u = a[i + k];
                    var v = a[i + k + length / 2] * w;
                    a[i + k] = u + v;
                    a[i + k + length / 2] = u - v;
                    w *= step;
                }
            }
        }
    }
}
