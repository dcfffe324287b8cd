namespace VidPress.UnitTests.Music;

/// <summary>
/// The hard cases the beat tracker is held to, by family: straight 4/4 rock, triplet shuffle (swing), waltz (3/4), funk
/// syncopation (accents off the beat), missing beats (dropped hits, silent bars, a sparse intro), tempo ramps, rubato
/// (a breathing tempo with a loose drummer), and weak onsets under a loud sustained pad.
/// </summary>
public static class SongBook
{
    private static Func<double, double> Steady(double bpm) => _ => bpm;
    private static Func<double, double> Ramp(double from, double to, double seconds) => t => from + (to - from) * Math.Clamp(t / seconds, 0, 1);
    private static Func<double, double> Breathing(double bpm, double depth, double period) => t => bpm * (1 + depth * Math.Sin(2 * Math.PI * t / period));

    private static readonly Hit[] Rock =
    [
        new(0, Voice.Kick, 1), new(2, Voice.Kick, 0.9), new(2.5, Voice.Kick, 0.6), new(1, Voice.Snare, 0.8), new(3, Voice.Snare, 0.8),
        .. Enumerable.Range(0, 8).Select(i => new Hit(i / 2.0, Voice.Hat, i % 2 == 0 ? 0.8 : 0.5)),
        new(0, Voice.Bass, 0.6), new(2, Voice.Bass, 0.5),
    ];

    /// <summary>A shuffle: ride on every beat and the swung off-beat, kick on 1 and 3, a light backbeat, walking bass.</summary>
    private static readonly Hit[] Shuffle =
    [
        .. Enumerable.Range(0, 4).SelectMany(i => new[] { new Hit(i, Voice.Ride, 0.9), new Hit(i + 0.5, Voice.Ride, 0.7), new Hit(i, Voice.Bass, 0.5) }),
        new(0, Voice.Kick, 0.8), new(2, Voice.Kick, 0.7), new(1, Voice.Snare, 0.5), new(3, Voice.Snare, 0.5), new(3.5, Voice.Snare, 0.3),
    ];

    /// <summary>Oom-pah-pah: a bass note and kick on the downbeat, two lighter chords (snare and hat) after it.</summary>
    private static readonly Hit[] Waltz =
    [
        new(0, Voice.Kick, 1), new(0, Voice.Bass, 0.7), new(1, Voice.Snare, 0.45), new(2, Voice.Snare, 0.45), new(1, Voice.Hat, 0.5), new(2, Voice.Hat, 0.5),
    ];

    /// <summary>Funk: the kick anticipates beats 3 and 1, sixteenth hats with accents off the beat, ghost notes, the backbeat.</summary>
    private static readonly Hit[] Funk =
    [
        new(0, Voice.Kick, 1), new(0.75, Voice.Kick, 0.7), new(1.75, Voice.Kick, 0.8), new(2.5, Voice.Kick, 0.8), new(3.75, Voice.Kick, 0.6),
        new(1, Voice.Snare, 0.9), new(3, Voice.Snare, 0.9), new(1.25, Voice.Snare, 0.2), new(2.75, Voice.Snare, 0.25), new(3.5, Voice.Snare, 0.2),
        .. Enumerable.Range(0, 16).Select(i => new Hit(i / 4.0, Voice.Hat, i % 4 == 2 ? 0.8 : i % 4 == 0 ? 0.35 : 0.3)),
        new(0.75, Voice.Bass, 0.6), new(1.75, Voice.Bass, 0.6), new(2.5, Voice.Bass, 0.6),
    ];

    /// <summary>Soft time-keeping under a pad: a rim click on every beat, a quiet kick on 1, hats on the off-beats.</summary>
    private static readonly Hit[] Ambient =
    [
        new(0, Voice.Kick, 0.5), new(0, Voice.Rim, 0.5), new(1, Voice.Rim, 0.4), new(2, Voice.Rim, 0.45), new(3, Voice.Rim, 0.4),
        new(0.5, Voice.Hat, 0.3), new(1.5, Voice.Hat, 0.3), new(2.5, Voice.Hat, 0.3), new(3.5, Voice.Hat, 0.3),
    ];

    /// <summary>The pieces of one family (all when null), synthesised when enumerated.</summary>
    public static IEnumerable<SynthSong> All(string? family = null) => Recipes().Where(r => family is null || r.Family == family).Select(r => r.Make());

    private sealed record Recipe(string Family, Func<SynthSong> Make);

    private static IEnumerable<Recipe> Recipes() =>
    [
        .. new[] { 66.0, 84, 103, 126, 148, 176 }.Select((bpm, i) =>
            new Recipe("rock", () => DrumMachine.Make("rock", $"rock {bpm:0}", new() { Meter = 4, Bar = Rock, Tempo = Steady(bpm), Jitter = 0.004, Seed = 10 + i }))),
        .. new[] { 76.0, 96, 116, 138 }.Select((bpm, i) =>
            new Recipe("swing", () => DrumMachine.Make("swing", $"shuffle {bpm:0}", new() { Meter = 4, Bar = Shuffle, Tempo = Steady(bpm), Swing = 2 / 3.0, Jitter = 0.006, Seed = 20 + i }))),
        .. new[] { 96.0, 138, 176 }.Select((bpm, i) =>
            new Recipe("waltz", () => DrumMachine.Make("waltz", $"waltz {bpm:0}", new() { Meter = 3, Bar = Waltz, Tempo = Steady(bpm), Jitter = 0.005, Seed = 30 + i }))),
        .. new[] { 94.0, 108, 118 }.Select((bpm, i) =>
            new Recipe("syncopation", () => DrumMachine.Make("syncopation", $"funk {bpm:0}", new() { Meter = 4, Bar = Funk, Tempo = Steady(bpm), Jitter = 0.004, Seed = 40 + i }))),
        .. new[] { 100.0, 128 }.Select((bpm, i) =>
            new Recipe("missing", () => DrumMachine.Make("missing", $"gaps {bpm:0}", new() { Meter = 4, Bar = Rock, Tempo = Steady(bpm), Drop = 0.25, BreakEvery = 4, SparseIntroBars = 2, Seed = 50 + i }))),
        new Recipe("ramp", () => DrumMachine.Make("ramp", "ramp 90-130", new() { Meter = 4, Bar = Rock, Tempo = Ramp(90, 130, 24), Seed = 60 })),
        new Recipe("ramp", () => DrumMachine.Make("ramp", "ramp 150-110", new() { Meter = 4, Bar = Rock, Tempo = Ramp(150, 110, 24), Seed = 61 })),
        new Recipe("rubato", () => DrumMachine.Make("rubato", "rubato 100 ±8%", new() { Meter = 4, Bar = Rock, Tempo = Breathing(100, 0.08, 7), Jitter = 0.012, Seed = 70 })),
        new Recipe("rubato", () => DrumMachine.Make("rubato", "rubato waltz 132 ±6%", new() { Meter = 3, Bar = Waltz, Tempo = Breathing(132, 0.06, 9), Jitter = 0.010, Seed = 71 })),
        .. new[] { 76.0, 112, 126 }.Select((bpm, i) =>
            new Recipe("pad", () => DrumMachine.Make("pad", $"pad {bpm:0}", new() { Meter = 4, Bar = Ambient, Tempo = Steady(bpm), DrumGain = 0.25, Pad = 0.5, Seed = 80 + i }))),
    ];
}
