namespace VidPress.Core.Timeline;

/// <summary>
/// Plans the slow zoom over a still so that the salient area (a face, a sign) is in view from the first
/// frame to the last. The renderer fills the frame by cropping the still around its centre, then views a
/// square-in-frame-units window of 1/zoom of it; the crops here are in those frame units.
/// </summary>
internal static class KenBurnsPlanner
{
    /// <summary>The part of a typical photo worth keeping when nothing better is known: its centre.</summary>
    public static readonly NormalizedRect DefaultSalient = new(0.25, 0.25, 0.5, 0.5);

    public static (KenBurns Motion, KenBurnsCrops Crops) Plan(ShotDetails details, double frameAspect, double maxZoom, bool zoomIn)
    {
        var salient = ToFrame(details.SalientBox ?? DefaultSalient, details.AspectRatio ?? frameAspect, frameAspect);
        var zoom = Math.Max(1, Math.Min(maxZoom, 1 / Math.Max(salient.Width, salient.Height)));
        var size = 1 / zoom;
        // The window must lie in the frame and cover the box; both hold for centres in this range,
        // which is never empty because the window is at least as large as the box.
        var cx = ClampSafe(salient.X + salient.Width / 2, Math.Max(size / 2, salient.Right - size / 2), Math.Min(1 - size / 2, salient.X + size / 2));
        var cy = ClampSafe(salient.Y + salient.Height / 2, Math.Max(size / 2, salient.Bottom - size / 2), Math.Min(1 - size / 2, salient.Y + size / 2));
        var tight = new NormalizedRect(cx - size / 2, cy - size / 2, size, size);
        var wide = NormalizedRect.Full;
        return zoomIn
            ? (new KenBurns(1, zoom, 0.5, 0.5, cx, cy), new KenBurnsCrops(wide, tight, salient))
            : (new KenBurns(zoom, 1, cx, cy, 0.5, 0.5), new KenBurnsCrops(tight, wide, salient));
    }

    private static double ClampSafe(double value, double low, double high) =>
        low <= high ? Math.Clamp(value, low, high) : (low + high) / 2;

    /// <summary>
    /// Maps a box in the source picture into the frame-filling crop the renderer takes from its centre;
    /// whatever that crop cuts away cannot be kept in view, so the box is clipped to it.
    /// </summary>
    internal static NormalizedRect ToFrame(NormalizedRect box, double sourceAspect, double frameAspect)
    {
        double x = box.X, y = box.Y, w = box.Width, h = box.Height;
        if (sourceAspect > frameAspect)
        {
            var visible = frameAspect / sourceAspect;
            var offset = (1 - visible) / 2;
            (x, w) = ((x - offset) / visible, w / visible);
        }
        else if (sourceAspect < frameAspect)
        {
            var visible = sourceAspect / frameAspect;
            var offset = (1 - visible) / 2;
            (y, h) = ((y - offset) / visible, h / visible);
        }
        var left = Math.Clamp(x, 0, 1);
        var top = Math.Clamp(y, 0, 1);
        var right = Math.Clamp(x + w, left, 1);
        var bottom = Math.Clamp(y + h, top, 1);
        return new NormalizedRect(left, top, right - left, bottom - top);
    }
}
