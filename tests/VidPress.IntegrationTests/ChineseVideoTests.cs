using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

[Collection(SharedService.Name)]
public sealed class ChineseVideoTests(ServiceFixture shared) : IAsyncLifetime
{
    private ShapeLibrary _service = null!;

    public async Task InitializeAsync() => _service = await ShapeLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Chinese_article_gets_mandarin_narration_and_subtitles_drawn_in_a_cjk_font()
    {
        using var post = await _service.Client.PostAsJsonAsync("/videos",
            new { text = "红色的圆形出现在城市上空。随后出现了一个蓝色的正方形。", aspectRatio = "16:9", resolution = "720p" });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await _service.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        Assert.Equal("zh", video.Language);
        Assert.Equal("espeak:cmn", video.NarrationVoice);

        var timeline = await _service.GetJsonAsync($"/videos/{id}/timeline");
        var cue = timeline.GetProperty("subtitles").EnumerateArray().First();
        Assert.Contains("红色的圆形", cue.GetProperty("text").GetString());

        var path = Path.Combine(_service.WorkFolder, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await _service.Client.GetByteArrayAsync($"/videos/{id}/file"));
        var probe = await Media.ProbeAsync(path);
        Assert.InRange(Media.Seconds(Media.Stream(probe, "audio"), "duration"), 2, 30);

        var middle = (cue.GetProperty("start").GetDouble() + cue.GetProperty("end").GetDouble()) / 2;
        var frame = await new FrameDecoder().ReadImageAsync(await Media.FrameAsync(path, middle, Path.Combine(_service.WorkFolder, $"{id}-zh.png")));
        var glyphs = SubtitleGlyphs(frame);
        // Missing glyphs show as identical empty boxes (or nothing); real Chinese characters differ from each other.
        Assert.True(glyphs.Count >= 5, $"only {glyphs.Count} glyph columns found in the subtitle band");
        var distinct = new List<bool[]>();
        foreach (var glyph in glyphs)
            if (distinct.All(d => Difference(d, glyph) > 0.12)) distinct.Add(glyph);
        Assert.True(distinct.Count >= glyphs.Count / 2, $"{distinct.Count} distinct of {glyphs.Count} glyphs: looks like empty boxes");
    }

    /// <summary>White subtitle ink in the bottom band, cut into columns at blank gaps, each scaled to 16×16.</summary>
    private static List<bool[]> SubtitleGlyphs(RgbImage frame)
    {
        var top = frame.Height * 3 / 4;
        bool Ink(int x, int y) { var (r, g, b) = frame[x, y]; return r > 220 && g > 220 && b > 220; }
        var columns = Enumerable.Range(0, frame.Width).Select(x => Enumerable.Range(top, frame.Height - top).Any(y => Ink(x, y))).ToArray();
        var glyphs = new List<bool[]>();
        for (var x = 0; x < frame.Width;)
        {
            if (!columns[x]) { x++; continue; }
            var start = x;
            while (x < frame.Width && columns[x]) x++;
            if (x - start < 4) continue;
            var rows = Enumerable.Range(top, frame.Height - top).Where(y => Enumerable.Range(start, x - start).Any(c => Ink(c, y))).ToList();
            int y0 = rows.Min(), y1 = rows.Max() + 1, x0 = start, x1 = x;
            var cell = new bool[16 * 16];
            for (var j = 0; j < 16; j++)
                for (var i = 0; i < 16; i++)
                    cell[j * 16 + i] = Ink(x0 + i * (x1 - x0) / 16, y0 + j * (y1 - y0) / 16);
            glyphs.Add(cell);
        }
        return glyphs;
    }

    private static double Difference(bool[] a, bool[] b) => a.Zip(b).Count(p => p.First != p.Second) / (double)a.Length;
}
