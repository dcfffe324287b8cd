using System.Text;
using VidPress.Core.Embeddings;

namespace VidPress.UnitTests.Embeddings;

public sealed class FrameDecoderTests
{
    [Fact]
    public void Ppm_stream_splits_into_images()
    {
        var stream = new MemoryStream();
        stream.Write(Encoding.ASCII.GetBytes("P6\n2 1\n255\n"));
        stream.Write([1, 2, 3, 4, 5, 6]);
        stream.Write(Encoding.ASCII.GetBytes("P6 # a comment\n1 1 255\n"));
        stream.Write([7, 8, 9]);

        var images = FrameDecoder.ParsePpmStream(stream.ToArray());

        Assert.Equal(2, images.Count);
        Assert.Equal((2, 1), (images[0].Width, images[0].Height));
        Assert.Equal([1, 2, 3, 4, 5, 6], images[0].Pixels);
        Assert.Equal(((byte)7, (byte)8, (byte)9), images[1][0, 0]);
    }

    [Fact]
    public void Truncated_ppm_is_rejected()
    {
        var data = Encoding.ASCII.GetBytes("P6\n2 2\n255\n").Concat(new byte[5]).ToArray();

        Assert.Throws<FormatException>(() => FrameDecoder.ParsePpmStream(data));
    }

    [Fact]
    public void Select_expression_has_only_numbers_and_escaped_commas()
    {
        var expression = FrameDecoder.SelectExpression([0, 2.5]);

        Assert.Equal(@"gt((isnan(prev_t)+gt(0\,prev_t))*lte(0\,t)+(isnan(prev_t)+gt(2.5\,prev_t))*lte(2.5\,t)\,0)", expression);
    }

    [Fact]
    public void Frame_times_come_from_showinfo_pts_and_time_base()
    {
        string[] lines =
        [
            "[Parsed_showinfo_1 @ 0x1] config in time_base: 1/12800, frame_rate: 25/1",
            "[Parsed_showinfo_1 @ 0x1] config out time_base: 0/0, frame_rate: 0/0",
            "[Parsed_showinfo_1 @ 0x1] n:   0 pts:      0 pts_time:0       duration:    512",
            "[Parsed_showinfo_1 @ 0x1] n:   1 pts:  25600 pts_time:2       duration:    512",
        ];

        Assert.Equal([0.0, 2.0], FrameDecoder.ParseFrameTimes(lines));
    }
}
