using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Api.Library;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Library;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

[Collection(SharedService.Name)]
public sealed class LibrarySearchTests(ServiceFixture shared) : IAsyncLifetime
{
    private MediaLibrary _service = null!;

    public async Task InitializeAsync() => _service = await MediaLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Work(string name) => Path.Combine(_service.WorkFolder, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    private async Task<string> PngAsync(string colour, string shape, int variant)
    {
        var path = Work($"{colour}-{shape}.png");
        await ShapeDrawings.Draw(colour, shape, variant).SavePngAsync(path);
        return path;
    }

    [Fact]
    public async Task Clip_of_three_shapes_one_after_another_has_three_shots_with_thumbnails()
    {
        var clip = await ShapeDrawings.SequenceClipAsync(_service.WorkFolder, "three-shapes",
            [ShapeDrawings.Draw("red", "circle", 0), ShapeDrawings.Draw("blue", "square", 1), ShapeDrawings.Draw("green", "triangle", 2)], 2.5);
        var asset = await _service.AddAsync(clip, "three-shapes.mp4", new Dictionary<string, string> { ["title"] = "sequence of shapes" });
        Assert.Equal(3, asset.Shots);

        var id = asset.Id;
        var shots = await _service.Database.ScalarAsync<string>(
            $"select string_agg(round(\"StartSeconds\"::numeric, 1)::text, ',' order by \"StartSeconds\") from shots where \"AssetId\" = '{id}'");
        Assert.Equal("0.0,2.5,5.0", shots);

        var hit = (await _service.SearchAsync("a blue square")).First(h => h.AssetId == id);
        Assert.InRange(hit.BestTime, 2.5, 5.0);
        var thumbnailUrl = hit.ThumbnailUrl;
        using var thumbnail = await _service.Client.GetAsync(thumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        var jpeg = Work("thumb.jpg");
        await File.WriteAllBytesAsync(jpeg, await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal(320, Media.Stream(await Media.ProbeAsync(jpeg), "video").GetProperty("width").GetInt32());

        // Lists show an asset by its first shot's thumbnail (the dashboard's library before any search).
        var firstShot = await _service.Database.ScalarAsync<Guid>($"select \"Id\" from shots where \"AssetId\" = '{id}' order by \"StartSeconds\" limit 1");
        var listed = (await _service.GetAsync<AssetResponse[]>("/library/assets")).Single(a => a.Id == id);
        Assert.Equal($"/library/shots/{firstShot}/thumbnail", listed.ThumbnailUrl);
        var single = await _service.Client.GetAssetAsync(id);
        Assert.Equal(listed.ThumbnailUrl, single.ThumbnailUrl);
        using var listThumbnail = await _service.Client.GetAsync(listed.ThumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, listThumbnail.StatusCode);

        // Each shot's thumbnail shows that shot: red, then blue, then green.
        var shotIds = (await _service.Database.ScalarAsync<string>(
            $"select string_agg(\"Id\"::text, ',' order by \"StartSeconds\") from shots where \"AssetId\" = '{id}'")).Split(',');
        Func<(byte R, byte G, byte B), bool>[] expected = [p => p.R > 170 && p.G < 90 && p.B < 90, p => p.B > 170 && p.R < 90 && p.G < 130, p => p.G > 120 && p.R < 90 && p.B < 110];
        for (var n = 0; n < 3; n++)
        {
            var path = Work($"shot-{n}.jpg");
            await File.WriteAllBytesAsync(path, await _service.Client.GetByteArrayAsync($"/library/shots/{shotIds[n]}/thumbnail"));
            var picture = await new VidPress.Core.Embeddings.FrameDecoder().ReadImageAsync(path);
            var share = Enumerable.Range(0, picture.Width * picture.Height).Count(i => expected[n](picture[i % picture.Width, i / picture.Width])) / (double)(picture.Width * picture.Height);
            Assert.True(share > 0.05, $"shot {n}'s thumbnail has {share:P1} of its colour");
        }
    }

    [Fact]
    public async Task Yellow_square_is_found_first_among_all_24_shapes_and_an_expired_one_never()
    {
        // The drawings must be what tiny-clip knows, or this test would test the drawings.
        using (var clip = new ClipModel(new ClipOptions { ModelPath = Repository.Path("models", "tiny-clip") }))
        {
            var labels = ShapeDrawings.Colours.SelectMany(c => ShapeDrawings.Shapes.Select(s => $"a {c} {s}")).ToList();
            var texts = clip.EmbedTexts(labels);
            var pictures = clip.EmbedImages(ShapeDrawings.Colours.SelectMany(c => ShapeDrawings.Shapes.Select(s => ShapeDrawings.Draw(c, s, 1))).ToList());
            for (var i = 0; i < labels.Count; i++)
                Assert.Equal(labels[i], labels[Enumerable.Range(0, labels.Count).MaxBy(t => Dot(pictures[i], texts[t]))]);
        }

        var ids = new Dictionary<string, Guid>();
        var number = 0;
        foreach (var colour in ShapeDrawings.Colours)
            foreach (var shape in ShapeDrawings.Shapes)
            {
                // Neutral titles: the vector side alone must find the shape.
                var asset = await _service.AddAsync(await PngAsync(colour, shape, 1), $"picture-{++number}.png",
                    new Dictionary<string, string> { ["title"] = $"archive picture {number}", ["credit"] = "Archive" });
                ids[$"{colour} {shape}"] = asset.Id;
            }
        var expired = (await _service.AddAsync(await PngAsync("yellow", "square", 3), "expired.png", new Dictionary<string, string>
        {
            ["title"] = "yellow square from an agency", ["licence"] = "agency", ["credit"] = "Agency", ["expiresAt"] = "2020-01-01",
        })).Id;

        var hits = await _service.SearchAsync("a yellow square", 50);
        Assert.Equal(ids["yellow square"], hits[0].AssetId);
        Assert.Equal("a yellow square", hits[0].MatchedPhrase);
        Assert.DoesNotContain(hits, h => h.AssetId == expired);
        // The title words match the expired asset's text, and still it stays out.
        Assert.DoesNotContain(await _service.SearchAsync("yellow square agency", 50), h => h.AssetId == expired);

        // The search a video's retrieval stage runs filters the same way.
        await using var scope = _service.Factory.Services.CreateAsyncScope();
        var forVideo = await scope.ServiceProvider.GetRequiredService<ShotSearch>().SearchAsync(_service.TenantId, "A yellow square was seen.", 50, CancellationToken.None);
        Assert.Equal(ids["yellow square"], forVideo[0].AssetId);
        Assert.Equal("Archive", forVideo[0].Credit);
        Assert.DoesNotContain(forVideo, c => c.AssetId == expired);
    }

    [Fact]
    public async Task Black_and_blank_frames_are_never_returned()
    {
        var black = Work("black.png");
        await VidPress.Core.Media.RgbImage.Filled(480, 270, 0, 0, 0).SavePngAsync(black);
        var blank = Work("blank.png");
        await VidPress.Core.Media.RgbImage.Filled(480, 270, 250, 210, 40).SavePngAsync(blank);
        var blackId = (await _service.AddAsync(black, "black.png", new Dictionary<string, string> { ["title"] = "black square slate" })).Id;
        var blankId = (await _service.AddAsync(blank, "blank.png", new Dictionary<string, string> { ["title"] = "yellow square card" })).Id;
        Assert.Equal(2L, await _service.Database.ScalarAsync<long>(
            $"select count(*) from keyframes k join shots s on s.\"Id\" = k.\"ShotId\" where s.\"AssetId\" in ('{blackId}', '{blankId}') and not k.\"Usable\""));
        foreach (var query in new[] { "a black square", "a yellow square", "black square slate", "yellow square card" })
            Assert.DoesNotContain(await _service.SearchAsync(query, 100), h => h.AssetId is var id && (id == blackId || id == blankId));
    }

    [Fact]
    public async Task Chinese_title_is_found_by_full_text_and_says_which_terms_matched()
    {
        var asset = await _service.AddAsync(await PngAsync("red", "circle", 4), "tiananmen.png", new Dictionary<string, string>
        {
            ["title"] = "北京天安门广场夜景", ["description"] = "Night view of the square", ["tags"] = "北京,landmark",
        });
        var hits = await _service.SearchAsync("天安门");
        var hit = hits.First();
        Assert.Equal(asset.Id, hit.AssetId);
        Assert.Equal(1, hit.TextRank);
        Assert.Equal("天安,天安门", string.Join(",", hit.MatchedTerms));
        var byTag = (await _service.SearchAsync("landmark")).First();
        Assert.Equal(asset.Id, byTag.AssetId);
    }

    [Fact]
    public async Task Same_file_twice_returns_the_existing_asset()
    {
        var path = await PngAsync("orange", "triangle", 2);
        var first = await _service.AddAsync(path, "orange.png", new Dictionary<string, string> { ["title"] = "first upload" });
        using var again = await _service.UploadAsync(path, "orange-again.png", new Dictionary<string, string> { ["title"] = "second upload" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.ReadAsync<AssetResponse>();
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("first upload", second.Title);
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>($"select count(*) from assets where \"Sha256\" = '{first.Sha256}'"));
    }

    [Fact]
    public async Task The_same_file_again_retries_an_ingest_that_failed()
    {
        var path = await PngAsync("white", "circle", 3);
        var id = (await _service.AddAsync(path, "white.png")).Id;
        // What a failed ingest leaves: the asset failed, with its error, without shots.
        Assert.Equal(1, await _service.Database.ExecuteAsync("""UPDATE assets SET "Status" = 'Failed', "Error" = 'ffmpeg was killed' WHERE "Id" = @id""", ("id", id)));
        Assert.Equal(1, await _service.Database.ExecuteAsync("""DELETE FROM shots WHERE "AssetId" = @id""", ("id", id)));

        using var again = await _service.UploadAsync(path, "white-again.png");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(id, (await again.ReadAsync<AssetResponse>()).Id);
        var asset = await _service.WaitForAssetAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal(AssetStatus.Ready, asset.Status);
        Assert.True(asset.Error is null, asset.ToString());
        Assert.Equal(1, asset.Shots);

        // A ready asset is answered as before: 200, nothing queued.
        using var third = await _service.UploadAsync(path, "white-third.png");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    /// <summary>
    /// A shot picked while its licence ran is not published after the licence ends, nor after its asset is deleted:
    /// a later render (here a retry) fails the video with the reason and the time, for an editor to swap the shot.
    /// </summary>
    [Theory]
    [InlineData("expired")]
    [InlineData("deleted")]
    public async Task A_render_after_a_shots_licence_ended_or_its_asset_went_fails_with_the_reason(string what)
    {
        var id = (await _service.AddAsync(await PngAsync("black", "circle", what == "expired" ? 5 : 6), $"{what}.png", new Dictionary<string, string> { ["title"] = $"pinned {what}" })).Id;
        var videoId = await _service.Client.PostVideoAsync(new { script = new[] { new { text = "A dark circle was seen at dawn.", assetId = id } } });
        Assert.Equal(VideoStatus.Succeeded, (await _service.WaitForVideoAsync(videoId, TimeSpan.FromMinutes(3))).Status);

        if (what == "expired")
            Assert.Equal(1, await _service.Database.ExecuteAsync("""UPDATE assets SET "ExpiresAt" = now() - interval '1 hour' WHERE "Id" = @id""", ("id", id)));
        else
            using (var delete = await _service.Client.DeleteAsync($"/library/assets/{id}")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        // Rendered again later: a retry keeps the timeline and renders it.
        Assert.Equal(1, await _service.Database.ExecuteAsync("""UPDATE videos SET "Status" = 'Failed', "Stage" = 'Done', "OutputKey" = NULL WHERE "Id" = @id""", ("id", videoId)));
        using (var retry = await _service.Client.PostAsync($"/videos/{videoId}/retry", null)) Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

        var video = await _service.WaitForVideoAsync(videoId, TimeSpan.FromMinutes(3));
        Assert.Equal(VideoStatus.Failed, video.Status);
        var error = video.Error;
        Assert.Contains(what == "expired" ? "licence" : "deleted", error);
        Assert.Contains(id.ToString(), error);
        Assert.Contains("replace it in the timeline", error);
    }

    [Fact]
    public async Task Delete_removes_rows_and_files()
    {
        var clip = await ShapeDrawings.SequenceClipAsync(_service.WorkFolder, "to-delete", [ShapeDrawings.Draw("purple", "square", 0)], 3);
        var id = (await _service.AddAsync(clip, "to-delete.mp4")).Id;
        var folder = Path.Combine(_service.StorageRoot, "tenants", _service.TenantId.ToString("N"), "assets", id.ToString("N"));
        Assert.True(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count() >= 2, "original and thumbnail");

        using var delete = await _service.Client.DeleteAsync($"/library/assets/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var get = await _service.Client.GetAsync($"/library/assets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(0L, await _service.Database.ScalarAsync<long>($"select count(*) from shots where \"AssetId\" = '{id}'"));
        using var again = await _service.Client.DeleteAsync($"/library/assets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    /// <summary>
    /// A delete that lands while the ingest decodes the file removes the folder before the ingest writes the
    /// shots' thumbnails; the ingest, finding its asset gone when it saves, removes what it wrote.
    /// </summary>
    [Fact]
    public async Task Delete_during_the_ingest_leaves_no_files_behind()
    {
        var clip = Path.Combine(_service.WorkFolder, "long-for-delete.mp4");
        await Media.Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=60", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "300k", "-pix_fmt", "yuv420p", clip);
        using var upload = await _service.UploadAsync(clip, "long-for-delete.mp4");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var id = (await upload.ReadAsync<AssetResponse>()).Id;
        var folder = Path.Combine(_service.StorageRoot, "tenants", _service.TenantId.ToString("N"), "assets", id.ToString("N"));

        // The scene pass's ffmpeg has the asset's file open: the ingest is under way (deleted any earlier, the
        // file would be gone before ffmpeg opened it, and the ingest would fail before writing anything).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Directory.EnumerateDirectories("/proc").Any(p => HasOpen(p, id.ToString("N"))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the ingest's ffmpeg never started");
            await Task.Delay(20);
        }
        using (var delete = await _service.Client.DeleteAsync($"/library/assets/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        // The ingest job ends (it would otherwise fail and be retried, the retry finding no asset).
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string? state;
        while ((state = await _service.Database.ScalarAsync<string?>(
            $"select statename from hangfire.job where invocationdata::text like '%AssetIngestJob%' and arguments::text like '%{id}%'")) != "Succeeded")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the ingest job is still {state}");
            await Task.Delay(200);
        }
        Assert.False(Directory.Exists(folder), string.Join(", ", Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : []));
        Assert.Equal(0L, await _service.Database.ScalarAsync<long>($"select count(*) from shots where \"AssetId\" = '{id}'"));
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>(
            $"select count(*) from hangfire.job where invocationdata::text like '%AssetIngestJob%' and arguments::text like '%{id}%' and statename = 'Succeeded'"));
    }

    /// <summary>Whether the process has a file open whose path contains <paramref name="part"/>.</summary>
    private static bool HasOpen(string processFolder, string part)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(Path.Combine(processFolder, "fd"))
                .Any(fd => new FileInfo(fd).LinkTarget?.Contains(part, StringComparison.Ordinal) == true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
}
