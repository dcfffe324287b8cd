using VidPress.Core.Media;
using VidPress.Core.Rendering;

namespace VidPress.UnitTests.Rendering;

public class SoundtrackTests
{
    [Fact]
    public void Narration_alone_is_padded_and_cut_to_the_video()
    {
        Assert.Equal("[0:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=0:12.5[mix]", Soundtrack.MixGraph(false, 12.5, 0));
    }

    [Fact]
    public void Music_ducks_under_the_voice_and_fades_out_at_the_end()
    {
        var graph = Soundtrack.MixGraph(true, 30, -12);
        Assert.Contains("asplit=2[voice][key]", graph);
        Assert.Contains("volume=-12dB", graph);
        Assert.Contains("afade=t=out:st=28:d=2", graph);
        Assert.Contains("[bed][key]sidechaincompress", graph);
        Assert.EndsWith("[voice][ducked]amix=inputs=2:duration=first:normalize=0[mix]", graph);
    }

    [Fact]
    public void Loudnorm_measurement_is_read_from_ffmpeg_output()
    {
        const string stderr = """
            [Parsed_loudnorm_1 @ 0x55] 
            {
            	"input_i" : "-27.61",
            	"input_tp" : "-4.47",
            	"input_lra" : "18.06",
            	"input_thresh" : "-39.20",
            	"output_i" : "-16.58",
            	"output_tp" : "-1.50",
            	"output_lra" : "14.78",
            	"output_thresh" : "-27.71",
            	"normalization_type" : "dynamic",
            	"target_offset" : "0.58"
            }
            """;
        var m = Soundtrack.ParseLoudnorm(stderr);
        Assert.Equal(new LoudnessMeasure(-27.61, -4.47, 18.06, -39.20, 0.58), m);
    }

    [Fact]
    public void Silence_measures_as_very_quiet_instead_of_failing()
    {
        var m = Soundtrack.ParseLoudnorm("""{ "input_i" : "-inf", "input_tp" : "-inf", "input_lra" : "0.00", "input_thresh" : "-inf", "target_offset" : "inf" }""");
        Assert.Equal(-99, m.IntegratedLufs);
        Assert.Throws<ToolFailedException>(() => Soundtrack.ParseLoudnorm("no json here"));
    }
}
