using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;

namespace VidPress.UnitTests.Narration;

public class WaveFileTests
{
    private static WaveFile Tone(double seconds, int rate = 22050, short amplitude = 8000)
    {
        var samples = (int)(seconds * rate);
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), (short)(amplitude * Math.Sin(2 * Math.PI * 440 * i / rate)));
        return new WaveFile(rate, 1, pcm);
    }

    [Fact]
    public void Written_file_reads_back_with_the_same_format_and_samples()
    {
        var tone = Tone(0.5);
        var read = WaveFile.Read(tone.ToBytes());
        Assert.Equal(22050, read.SampleRate);
        Assert.Equal(1, read.Channels);
        Assert.Equal(tone.Pcm, read.Pcm);
        Assert.Equal(0.5, read.DurationSeconds, 3);
    }

    [Fact]
    public void Streaming_size_placeholder_is_read_as_the_rest_of_the_file()
    {
        // espeak-ng writes 0x7fffffff as the data size when it writes to a pipe.
        var bytes = Tone(0.25).ToBytes();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), int.MaxValue);
        Assert.Equal(0.25, WaveFile.Read(bytes).DurationSeconds, 3);
    }

    [Fact]
    public void Non_wave_data_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => WaveFile.Read("not a wave file at all, only text"u8.ToArray()));
    }

    [Fact]
    public void Trimming_removes_leading_and_trailing_silence_only()
    {
        var rate = 22050;
        var padded = new WaveFile(rate, 1, [.. WaveFile.Silence(rate, 1, 0.3).Pcm, .. Tone(1.0).Pcm, .. WaveFile.Silence(rate, 1, 0.2).Pcm]);
        var trimmed = padded.TrimSilence();
        Assert.InRange(trimmed.DurationSeconds, 0.99, 1.0);
    }

    [Fact]
    public void Joined_narration_places_each_sentence_after_the_lead_in_and_pauses()
    {
        var options = new NarrationPaceOptions { LeadInSeconds = 0.3, PauseSeconds = 0.35, TailSeconds = 0.5 };
        var narrator = new Narrator(null!, null!, Options.Create(new NarrationOptions()), Options.Create(options));
        var (wave, spans) = narrator.Join([Tone(1.0), Tone(2.0), Tone(0.5)]);
        Assert.Equal(0.3, spans[0].Start, 3);
        Assert.Equal(1.3, spans[0].End, 3);
        Assert.Equal(1.65, spans[1].Start, 3);
        Assert.Equal(3.65, spans[1].End, 3);
        Assert.Equal(4.0, spans[2].Start, 3);
        Assert.Equal(4.5, spans[2].End, 3);
        Assert.Equal(5.0, wave.DurationSeconds, 3);
    }

    [Fact]
    public void Parts_of_different_formats_are_not_joined()
    {
        var narrator = new Narrator(null!, null!, Options.Create(new NarrationOptions()), Options.Create(new NarrationPaceOptions()));
        Assert.Throws<InvalidDataException>(() => narrator.Join([Tone(0.1, 22050), Tone(0.1, 16000)]));
    }

    [Fact]
    public void A_data_size_larger_than_the_file_gives_the_samples_present_and_no_more()
    {
        // The header claims an hour of samples; 0.1 s are there.
        var bytes = Tone(0.1).ToBytes();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), 3600 * 22050 * 2);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 36 + 3600 * 22050 * 2);
        var read = WaveFile.Read(bytes);
        Assert.Equal(bytes.Length - 44, read.Pcm.Length);
        Assert.Equal(0.1, read.DurationSeconds, 3);
    }

    [Theory]
    [InlineData("format chunk too short")]
    [InlineData("no channels")]
    [InlineData("no sample rate")]
    [InlineData("odd half sample")]
    public void A_lying_format_header_is_invalid_data_not_a_crash(string lie)
    {
        var bytes = Tone(0.1).ToBytes();
        switch (lie)
        {
            case "format chunk too short":
                // The fmt chunk says 8 bytes, so its fields (rate at 8–11 of the body, bits at 14) would lie past it.
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 8);
                bytes = bytes[..(12 + 8 + 8)];
                break;
            case "no channels":
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), 0);
                break;
            case "no sample rate":
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), 0);
                break;
            default:
                // Three bytes of data for a 16-bit mono file: one whole sample is read, the half one dropped.
                bytes = bytes[..(44 + 3)];
                Assert.Equal(2, WaveFile.Read(bytes).Pcm.Length);
                return;
        }
        Assert.Throws<InvalidDataException>(() => WaveFile.Read(bytes));
    }
}
