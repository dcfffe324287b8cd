using VidPress.Core.Media;

namespace VidPress.Core.Embeddings;

/// <summary>
/// A port of Pillow's <c>Image.resize(size, Image.BICUBIC)</c> for 8-bit RGB (libImaging/Resample.c):
/// separable convolution with the a = -0.5 cubic, support widened by the downscale factor (antialiasing),
/// coefficients in 22-bit fixed point, horizontal pass first, and each pass rounded and clipped to 8 bits.
/// CLIP was trained on pictures resized this way, and the reference embeddings depend on the exact bytes.
/// </summary>
internal static class PilBicubic
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 2.0;

    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width == image.Width && height == image.Height) return new RgbImage(width, height, (byte[])image.Pixels.Clone());

        var (horizontalBounds, horizontalKernel, horizontalSize) = Coefficients(image.Width, width);
        var (verticalBounds, verticalKernel, verticalSize) = Coefficients(image.Height, height);

        var source = image;
        if (width != image.Width)
        {
            // Pillow resamples horizontally only the rows the vertical pass will read.
            var firstRow = verticalBounds[0];
            var lastRow = verticalBounds[(height - 1) * 2] + verticalBounds[(height - 1) * 2 + 1];
            if (height != image.Height)
                for (var i = 0; i < height; i++) verticalBounds[i * 2] -= firstRow;
            else
            {
                firstRow = 0;
                lastRow = image.Height;
            }
            source = Horizontal(image, width, firstRow, lastRow - firstRow, horizontalBounds, horizontalKernel, horizontalSize);
        }
        return height != image.Height ? Vertical(source, height, verticalBounds, verticalKernel, verticalSize) : source;
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static (int[] Bounds, int[] Kernel, int KernelSize) Coefficients(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = Support * filterScale;
        var kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var kernel = new int[outSize * kernelSize];
        var weights = new double[kernelSize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var inverseScale = 1.0 / filterScale;
            // Pillow truncates (center ± support + 0.5) toward zero: its "round".
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var total = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var w = Cubic((x + xmin - center + 0.5) * inverseScale);
                weights[x] = w;
                total += w;
            }
            for (var x = 0; x < kernelSize; x++)
            {
                var w = x < xmax && total != 0.0 ? weights[x] / total : 0.0;
                kernel[xx * kernelSize + x] = w < 0
                    ? (int)(-0.5 + w * (1 << PrecisionBits))
                    : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, kernel, kernelSize);
    }

    private static byte Clip8(int value)
    {
        var shifted = value >> PrecisionBits;
        return shifted < 0 ? (byte)0 : shifted > 255 ? (byte)255 : (byte)shifted;
    }

    private static RgbImage Horizontal(RgbImage input, int outWidth, int firstRow, int rows, int[] bounds, int[] kernel, int kernelSize)
    {
        var src = input.Pixels;
        var dst = new byte[outWidth * rows * 3];
        var inStride = input.Width * 3;
        for (var y = 0; y < rows; y++)
        {
            var row = (y + firstRow) * inStride;
            for (var xx = 0; xx < outWidth; xx++)
            {
                var xmin = bounds[xx * 2];
                var xmax = bounds[xx * 2 + 1];
                var k = xx * kernelSize;
                int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                for (var x = 0; x < xmax; x++)
                {
                    var p = row + (x + xmin) * 3;
                    var w = kernel[k + x];
                    s0 += src[p] * w;
                    s1 += src[p + 1] * w;
                    s2 += src[p + 2] * w;
                }
                var o = (y * outWidth + xx) * 3;
                dst[o] = Clip8(s0);
                dst[o + 1] = Clip8(s1);
                dst[o + 2] = Clip8(s2);
            }
        }
        return new RgbImage(outWidth, rows, dst);
    }

    private static RgbImage Vertical(RgbImage input, int outHeight, int[] bounds, int[] kernel, int kernelSize)
    {
        var src = input.Pixels;
        var width = input.Width;
        var stride = width * 3;
        var dst = new byte[width * outHeight * 3];
        for (var yy = 0; yy < outHeight; yy++)
        {
            var ymin = bounds[yy * 2];
            var ymax = bounds[yy * 2 + 1];
            var k = yy * kernelSize;
            for (var xx = 0; xx < width; xx++)
            {
                int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                for (var y = 0; y < ymax; y++)
                {
                    var p = (y + ymin) * stride + xx * 3;
                    var w = kernel[k + y];
                    s0 += src[p] * w;
                    s1 += src[p + 1] * w;
                    s2 += src[p + 2] * w;
                }
                var o = (yy * width + xx) * 3;
                dst[o] = Clip8(s0);
                dst[o + 1] = Clip8(s1);
                dst[o + 2] = Clip8(s2);
            }
        }
        return new RgbImage(width, outHeight, dst);
    }
}
