using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Embeddings;
using VidPress.Core.Library;
using VidPress.IntegrationTests.Infrastructure;

namespace VidPress.IntegrationTests.Library;

[Collection(MediaLibraryCollection.Name)]
public sealed class LibrarySearchTests(MediaLibraryFixture service)
{
    private string Work(string name) => Path.Combine(service.WorkFolder, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    private async Task<string> PngAsync(string colour, string shape, int variant)
    {
        var path = Work($"{colour}-{shape}.png");
        await ShapeDrawings.Draw(colour, shape, variant).SavePngAsync(path);
        return path;
    }

    [Fact]
    public async Task Clip_of_three_shapes_one_after_another_has_three_shots_with_thumbnails()
    {
        var clip = await ShapeDrawings.SequenceClipAsync(service.WorkFolder, "three-shapes",
            [ShapeDrawings.Draw("red", "circle", 0), ShapeDrawings.Draw("blue", "square", 1), ShapeDrawings.Draw("green", "triangle", 2)], 2.5);
        var asset = await service.AddAsync(clip, "three-shapes.mp4", new Dictionary<string, string> { ["title"] = "sequence of shapes" });
        Assert.Equal(3, asset.GetProperty("shots").GetInt32());

        var id = asset.GetProperty("id").GetGuid();
        var shots = await service.Database.ScalarAsync<string>(
            $"select string_agg(round(\"StartSeconds\"::numeric, 1)::text, ',' order by \"StartSeconds\") from shots where \"AssetId\" = '{id}'");
        Assert.Equal("0.0,2.5,5.0", shots);

        var hit = (await service.SearchAsync("a blue square")).First(h => h.GetProperty("assetId").GetGuid() == id);
        Assert.InRange(hit.GetProperty("bestTime").GetDouble(), 2.5, 5.0);
        var thumbnailUrl = hit.GetProperty("thumbnailUrl").GetString()!;
        using var thumbnail = await service.Client.GetAsync(thumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        var jpeg = Work("thumb.jpg");
        await File.WriteAllBytesAsync(jpeg, await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal(320, Media.Stream(await Media.ProbeAsync(jpeg), "video").GetProperty("width").GetInt32());

        // Lists show an asset by its first shot's thumbnail (the dashboard's library before any search).
        var firstShot = await service.Database.ScalarAsync<Guid>($"select \"Id\" from shots where \"AssetId\" = '{id}' order by \"StartSeconds\" limit 1");
        var listed = (await service.Client.GetFromJsonAsync<JsonElement>("/library/assets")).EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id);
        Assert.Equal($"/library/shots/{firstShot}/thumbnail", listed.GetProperty("thumbnailUrl").GetString());
        var single = await service.Client.GetFromJsonAsync<JsonElement>($"/library/assets/{id}");
        Assert.Equal(listed.GetProperty("thumbnailUrl").GetString(), single.GetProperty("thumbnailUrl").GetString());
        using var listThumbnail = await service.Client.GetAsync(listed.GetProperty("thumbnailUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, listThumbnail.StatusCode);

        // Each shot's thumbnail shows that shot: red, then blue, then green.
        var shotIds = (await service.Database.ScalarAsync<string>(
            $"select string_agg(\"Id\"::text, ',' order by \"StartSeconds\") from shots where \"AssetId\" = '{id}'")).Split(',');
        Func<(byte R, byte G, byte B), bool>[] expected = [p => p.R > 170 && p.G < 90 && p.B < 90, p => p.B > 170 && p.R < 90 && p.G < 130, p => p.G > 120 && p.R < 90 && p.B < 110];
        for (var n = 0; n < 3; n++)
        {
            var path = Work($"shot-{n}.jpg");
            await File.WriteAllBytesAsync(path, await service.Client.GetByteArrayAsync($"/library/shots/{shotIds[n]}/thumbnail"));
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
                var asset = await service.AddAsync(await PngAsync(colour, shape, 1), $"picture-{++number}.png",
                    new Dictionary<string, string> { ["title"] = $"archive picture {number}", ["credit"] = "Archive" });
                ids[$"{colour} {shape}"] = asset.GetProperty("id").GetGuid();
            }
        var expired = (await service.AddAsync(await PngAsync("yellow", "square", 3), "expired.png", new Dictionary<string, string>
        {
            ["title"] = "yellow square from an agency", ["licence"] = "agency", ["credit"] = "Agency", ["expiresAt"] = "2020-01-01",
        })).GetProperty("id").GetGuid();

        var hits = await service.SearchAsync("a yellow square", 50);
        Assert.Equal(ids["yellow square"], hits[0].GetProperty("assetId").GetGuid());
        Assert.Equal("a yellow square", hits[0].GetProperty("matchedPhrase").GetString());
        Assert.DoesNotContain(hits, h => h.GetProperty("assetId").GetGuid() == expired);
        // The title words match the expired asset's text, and still it stays out.
        Assert.DoesNotContain(await service.SearchAsync("yellow square agency", 50), h => h.GetProperty("assetId").GetGuid() == expired);

        // The search a video's retrieval stage runs filters the same way.
        await using var scope = service.Factory.Services.CreateAsyncScope();
        var forVideo = await scope.ServiceProvider.GetRequiredService<ShotSearch>().SearchAsync(VidPress.Core.Data.Tenant.DefaultId, "A yellow square was seen.", 50, CancellationToken.None);
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
        var blackId = (await service.AddAsync(black, "black.png", new Dictionary<string, string> { ["title"] = "black square slate" })).GetProperty("id").GetGuid();
        var blankId = (await service.AddAsync(blank, "blank.png", new Dictionary<string, string> { ["title"] = "yellow square card" })).GetProperty("id").GetGuid();
        Assert.Equal(2L, await service.Database.ScalarAsync<long>(
            $"select count(*) from keyframes k join shots s on s.\"Id\" = k.\"ShotId\" where s.\"AssetId\" in ('{blackId}', '{blankId}') and not k.\"Usable\""));
        foreach (var query in new[] { "a black square", "a yellow square", "black square slate", "yellow square card" })
            Assert.DoesNotContain(await service.SearchAsync(query, 100), h => h.GetProperty("assetId").GetGuid() is var id && (id == blackId || id == blankId));
    }

    [Fact]
    public async Task Chinese_title_is_found_by_full_text_and_says_which_terms_matched()
    {
        var asset = await service.AddAsync(await PngAsync("red", "circle", 4), "tiananmen.png", new Dictionary<string, string>
        {
            ["title"] = "北京天安门广场夜景", ["description"] = "Night view of the square", ["tags"] = "北京,landmark",
        });
        var hits = await service.SearchAsync("天安门");
        var hit = hits.First();
        Assert.Equal(asset.GetProperty("id").GetGuid(), hit.GetProperty("assetId").GetGuid());
        Assert.Equal(1, hit.GetProperty("textRank").GetInt32());
        Assert.Equal("天安,安门", string.Join(",", hit.GetProperty("matchedTerms").EnumerateArray().Select(t => t.GetString())));
        var byTag = (await service.SearchAsync("landmark")).First();
        Assert.Equal(asset.GetProperty("id").GetGuid(), byTag.GetProperty("assetId").GetGuid());
    }

    [Fact]
    public async Task Same_file_twice_returns_the_existing_asset()
    {
        var path = await PngAsync("orange", "triangle", 2);
        var first = await service.AddAsync(path, "orange.png", new Dictionary<string, string> { ["title"] = "first upload" });
        using var again = await service.UploadAsync(path, "orange-again.png", new Dictionary<string, string> { ["title"] = "second upload" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal("first upload", second.GetProperty("title").GetString());
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"select count(*) from assets where \"Sha256\" = '{first.GetProperty("sha256").GetString()}'"));
    }

    [Fact]
    public async Task The_same_file_again_retries_an_ingest_that_failed()
    {
        var path = await PngAsync("white", "circle", 3);
        var id = (await service.AddAsync(path, "white.png")).GetProperty("id").GetGuid();
        // What a failed ingest leaves: the asset failed, with its error, without shots.
        Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE assets SET "Status" = 'Failed', "Error" = 'ffmpeg was killed' WHERE "Id" = @id""", ("id", id)));
        Assert.Equal(1, await service.Database.ExecuteAsync("""DELETE FROM shots WHERE "AssetId" = @id""", ("id", id)));

        using var again = await service.UploadAsync(path, "white-again.png");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(id, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
        var asset = await service.WaitForAssetAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal("ready", asset.GetProperty("status").GetString());
        Assert.False(asset.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null, asset.ToString());
        Assert.Equal(1, asset.GetProperty("shots").GetInt32());

        // A ready asset is answered as before: 200, nothing queued.
        using var third = await service.UploadAsync(path, "white-third.png");
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
        var id = (await service.AddAsync(await PngAsync("black", "circle", what == "expired" ? 5 : 6), $"{what}.png", new Dictionary<string, string> { ["title"] = $"pinned {what}" })).GetProperty("id").GetGuid();
        using var post = await service.Client.PostAsJsonAsync("/videos", new { script = new[] { new { text = "A dark circle was seen at dawn.", assetId = id } } });
        var videoId = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal("succeeded", (await service.WaitForVideoAsync(videoId, TimeSpan.FromMinutes(3))).GetProperty("status").GetString());

        if (what == "expired")
            Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE assets SET "ExpiresAt" = now() - interval '1 hour' WHERE "Id" = @id""", ("id", id)));
        else
            using (var delete = await service.Client.DeleteAsync($"/library/assets/{id}")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        // Rendered again later: a retry keeps the timeline and renders it.
        Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE videos SET "Status" = 'Failed', "Stage" = 'Done', "OutputKey" = NULL WHERE "Id" = @id""", ("id", videoId)));
        using (var retry = await service.Client.PostAsync($"/videos/{videoId}/retry", null)) Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

        var video = await service.WaitForVideoAsync(videoId, TimeSpan.FromMinutes(3));
        Assert.Equal("failed", video.GetProperty("status").GetString());
        var error = video.GetProperty("error").GetString()!;
        Assert.Contains(what == "expired" ? "licence" : "deleted", error);
        Assert.Contains(id.ToString(), error);
        Assert.Contains("replace it in the timeline", error);
    }

    [Fact]
    public async Task Delete_removes_rows_and_files()
    {
        var clip = await ShapeDrawings.SequenceClipAsync(service.WorkFolder, "to-delete", [ShapeDrawings.Draw("purple", "square", 0)], 3);
        var id = (await service.AddAsync(clip, "to-delete.mp4")).GetProperty("id").GetGuid();
        var folder = Path.Combine(service.StorageRoot, "tenants", VidPress.Core.Data.Tenant.DefaultId.ToString("N"), "assets", id.ToString("N"));
        Assert.True(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count() >= 2, "original and thumbnail");

        using var delete = await service.Client.DeleteAsync($"/library/assets/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var get = await service.Client.GetAsync($"/library/assets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(0L, await service.Database.ScalarAsync<long>($"select count(*) from shots where \"AssetId\" = '{id}'"));
        using var again = await service.Client.DeleteAsync($"/library/assets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    /// <summary>
    /// A delete that lands while the ingest decodes the file removes the folder before the ingest writes the
    /// shots' thumbnails; the ingest, finding its asset gone when it saves, removes what it wrote.
    /// </summary>
    [Fact]
    public async Task Delete_during_the_ingest_leaves_no_files_behind()
    {
        var clip = Path.Combine(service.WorkFolder, "long-for-delete.mp4");
        await Media.Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=60", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "300k", "-pix_fmt", "yuv420p", clip);
        using var upload = await service.UploadAsync(clip, "long-for-delete.mp4");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var id = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var folder = Path.Combine(service.StorageRoot, "tenants", VidPress.Core.Data.Tenant.DefaultId.ToString("N"), "assets", id.ToString("N"));

        // The scene pass's ffmpeg has the asset's file open: the ingest is under way (deleted any earlier, the
        // file would be gone before ffmpeg opened it, and the ingest would fail before writing anything).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Directory.EnumerateDirectories("/proc").Any(p => HasOpen(p, id.ToString("N"))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the ingest's ffmpeg never started");
            await Task.Delay(20);
        }
        using (var delete = await service.Client.DeleteAsync($"/library/assets/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        // The ingest job ends (it would otherwise fail and be retried, the retry finding no asset).
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string? state;
        while ((state = await service.Database.ScalarAsync<string?>(
            $"select statename from hangfire.job where invocationdata::text like '%AssetIngestJob%' and arguments::text like '%{id}%'")) != "Succeeded")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the ingest job is still {state}");
            await Task.Delay(200);
        }
        Assert.False(Directory.Exists(folder), string.Join(", ", Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : []));
        Assert.Equal(0L, await service.Database.ScalarAsync<long>($"select count(*) from shots where \"AssetId\" = '{id}'"));
        Assert.Equal(1L, await service.Database.ScalarAsync<long>(
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
