using System.Text.Json;
using VidPress.Import;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// `./vidpress import FOLDER`: the folder's files go through the REST API with the titles, tags, licence, credit and
/// expiry of its metadata.csv, with a progress bar; a re-run adds nothing; bad files are reported and counted,
/// and the rest are imported.
/// </summary>
[Collection(SharedService.Name)]
public sealed class BulkImportTests(ServiceFixture shared) : IAsyncLifetime
{
    private MediaLibrary _service = null!;

    public async Task InitializeAsync() => _service = await MediaLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_folder_is_imported_with_its_metadata_once_however_often_it_is_run()
    {
        var folder = Path.Combine(_service.WorkFolder, "import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await ShapeDrawings.Draw("orange", "square", 7).SavePngAsync(Path.Combine(folder, "harbour.png"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.mp4"), "meeting notes, not a video");
        var clip = await ShapeDrawings.SequenceClipAsync(folder, "ferry", [ShapeDrawings.Draw("blue", "circle", 7)], 2);
        await File.WriteAllTextAsync(Path.Combine(folder, "metadata.csv"),
            "file,title,description,tags,licence,credit,expiry\n" +
            "harbour.png,Harbour at dawn,The old harbour,\"harbour;boats\",staff,Jane Photographer,2099-12-31\n" +
            $"{Path.GetFileName(clip)},Ferry leaving,,ferry,cc-by,City Archive,\n" +
            "notes.mp4,Notes,,,,,\n" +
            "../outside.png,Outside,,,,,\n");

        async Task<(ImportSummary Summary, string Output)> ImportAsync()
        {
            var output = new StringWriter();
            // As typed at a terminal: the folder with a trailing slash, the bar drawn in place.
            var summary = await BulkImport.RunAsync(folder + "/", _service.Client, output, interactive: true);
            return (summary, output.ToString());
        }

        var (first, log) = await ImportAsync();
        Assert.Equal(new ImportSummary(Added: 2, Existing: 0, Failed: 2), first);
        Assert.Contains("added harbour.png", log);
        Assert.Contains("fail  notes.mp4: 422", log);
        Assert.Contains("skip  ../outside.png", log);
        Assert.Contains("[##############################] 100%  4/4 files", log);

        var assets = (await _service.GetJsonAsync("/library/assets?limit=500")).EnumerateArray().ToList();
        var harbour = Assert.Single(assets, a => a.GetProperty("title").GetString() == "Harbour at dawn");
        Assert.Equal(["harbour", "boats"], harbour.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("staff", "Jane Photographer"), (harbour.GetProperty("licence").GetString(), harbour.GetProperty("creditLine").GetString()));
        Assert.Equal(2099, harbour.GetProperty("expiresAt").GetDateTimeOffset().Year);
        Assert.Single(assets, a => a.GetProperty("title").GetString() == "Ferry leaving");

        var (second, again) = await ImportAsync();
        Assert.Equal(new ImportSummary(Added: 0, Existing: 2, Failed: 2), second);
        Assert.Contains("had   harbour.png", again);
        var after = (await _service.GetJsonAsync("/library/assets?limit=500")).EnumerateArray().ToList();
        Assert.Equal(assets.Count, after.Count);
    }

    [Fact]
    public async Task Without_a_terminal_only_the_log_and_the_final_state_are_written()
    {
        var folder = Path.Combine(_service.WorkFolder, "import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await ShapeDrawings.Draw("purple", "triangle", 7).SavePngAsync(Path.Combine(folder, "one.png"));
        var output = new StringWriter();
        var summary = await BulkImport.RunAsync(folder, _service.Client, output, interactive: false);
        Assert.Equal(new ImportSummary(1, 0, 0), summary);
        Assert.DoesNotContain("\x1b[K", output.ToString());
        Assert.EndsWith("1/1 files  0.0/0.0 MB" + Environment.NewLine, output.ToString().Replace(',', '.'));
    }

    [Fact]
    public async Task A_metadata_file_not_in_utf8_is_refused_before_anything_is_uploaded()
    {
        var folder = Path.Combine(_service.WorkFolder, "import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await ShapeDrawings.Draw("yellow", "circle", 7).SavePngAsync(Path.Combine(folder, "harbour.png"));
        // "file,title\nharbour.png,港口" as Excel's plain CSV writes it on a Chinese Windows: GB18030.
        await File.WriteAllBytesAsync(Path.Combine(folder, "metadata.csv"),
            [.. "file,title\nharbour.png,"u8, 0xB8, 0xDB, 0xBF, 0xDA, (byte)'\n']);
        var before = (await _service.GetJsonAsync("/library/assets?limit=500")).GetArrayLength();

        var refused = await Assert.ThrowsAsync<FormatException>(() => BulkImport.RunAsync(folder, _service.Client, new StringWriter(), interactive: false));
        Assert.Contains("UTF-8", refused.Message);
        Assert.Equal(before, (await _service.GetJsonAsync("/library/assets?limit=500")).GetArrayLength());
    }
}
