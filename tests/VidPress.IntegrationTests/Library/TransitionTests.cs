using Microsoft.Extensions.Options;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// Shot boundaries on a clip made here with ffmpeg from six generated scenes (4 s each, 25 fps) joined by a 1 s
/// cross-fade (xfade fade), a 1 s wipe (xfade wipeleft), a hard cut, a fade to black and back from it (fade out and
/// fade in), and a 1 s dissolve (xfade dissolve); the fourth scene holds a flash of three white frames. The ground truth is
/// the construction's: where each transition's middle falls.
/// </summary>
public sealed class TransitionTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vidpress-transitions-" + Guid.NewGuid().ToString("N")[..8]);
    private string _clip = "";
    private SceneScan _scan = null!;
    private ShotSplit _split = null!;
    private const double Frame = 0.04;

    /// <summary>The middle of each transition, in seconds: fade 3–4, wipe 6–7, the cut at 10, black 13.2–14.6, dissolve 17–18.</summary>
    private static readonly double[] Middles = [3.5, 6.5, 10.0, 13.9, 17.5];
    private static readonly (double From, double To)[] Transitions = [(3, 4), (6, 7), (13.2, 14.6), (17, 18)];
    private const double Duration = 21;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _clip = Path.Combine(_folder, "transitions.mp4");
        string[] scenes =
        [
            "testsrc=s=320x180:r=25", "smptebars=s=320x180:r=25", "color=c=0x3070b0:s=320x180:r=25",
            "rgbtestsrc=s=320x180:r=25", "testsrc2=s=320x180:r=25", "color=c=0xc08020:s=320x180:r=25",
        ];
        var graph =
            "[0]format=yuv420p,setsar=1,settb=1/25[s0];[1]format=yuv420p,setsar=1,settb=1/25[s1];[2]format=yuv420p,setsar=1,settb=1/25[s2];" +
            // Three white frames 1.5 s into the fourth scene: a flash, after which the same picture returns.
            "[3]format=yuv420p,setsar=1,settb=1/25,drawbox=c=white:t=fill:enable='between(t,1.5,1.59)'[s3];" +
            "[4]format=yuv420p,setsar=1,settb=1/25,fade=t=in:st=0:d=0.6[s4];[5]format=yuv420p,setsar=1,settb=1/25[s5];" +
            "[s0][s1]xfade=transition=fade:duration=1:offset=3[a];" +
            "[a][s2]xfade=transition=wipeleft:duration=1:offset=6[b];" +
            "[b][s3]concat=n=2:v=1:a=0,fade=t=out:st=13.2:d=0.6[c];" +
            "[c][s4]concat=n=2:v=1:a=0,settb=1/25[d];" +
            "[d][s5]xfade=transition=dissolve:duration=1:offset=17,format=yuv420p[out]";
        await Media.Ffmpeg([.. scenes.SelectMany(s => new[] { "-f", "lavfi", "-t", "4", "-i", s }), "-filter_complex", graph, "-map", "[out]",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", _clip]);

        var candidates = Directory.CreateDirectory(Path.Combine(_folder, "candidates")).FullName;
        var library = new IngestOptions();
        _scan = await new SceneDetector(Options.Create(new MediaOptions()), Options.Create(library)).ScanAsync(_clip, candidates, Duration, orientation: null, CancellationToken.None);
        _split = ShotBoundaries.Detect(_scan.Scores, _scan.Frames, Duration, library.SceneThreshold, library.MinShotSeconds,
            library.ScenePeakMinScore, library.ScenePeakRatio, library.GradualMinChange);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void The_scene_pass_keeps_a_tiny_picture_of_every_scored_frame()
    {
        Assert.NotNull(_scan.Frames);
        Assert.Equal(_scan.Scores.Count, _scan.Frames!.Count);
        Assert.InRange(_scan.Scores.Count, 21 * 25 - 2, 21 * 25 + 2);
    }

    [Fact]
    public void Fades_wipes_dissolves_and_black_split_near_their_middles_and_the_hard_cut_to_the_frame()
    {
        var cuts = _split.Shots.Skip(1).Select(s => s.Start).ToList();
        Assert.True(cuts.Count == Middles.Length, "cuts at " + string.Join(", ", cuts.Select(c => c.ToString("0.00"))));
        foreach (var (cut, middle) in cuts.Zip(Middles))
            Assert.True(Math.Abs(cut - middle) <= 4 * Frame + 1e-6, $"cut at {cut:0.000} for a transition centred on {middle}");
        Assert.Equal(10.0, cuts[2], 3);
    }

    [Fact]
    public void A_flash_is_not_a_cut_and_the_old_rule_would_have_cut_there()
    {
        Assert.DoesNotContain(_split.Shots, s => s.Start > 11 && s.Start < 12.5);
        // The scene scores alone do see it: the rule without frames splits the fourth scene at the flash.
        var library = new IngestOptions();
        var scoresOnly = ShotBoundaries.Split(_scan.Scores, Duration, library.SceneThreshold, library.MinShotSeconds, library.ScenePeakMinScore, library.ScenePeakRatio);
        Assert.Contains(scoresOnly, s => s.Start > 11 && s.Start < 12.5);
    }

    [Fact]
    public void Keyframes_are_never_transition_frames()
    {
        // A keyframe planned every half second, as often as there are candidates: many planned times fall inside transitions.
        var times = _scan.Candidates.Select(c => c.Time).ToList();
        var shots = _split.Shots;
        List<double> Pick(ShotSplit? split) =>
            shots.SelectMany((shot, i) => ShotBoundaries.PickCandidates(times, shot, 0.5, i == shots.Count - 1, split)).Select(i => times[i]).ToList();
        bool Inside(double time) => Transitions.Any(t => time > t.From - Frame && time < t.To + Frame);
        var picked = Pick(_split);

        Assert.Contains(Pick(null), Inside);

        Assert.NotEmpty(picked);
        Assert.All(shots, shot => Assert.Contains(picked, t => t >= shot.Start && t < shot.End));
        Assert.DoesNotContain(picked, Inside);
        // The transitions it marks cover the constructed ones' middles.
        foreach (var (from, to) in Transitions)
            Assert.True(_split.InTransition((from + to) / 2), $"{from}–{to} not marked: " + string.Join(", ", _split.Transitions));
    }
}
