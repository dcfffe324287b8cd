using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace VidPress.Core.Media;

/// <summary>
/// Minimal PNG writer for 8-bit truecolour: IHDR, one IDAT, IEND. Rows use the Sub filter, which suits the
/// smooth pictures a diffusion model makes better than no filter and costs nothing to compute.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var stride = image.Width * 3;
        var filtered = new byte[(stride + 1) * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            var row = y * (stride + 1);
            var source = y * stride;
            filtered[row] = 1; // Sub
            for (var x = 0; x < stride; x++)
            {
                var left = x >= 3 ? image.Pixels[source + x - 3] : (byte)0;
                filtered[row + 1 + x] = unchecked((byte)(image.Pixels[source + x] - left));
            }
        }

        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(filtered);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour
        // compression, filter method and interlace all 0

        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        output.Write(buffer);
    }

    /// <summary>CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) as PNG chunks use it; System.IO.Hashing is not in the shared framework.</summary>
    internal static class Crc32
    {
        public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc;
        }
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
