using System.Buffers.Binary;

namespace VidPress.Core.Narration;

/// <summary>16-bit PCM WAV, the format espeak-ng writes; enough of RIFF to read and join such files.</summary>
public sealed record WaveFile(int SampleRate, short Channels, byte[] Pcm)
{
    public const int MaxSampleRate = 384_000;
    public const short MaxChannels = 8;

    public double DurationSeconds => Pcm.Length / (double)(SampleRate * Channels * 2);

    /// <summary>
    /// Reads a WAV without trusting its header's lengths: every chunk size is cut to the bytes the file really has,
    /// the samples are the bytes present (whole frames only), and a format out of range (no channels, no rate, a
    /// format chunk too short to hold one) is <see cref="InvalidDataException"/>, never an out-of-range read.
    /// </summary>
    public static WaveFile Read(byte[] data)
    {
        if (data.Length < 12 || data.AsSpan(0, 4).SequenceEqual("RIFF"u8) is false || data.AsSpan(8, 4).SequenceEqual("WAVE"u8) is false)
            throw new InvalidDataException("Not a RIFF/WAVE file.");
        int sampleRate = 0; short channels = 0, bits = 0;
        var offset = 12;
        while (offset + 8 <= data.Length)
        {
            var id = data.AsSpan(offset, 4);
            // espeak-ng writes 0x7fffffff as the data size when it streams; trust the file length then.
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4)), (uint)(data.Length - offset - 8));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16) throw new InvalidDataException($"WAVE format chunk of {size} bytes; 16 are needed.");
                var format = BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(body));
                channels = BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(body + 2));
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(body + 14));
                if (format != 1 || bits != 16) throw new InvalidDataException($"Only 16-bit PCM is supported (format {format}, {bits} bits).");
                if (channels is < 1 or > MaxChannels || sampleRate is < 1 or > MaxSampleRate)
                    throw new InvalidDataException($"WAVE format out of range: {channels} channels at {sampleRate} Hz.");
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (sampleRate == 0) throw new InvalidDataException("WAVE data before its format.");
                var length = size - size % (channels * 2);
                return new WaveFile(sampleRate, channels, data.AsSpan(body, length).ToArray());
            }
            offset = body + size + (size & 1);
        }
        throw new InvalidDataException("WAVE file has no data.");
    }

    public static WaveFile Silence(int sampleRate, short channels, double seconds) =>
        new(sampleRate, channels, new byte[(int)Math.Round(seconds * sampleRate) * channels * 2]);

    public byte[] ToBytes()
    {
        var bytes = new byte[44 + Pcm.Length];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + Pcm.Length);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * Channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)(Channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], Pcm.Length);
        Pcm.CopyTo(span[44..]);
        return bytes;
    }

    /// <summary>Drops leading and trailing near-silence, so measured spans are the speech itself.</summary>
    public WaveFile TrimSilence(short threshold = 200)
    {
        var frame = Channels * 2;
        var frames = Pcm.Length / frame;
        int first = 0, last = frames - 1;
        while (first < frames && Quiet(first)) first++;
        while (last > first && Quiet(last)) last--;
        if (first >= frames) return this with { Pcm = [] };
        return this with { Pcm = Pcm.AsSpan(first * frame, (last - first + 1) * frame).ToArray() };

        bool Quiet(int index)
        {
            for (var c = 0; c < Channels; c++)
                if (Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(Pcm.AsSpan(index * frame + c * 2))) > threshold) return false;
            return true;
        }
    }
}
