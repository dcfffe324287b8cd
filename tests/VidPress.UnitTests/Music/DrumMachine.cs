using System.Numerics;

namespace VidPress.UnitTests.Music;

/// <summary>A synthesised piece of music and the beats it was built on (its ground truth, known by construction).</summary>
public sealed record SynthSong(string Family, string Name, float[] Samples, IReadOnlyList<double> Beats, IReadOnlyList<double> Downbeats)
{
    public double TempoBpm => BeatScore.MedianTempo(Beats);
}

/// <summary>One hit of a pattern: where in the bar (in beats from the downbeat), which voice, how loud.</summary>
public readonly record struct Hit(double Position, Voice Voice, double Gain);

public enum Voice { Kick, Snare, Hat, Ride, Rim, Bass }

/// <summary>
/// Synthesises drum patterns over a beat grid that the test chooses: kick (a falling sine), snare (noise and a tone),
/// hi-hat (differenced noise), ride (inharmonic partials), rim (a short high tone) and bass notes, optionally over a loud
/// sustained pad whose chords change slowly, so the drums' onsets are weak against it. The grid comes from a tempo curve
/// (steady, ramped or breathing), with optional timing jitter, swing (the off-beat eighth moved later), hits dropped at random
/// and whole bars left silent. The beats returned are the grid itself.
/// </summary>
public static class DrumMachine
{
    public const int SampleRate = 22050;

    public sealed record Arrangement
    {
        public required int Meter { get; init; }
        public required IReadOnlyList<Hit> Bar { get; init; }
        /// <summary>Tempo in BPM at a time in seconds.</summary>
        public required Func<double, double> Tempo { get; init; }
        public double Seconds { get; init; } = 24;
        public double FirstBeat { get; init; } = 0.4;
        /// <summary>Where the off-beat eighth falls, as a fraction of the beat: 0.5 straight, 2/3 a triplet shuffle.</summary>
        public double Swing { get; init; } = 0.5;
        /// <summary>Standard deviation of each beat's displacement from the tempo curve, in seconds (a drummer's looseness).</summary>
        public double Jitter { get; init; }
        /// <summary>The chance that any one hit is left out.</summary>
        public double Drop { get; init; }
        /// <summary>Every this many bars, a bar without drums (0: none).</summary>
        public int BreakEvery { get; init; }
        /// <summary>Bars at the start with only the kick on the downbeat (a sparse intro).</summary>
        public int SparseIntroBars { get; init; }
        public double DrumGain { get; init; } = 1;
        /// <summary>Loudness of the sustained pad (0: none).</summary>
        public double Pad { get; init; }
        public double Noise { get; init; } = 0.003;
        public int Seed { get; init; } = 1;
    }

    public static SynthSong Make(string family, string name, Arrangement a)
    {
        var random = new Random(a.Seed);
        var grid = new List<double>();
        for (var t = a.FirstBeat; t < a.Seconds + 2; t += 60 / a.Tempo(t)) grid.Add(t);
        var beats = grid.Select((t, i) => i == 0 ? t : t + a.Jitter * Math.Clamp(Gaussian(random), -2.5, 2.5)).ToList();
        var samples = new float[(int)(a.Seconds * SampleRate)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)(a.Noise * Gaussian(random));

        var bars = (beats.Count - 1) / a.Meter;
        for (var bar = 0; bar < bars; bar++)
        {
            if (a.BreakEvery > 0 && bar % a.BreakEvery == a.BreakEvery - 1) continue;
            foreach (var hit in a.Bar)
            {
                if (bar < a.SparseIntroBars && !(hit.Voice == Voice.Kick && hit.Position == 0)) continue;
                if (a.Drop > 0 && random.NextDouble() < a.Drop) continue;
                var beat = bar * a.Meter + (int)Math.Floor(hit.Position);
                var fraction = hit.Position - Math.Floor(hit.Position);
                if (Math.Abs(fraction - 0.5) < 1e-9) fraction = a.Swing;
                if (beat + 1 >= beats.Count) continue;
                var time = beats[beat] + fraction * (beats[beat + 1] - beats[beat]);
                Add(samples, time, hit.Voice, hit.Gain * a.DrumGain, random, RootAt(bar));
            }
        }
        if (a.Pad > 0) AddPad(samples, beats, a.Meter, a.Pad);

        var end = a.Seconds - 0.1;
        var annotated = beats.Where(b => b < end).ToList();
        var downbeats = annotated.Where((_, i) => i % a.Meter == 0).ToList();
        return new SynthSong(family, name, samples, annotated, downbeats);
    }

