using VidPress.Core.Media;

namespace VidPress.Core.Library;

/// <summary>How usable a keyframe is as a picture: sharpness, brightness and contrast of its luma.</summary>
public sealed record FrameQuality(double Sharpness, double Brightness, double Contrast)
{
    /// <summary>
    /// Measures on a copy box-averaged to at most <paramref name="analysisWidth"/> pixels wide, so the sharpness
    /// of a 4K frame and of a 640 px frame of the same scene compare (the Laplacian grows with resolution).
    /// </summary>
    public static FrameQuality Measure(RgbImage image, int analysisWidth = 320)
    {
        ArgumentNullException.ThrowIfNull(image);
        var step = Math.Max(1, (int)Math.Ceiling(image.Width / (double)analysisWidth));
        var w = image.Width / step;
        var h = image.Height / step;
        if (w < 3 || h < 3) return new FrameQuality(0, 0, 0);
        // Luma alone misses an edge between two colours of equal brightness (a red shape on a grey-pink
        // background), so contrast and sharpness take the strongest of luma and the three colour channels.
        var luma = Plane(image, step, w, h, (r, g, b) => 0.299 * r + 0.587 * g + 0.114 * b);
        var (mean, deviation, sharpness) = Measure(luma, w, h);
        foreach (var channel in new Func<double, double, double, double>[] { (r, _, _) => r, (_, g, _) => g, (_, _, b) => b })
        {
            var (_, d, l) = Measure(Plane(image, step, w, h, channel), w, h);
            deviation = Math.Max(deviation, d);
            sharpness = Math.Max(sharpness, l);
        }
        return new FrameQuality(Math.Round(sharpness, 3), Math.Round(mean / 255, 4), Math.Round(deviation / 255, 4));
    }

    /// <summary>One channel box-averaged over step×step blocks.</summary>
    private static double[] Plane(RgbImage image, int step, int w, int h, Func<double, double, double, double> channel)
    {
        var plane = new double[w * h];
        var pixels = image.Pixels;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                double sum = 0;
                for (var dy = 0; dy < step; dy++)
                {
                    var row = ((y * step + dy) * image.Width + x * step) * 3;
                    for (var dx = 0; dx < step; dx++)
                    {
                        var i = row + dx * 3;
                        sum += channel(pixels[i], pixels[i + 1], pixels[i + 2]);
                    }
                }
                plane[y * w + x] = sum / (step * step);
            }
        return plane;
    }

    /// <summary>Mean, standard deviation and variance of the 4-neighbour Laplacian of one plane.</summary>
    private static (double Mean, double Deviation, double Sharpness) Measure(double[] plane, int w, int h)
    {
        double mean = 0;
        foreach (var v in plane) mean += v;
        mean /= plane.Length;
        double variance = 0;
        foreach (var v in plane) variance += (v - mean) * (v - mean);
        variance /= plane.Length;

        double lapSum = 0, lapSquares = 0;
        var count = 0;
        for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                var c = y * w + x;
                var lap = 4 * plane[c] - plane[c - 1] - plane[c + 1] - plane[c - w] - plane[c + w];
                lapSum += lap;
                lapSquares += lap * lap;
                count++;
            }
        var lapMean = lapSum / count;
        return (mean, Math.Sqrt(variance), lapSquares / count - lapMean * lapMean);
    }

    /// <summary>Laplacian variance at which <see cref="Score"/>'s sharpness term is one half: a soft but readable picture.</summary>
    public const double HalfScoreSharpness = 10;

    /// <summary>Luma spread from which a picture counts as fully contrasted in <see cref="Score"/>.</summary>
    public const double FullScoreContrast = 0.15;

    /// <summary>
    /// How good a picture the frame is, 0..1, for the timeline's quality term: the sharpness term rises from 0 (a blur)
    /// through one half (<see cref="HalfScoreSharpness"/>) towards 1, times the contrast term (0 for a blank frame, 1 from
    /// <see cref="FullScoreContrast"/>); a black frame scores 0.
    /// </summary>
    public double Score(QualityThresholds thresholds)
    {
        if (Brightness < thresholds.MinBrightness) return 0;
        var sharpness = Math.Max(0, Sharpness) / (Math.Max(0, Sharpness) + HalfScoreSharpness);
        var contrast = Math.Clamp(Contrast / FullScoreContrast, 0, 1);
        return Math.Round(sharpness * contrast, 4);
    }

    /// <summary>Black (too dark), blank (one flat colour) and blurred frames are not worth showing.</summary>
    public bool IsUsable(QualityThresholds thresholds) =>
        Brightness >= thresholds.MinBrightness && Contrast >= thresholds.MinContrast && Sharpness >= thresholds.MinSharpness;
}
