using System.Numerics;

namespace VidPress.Core.Music;

/// <summary>
/// The tempo of a music track and where its beats fall, in seconds from its start; <see cref="Downbeats"/> are the beats
/// that start a bar of <see cref="BeatsPerBar"/> (empty when the meter could not be told).
/// </summary>
public sealed record BeatTrack(double TempoBpm, IReadOnlyList<double> Beats)
{
    public IReadOnlyList<double> Downbeats { get; init; } = [];
    public int BeatsPerBar { get; init; }
}

/// <summary>
/// Finds the beats of a music bed so picture cuts can land on them, after Ellis (2007), "Beat Tracking by Dynamic
/// Programming", with the metrical-level choice and local tempo that real music needs:
/// <list type="number">
/// <item>an onset-strength envelope from the spectrogram (log-compressed band energies, positive flux, a short running
/// median taken away so the slow swells and beating of sustained sounds do not count as onsets);</item>
/// <item>a tempo from the envelope's autocorrelation summed over the harmonic family of each candidate period (its 1st to
/// 4th multiples, as a comb filter would), weighted by a weak log-normal prior (<c>priorBpm</c>, <c>priorOctaves</c>);</item>
/// <item>the metrical level checked against the onsets themselves: where the points halfway (or a third of the way) between
/// the tracked beats are as strong as the beats, the beat is faster (a fast rock tune tracked at half tempo, a waltz at the
/// dotted half);</item>
/// <item>a local tempo: the best period near the global one in each few-second window, smoothed, so ramps and rubato are
/// followed; then Ellis's dynamic programme with that local period;</item>
/// <item>the meter (3 or 4 beats a bar) from the autocorrelation at 3 and 4 beats, and the downbeat phase as the one whose
/// beats carry the most low-frequency (kick and bass) onset.</item>
/// </list>
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
    /// <summary>Bands below about 200 Hz, whose onsets (kick, bass) mark downbeats more than any other.</summary>
    private const double LowBandHz = 200;
    /// <summary>Halfway points at least this strong, relative to the beats, mean the beat is twice as fast.</summary>
    private const double SubdivisionRatio = 0.85;

    /// <param name="samples">Mono samples, roughly in [-1, 1].</param>
    /// <param name="priorBpm">Where the tempo prior peaks.</param>
    /// <param name="tightness">How strongly the beat spacing is held to the local tempo (Ellis's α).</param>
    /// <param name="priorOctaves">The prior's width: its standard deviation in octaves (1 is weak; smaller trusts priorBpm more).</param>
    public static BeatTrack Track(ReadOnlySpan<float> samples, int sampleRate, double priorBpm = 120, double tightness = 100, double priorOctaves = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(priorOctaves);
        var envelope = OnsetEnvelope(samples, sampleRate, out var framesPerSecond, out var delay, out var low);
        // Silence, or a perfectly steady tone, has no onsets to follow.
        if (envelope.Length < 4 || envelope.Max() <= 0) return new BeatTrack(0, []);
        var ac = Autocorrelation(envelope, (int)Math.Ceiling(4 * 60 * framesPerSecond / MinBpm) + 1);
        var period = TempoPeriod(ac, framesPerSecond, priorBpm, priorOctaves);
        if (period <= 0) return new BeatTrack(0, []);
        var local = Smooth(envelope, period / 32);
        period = MetricalLevel(local, period, framesPerSecond, tightness);
        var periods = LocalPeriods(envelope, period, framesPerSecond);
        var beatFrames = TrackBeats(Smooth(envelope, period / 32), periods, tightness);
        var beats = beatFrames.Select(f => Math.Max(0, (f + delay) / framesPerSecond)).ToList();
        var track = new BeatTrack(TempoFromBeats(beats) ?? 60 * framesPerSecond / period, beats);
        var (meter, phase) = Meter(ac, period, beatFrames, Smooth(low, period / 32));
        return meter == 0 ? track : track with { BeatsPerBar = meter, Downbeats = beats.Where((_, i) => i % meter == phase).ToList() };
    }

    /// <summary>
    /// Positive spectral flux of the log-magnitude spectrogram, high-passed by removing a running median of about
    /// 0.1 s and scaled to unit deviation; <paramref name="low"/> is the same from the bands below <see cref="LowBandHz"/>
    /// only. A median, unlike a mean, leaves an onset's sharp peak whole while taking away the slow rise and fall of a pad
    /// (its chord changes, the beating of its partials), which would otherwise set a tempo of its own.
    /// <paramref name="delay"/> is the frame offset that moves the envelope's rise from where an onset first enters the
    /// analysis window to where it is heard.
    /// </summary>
    internal static double[] OnsetEnvelope(ReadOnlySpan<float> samples, int sampleRate, out double framesPerSecond, out double delay, out double[] low)
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
        double lowest = Math.Log(30), high = Math.Log(sampleRate / 2.0);
        var lowBands = Math.Clamp((int)((Math.Log(LowBandHz) - lowest) / (high - lowest) * Bands), 1, Bands);
        for (var b = 0; b < bins; b++)
        {
            var frequency = Math.Max(30, b * sampleRate / (double)size);
            band[b] = Math.Clamp((int)((Math.Log(frequency) - lowest) / (high - lowest) * Bands), 0, Bands - 1);
            bandWidth[band[b]]++;
        }
        var power = new double[Bands];
        var previous = new double[Bands];
        var current = new double[Bands];
        var spectrum = new Complex[size];
        var rises = new float[frames * Bands];
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
            for (var k = 0; k < Bands; k++)
            {
                if (bandWidth[k] == 0) continue;
                current[k] = Math.Log(1 + Compression * Math.Sqrt(power[k] / bandWidth[k]));
                if (f > 0) rises[f * Bands + k] = (float)Math.Max(0, current[k] - previous[k]);
            }
            (previous, current) = (current, previous);
        }

        // Each band's rises are weighed against the band's own mean rise (adaptive whitening): a band where a sustained
        // sound swells and beats all the time rises every frame and counts for less; a band quiet but for the hits, more.
        var bandMean = new double[Bands];
        for (var f = 0; f < frames; f++)
            for (var k = 0; k < Bands; k++) bandMean[k] += rises[f * Bands + k] / (double)frames;
        var floor = bandMean.Average();
        var flux = new double[frames];
        var lowFlux = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            double sum = 0, lowSum = 0;
            for (var k = 0; k < Bands; k++)
            {
                var rise = rises[f * Bands + k] / (bandMean[k] + floor);
                sum += rise;
                if (k < lowBands) lowSum += rise;
            }
            flux[f] = sum;
            lowFlux[f] = lowSum;
        }

        // Flux rises as soon as an onset touches the leading edge of the window, about half a window
        // before the frame centred on it; the Hann taper and log compression put the peak near a
        // quarter window early, which the delay gives back.
        delay = size / 4.0 / hop;
        var half = Math.Max(2, (int)Math.Round(framesPerSecond * 0.05));
        low = HighPass(lowFlux, half);
        return HighPass(flux, half);
    }

    /// <summary>The signal less its running median over <paramref name="half"/> frames either side, floored at 0, at unit deviation.</summary>
    private static double[] HighPass(double[] signal, int half)
    {
        var n = signal.Length;
        var output = new double[n];
        var window = new double[2 * half + 1];
        for (var i = 0; i < n; i++)
        {
            int lo = Math.Max(0, i - half), hi = Math.Min(n - 1, i + half), count = hi - lo + 1;
            Array.Copy(signal, lo, window, 0, count);
            Array.Sort(window, 0, count);
            output[i] = Math.Max(0, signal[i] - window[count / 2]);
        }
        var mean = output.Average();
        var deviation = Math.Sqrt(output.Sum(e => (e - mean) * (e - mean)) / n);
        if (deviation > 0) for (var i = 0; i < n; i++) output[i] /= deviation;
        return output;
    }

    /// <summary>The envelope's autocorrelation at lags 0 to <paramref name="longest"/>, each lag's sum over its overlap's length.</summary>
    internal static double[] Autocorrelation(double[] envelope, int longest)
    {
        longest = Math.Min(envelope.Length - 1, longest);
        var ac = new double[longest + 1];
        for (var lag = 0; lag <= longest; lag++)
        {
            var sum = 0.0;
            for (var t = 0; t + lag < envelope.Length; t++) sum += envelope[t] * envelope[t + lag];
            ac[lag] = sum / (envelope.Length - lag);
        }
        return ac;
    }

    /// <summary>
    /// The beat period in frames: the autocorrelation lag with the highest prior-weighted harmonic sum. Summing the
    /// autocorrelation at 1, 2, 3 and 4 times a lag (a comb over the lag's harmonic family) favours the lag whose
    /// multiples all line up, which is what stops a stray subdivision from winning; the log-normal prior, centred on
    /// <paramref name="priorBpm"/> with a deviation of <paramref name="priorOctaves"/>, only settles near-ties.
    /// </summary>
    internal static double TempoPeriod(double[] ac, double framesPerSecond, double priorBpm, double priorOctaves)
    {
        var longest = ac.Length - 1;
        var minLag = Math.Max(1, (int)Math.Floor(60 * framesPerSecond / MaxBpm));
        var maxLag = Math.Min((int)Math.Ceiling(60 * framesPerSecond / MinBpm), longest - 1);
        if (maxLag <= minLag) return 0;
        var score = new double[maxLag + 2];
        for (var lag = minLag; lag <= maxLag + 1; lag++)
        {
            var harmonic = 0.0;
            for (var k = 1; k <= 4; k++)
            {
                if (k * lag > longest) break;
                harmonic += ac[k * lag] / k;
            }
            var octaves = Math.Log2(60 * framesPerSecond / lag / priorBpm) / priorOctaves;
            score[lag] = harmonic * Math.Exp(-0.5 * octaves * octaves);
        }
        var best = minLag;
        for (var lag = minLag; lag <= maxLag; lag++) if (score[lag] > score[best]) best = lag;
        return Refine(score, best, minLag, maxLag);
    }

    /// <summary>A parabola through a peak and its neighbours puts it between whole frames.</summary>
    private static double Refine(double[] score, int best, int min, int max)
    {
        if (best <= min || best >= max) return best;
        double a = score[best - 1], b = score[best], c = score[best + 1];
        var denominator = a - 2 * b + c;
        return denominator < 0 ? best + 0.5 * (a - c) / denominator : best;
    }

    /// <summary>The envelope smoothed by a Gaussian of <paramref name="spread"/> frames.</summary>
    private static double[] Smooth(double[] envelope, double spread)
    {
        spread = Math.Max(0.5, spread);
        var n = envelope.Length;
        var reach = (int)Math.Ceiling(3 * spread);
        var kernel = Enumerable.Range(-reach, 2 * reach + 1).Select(k => Math.Exp(-0.5 * (k / spread) * (k / spread))).ToArray();
        var local = new double[n];
        for (var t = 0; t < n; t++)
            for (var k = -reach; k <= reach; k++)
                if (t + k >= 0 && t + k < n) local[t] += kernel[k + reach] * envelope[t + k];
        return local;
    }

    /// <summary>
    /// Moves the period to the metrical level the onsets support. The beats are tracked at the period, and the onset
    /// strength is read at them, halfway between them and a third and two thirds of the way: halfway points as strong as the
    /// beats (by <see cref="SubdivisionRatio"/>) halve the period, thirds as strong as the beats divide it by three. Each period
    /// is tried once. (The other way, a beat taken at twice its tempo, is left to the prior: every other beat weaker than the
    /// rest is as common in a backbeat or a syncopated groove as in eighth notes taken for beats.)
    /// </summary>
    internal static double MetricalLevel(double[] local, double period, double framesPerSecond, double tightness)
    {
        var minPeriod = 60 * framesPerSecond / MaxBpm;
        var tried = new List<double>();
        for (var step = 0; step < 4; step++)
        {
            tried.Add(period);
            var beats = TrackBeats(local, Enumerable.Repeat(period, local.Length).ToArray(), tightness);
            if (beats.Count < 6) break;
            var reach = Math.Max(1, period / 16);
            double Strength(double at) => Peak(local, at, reach);
            double onBeats = 0, halves = 0, thirds = 0;
            var pairs = beats.Count - 1;
            for (var i = 0; i < pairs; i++)
            {
                double a = beats[i], b = beats[i + 1];
                onBeats += Strength(a);
                halves += Strength((a + b) / 2);
                thirds += Math.Min(Strength(a + (b - a) / 3), Strength(a + 2 * (b - a) / 3));
            }
            double next;
            if (halves >= SubdivisionRatio * onBeats && period / 2 >= minPeriod) next = period / 2;
            else if (thirds >= SubdivisionRatio * onBeats && period / 3 >= minPeriod) next = period / 3;
            else break;
            if (tried.Any(p => Math.Abs(p - next) < 0.05 * next)) break;
            period = next;
        }
        return period;
    }

    private static double Peak(double[] signal, double at, double reach)
    {
        int lo = Math.Max(0, (int)Math.Floor(at - reach)), hi = Math.Min(signal.Length - 1, (int)Math.Ceiling(at + reach));
        var peak = 0.0;
        for (var i = lo; i <= hi; i++) peak = Math.Max(peak, signal[i]);
        return peak;
    }

    /// <summary>
    /// The period at every frame: in windows of about eight beats, a second apart, the harmonic autocorrelation of every lag
    /// from 0.7 to 1.4 times <paramref name="period"/>; the path of lags through the windows that best trades that score
    /// against changing tempo (a Viterbi pass, a change of a tenth of an octave from one window to the next costing about as
    /// much as a window's best score), interpolated between window centres. A steady tune keeps its period; a ramp or
    /// rubato is followed without jumping to another metrical level.
    /// </summary>
    internal static double[] LocalPeriods(double[] envelope, double period, double framesPerSecond)
    {
        var n = envelope.Length;
        var length = (int)Math.Max(4 * framesPerSecond, 8 * period);
        var hop = (int)framesPerSecond;
        var periods = new double[n];
        if (n < length + hop) { Array.Fill(periods, period); return periods; }
        int minLag = Math.Max(1, (int)Math.Floor(period * 0.7)), maxLag = (int)Math.Ceiling(period * 1.4);
        var lags = maxLag - minLag + 1;
        var scores = new List<double[]>();
        var centres = new List<double>();
        for (var start = 0; start + length <= n; start += hop)
        {
            var score = new double[lags];
            for (var lag = minLag; lag <= maxLag; lag++)
            {
                var sum = 0.0;
                for (var k = 1; k <= 2; k++)
                    for (var t = start; t + k * lag < start + length; t++) sum += envelope[t] * envelope[t + k * lag] / (k * (length - k * lag));
                score[lag - minLag] = sum;
            }
            var top = score.Max();
            if (top > 0) for (var i = 0; i < lags; i++) score[i] /= top;
            scores.Add(score);
            centres.Add(start + length / 2.0);
        }
        var windows = scores.Count;
        var total = new double[windows, lags];
        var back = new int[windows, lags];
        for (var i = 0; i < lags; i++) total[0, i] = scores[0][i];
        for (var w = 1; w < windows; w++)
            for (var i = 0; i < lags; i++)
            {
                var best = double.NegativeInfinity;
                for (var j = 0; j < lags; j++)
                {
                    var change = Math.Log2((minLag + i) / (double)(minLag + j)) / 0.1;
                    var value = total[w - 1, j] - change * change;
                    if (value > best) { best = value; back[w, i] = j; }
                }
                total[w, i] = best + scores[w][i];
            }
        var path = new double[windows];
        var state = Enumerable.Range(0, lags).MaxBy(i => total[windows - 1, i]);
        for (var w = windows - 1; w >= 0; w--)
        {
            path[w] = minLag + state;
            state = back[w, state];
        }
        for (var t = 0; t < n; t++)
        {
            if (t <= centres[0]) { periods[t] = path[0]; continue; }
            if (t >= centres[^1]) { periods[t] = path[^1]; continue; }
            var j = (int)((t - centres[0]) / hop);
            var w = (t - centres[j]) / hop;
            periods[t] = (1 - w) * path[j] + w * path[Math.Min(j + 1, windows - 1)];
        }
        return periods;
    }

    /// <summary>
    /// Ellis's recursion with a local period P(t): C(t) = O(t) + max over τ in [t − 2P(t), t − P(t)/2] of
    /// C(τ) − α·log²((t − τ)/P(t)), with O the smoothed envelope; the best last beat is followed back through its links.
    /// </summary>
    internal static List<int> TrackBeats(double[] local, double[] periods, double tightness)
    {
        var n = local.Length;
        var cumulative = new double[n];
        var link = new int[n];
        for (var t = 0; t < n; t++)
        {
            var period = periods[t];
            int near = (int)Math.Round(period / 2), far = (int)Math.Round(2 * period);
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
        for (var t = Math.Max(0, n - (int)Math.Round(periods[n - 1])); t < n; t++)
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

    /// <summary>
    /// Beats to the bar, 3 or 4, by whichever of the autocorrelation at 3 and 4 periods (a bar's repetition) is the higher
    /// with its double; and the downbeat phase, the one of the beat classes (beat index modulo the meter) whose beats carry
    /// the most low-frequency onset. 0 when there are too few beats to tell.
    /// </summary>
    internal static (int Meter, int Phase) Meter(double[] ac, double period, IReadOnlyList<int> beats, double[] low)
    {
        if (beats.Count < 8) return (0, 0);
        double At(double lag) => lag + 1 < ac.Length ? Peak(ac, lag, Math.Max(1, period / 16)) : 0;
        var meter = At(3 * period) + At(6 * period) > At(4 * period) + At(8 * period) ? 3 : 4;
        var strength = new double[meter];
        var counts = new int[meter];
        for (var i = 0; i < beats.Count; i++)
        {
            strength[i % meter] += Peak(low, beats[i], Math.Max(1, period / 16));
            counts[i % meter]++;
        }
        var phase = Enumerable.Range(0, meter).MaxBy(p => strength[p] / Math.Max(1, counts[p]));
        return (meter, phase);
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