    private static readonly double[] Roots = [55, 73.42, 61.74, 82.41];
    private static double RootAt(int bar) => Roots[bar / 2 % Roots.Length];

    private static void Add(float[] samples, double time, Voice voice, double gain, Random random, double root)
    {
        var start = (int)Math.Round(time * SampleRate);
        var length = (int)(SampleRate * voice switch { Voice.Kick => 0.35, Voice.Snare => 0.25, Voice.Hat => 0.08, Voice.Ride => 0.6, Voice.Rim => 0.05, _ => 0.45 });
        var phase = 0.0;
        var previousNoise = 0.0;
        for (var k = 0; k < length && start + k < samples.Length; k++)
        {
            if (start + k < 0) continue;
            var s = k / (double)SampleRate;
            double value;
            switch (voice)
            {
                case Voice.Kick:
                    phase += 2 * Math.PI * (48 + 90 * Math.Exp(-s / 0.03)) / SampleRate;
                    value = 0.9 * Math.Sin(phase) * Math.Exp(-s / 0.16);
                    break;
                case Voice.Snare:
                    value = (0.5 * Gaussian(random) * Math.Exp(-s / 0.07)) + (0.4 * Math.Sin(2 * Math.PI * 185 * s) * Math.Exp(-s / 0.05));
                    break;
                case Voice.Hat:
                    var noise = Gaussian(random);
                    value = 0.25 * (noise - previousNoise) * Math.Exp(-s / 0.022);
                    previousNoise = noise;
                    break;
                case Voice.Ride:
                    value = 0.12 * (Math.Sin(2 * Math.PI * 3150 * s) + Math.Sin(2 * Math.PI * 4273 * s) + Math.Sin(2 * Math.PI * 5411 * s)) * Math.Exp(-s / 0.25);
                    break;
                case Voice.Rim:
                    value = 0.5 * Math.Sin(2 * Math.PI * 2400 * s) * Math.Exp(-s / 0.008);
                    break;
                default:
                    var envelope = Math.Min(1, s / 0.01) * Math.Exp(-s / 0.3);
                    value = 0.5 * envelope * (Math.Sin(2 * Math.PI * root * s) + 0.3 * Math.Sin(4 * Math.PI * root * s));
                    break;
            }
            samples[start + k] += (float)(gain * value);
        }
    }

    /// <summary>
    /// A sustained four-note chord (each note three harmonics) changing every two bars, each change faded over half a
    /// second, so the pad itself adds little onset strength but masks the drums. Oscillators are phasors turned one
    /// sample at a time, which is cheaper than a sine per sample.
    /// </summary>
    private static void AddPad(float[] samples, IReadOnlyList<double> beats, int meter, double gain)
    {
        double[][] chords = [[220, 277.18, 329.63, 415.30], [293.66, 369.99, 440, 554.37], [246.94, 311.13, 369.99, 493.88], [329.63, 415.30, 493.88, 622.25]];
        var oscillators = chords.Select(c => c.SelectMany(f => Enumerable.Range(1, 3).Select(h => (Step: Complex.FromPolarCoordinates(1, 2 * Math.PI * f * h / SampleRate), Gain: 1.0 / (h * c.Length), Phase: Complex.FromPolarCoordinates(1, h)))).ToArray()).ToArray();
        var changes = beats.Where((_, i) => i % (2 * meter) == 0).ToList();
        var index = 0;
        var value = new double[chords.Length];
        for (var n = 0; n < samples.Length; n++)
        {
            var t = n / (double)SampleRate;
            while (index + 1 < changes.Count && changes[index + 1] <= t) index++;
            for (var c = 0; c < chords.Length; c++)
            {
                var sum = 0.0;
                var bank = oscillators[c];
                for (var o = 0; o < bank.Length; o++)
                {
                    bank[o].Phase *= bank[o].Step;
                    sum += bank[o].Gain * bank[o].Phase.Imaginary;
                }
                value[c] = sum;
            }
            var fade = index == 0 ? 1 : Math.Min(1, (t - changes[index]) / 0.5);
            var mix = fade * value[index % 4] + (1 - fade) * value[(index + 3) % 4];
            samples[n] += (float)(gain * Math.Min(1, t / 1.0) * mix);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
