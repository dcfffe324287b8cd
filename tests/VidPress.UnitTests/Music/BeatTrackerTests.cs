using VidPress.Core.Music;

namespace VidPress.UnitTests.Music;

public class BeatTrackerTests
{
    private const int SampleRate = 22050;

    [Theory]
    [InlineData(90, 0.0)]
    [InlineData(120, 0.0)]
    [InlineData(128, 0.0)]
    [InlineData(90, 0.1)]
    [InlineData(120, 0.1)]
    [InlineData(128, 0.1)]
    public void Finds_the_tempo_and_beats_of_a_click_track(double bpm, double noise)
    {
        var (samples, clicks) = ClickTrack(bpm, seconds: 20, firstClick: 0.37, noise, seed: (int)bpm);

        var track = BeatTracker.Track(samples, SampleRate);

        Assert.InRange(track.TempoBpm, bpm - 1, bpm + 1);
        Assert.True(track.Beats.Count >= clicks.Count - 2, $"{track.Beats.Count} beats for {clicks.Count} clicks");
        foreach (var beat in track.Beats)
            Assert.InRange(clicks.Min(c => Math.Abs(c - beat)), 0, 0.020);
        // Every click away from the ends is found.
        foreach (var click in clicks.Skip(1).SkipLast(1))
            Assert.Contains(track.Beats, b => Math.Abs(b - click) <= 0.020);
    }

    [Fact]
    public void Silence_has_no_beats()
    {
        var track = BeatTracker.Track(new float[SampleRate * 3], SampleRate);
        Assert.Empty(track.Beats);
    }

    /// <summary>Short decaying 1 kHz blips on the beat, optionally over white noise of the given deviation.</summary>
    internal static (float[] Samples, List<double> Clicks) ClickTrack(double bpm, double seconds, double firstClick, double noise, int seed)
    {
        var samples = new float[(int)(seconds * SampleRate)];
        var random = new Random(seed);
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (float)(noise * Gaussian(random));
        var clicks = new List<double>();
        for (var t = firstClick; t < seconds - 0.05; t += 60 / bpm)
        {
            clicks.Add(t);
            var start = (int)Math.Round(t * SampleRate);
            for (var k = 0; k < SampleRate * 0.03 && start + k < samples.Length; k++)
            {
                var s = k / (double)SampleRate;
                samples[start + k] += (float)(0.8 * Math.Sin(2 * Math.PI * 1000 * s) * Math.Exp(-s / 0.006));
            }
        }
        return (samples, clicks);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
