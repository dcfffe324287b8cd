using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Api.Security;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Library;
using VidPress.Core.Media;

namespace VidPress.Api.Library;

public sealed record MusicTrackResponse(Guid Id, string Title, IReadOnlyList<string> Moods, double DurationSeconds, double TempoBpm, int Beats, string? Credit, DateTimeOffset CreatedAt)
{
    public static MusicTrackResponse From(MusicTrack m) => new(m.Id, m.Title, m.Moods, m.DurationSeconds, m.TempoBpm, m.Beats.Count, m.CreditLine, m.CreatedAt);
}

public static class MusicApi
{
    public const long MaxMusicBytes = 200L * 1024 * 1024;
    // The bounds of an upload's fields (README, "Limits"), checked before anything is stored.
    public const int MaxTitle = 500, MaxCredit = 300, MaxMoods = 20, MaxMoodLength = 50;

    public static IEndpointRouteBuilder MapMusicApi(this IEndpointRouteBuilder app)
    {
        var music = app.MapGroup("/library/music").WithTags("Library").WithApiProblems();
        // Music files are larger than JSON bodies: this endpoint sets its own limit.
        music.MapPost("/", UploadAsync).DisableAntiforgery().WithName("UploadMusic")
            .WithMetadata(new OwnsBodyLimit(), new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxMusicBytes + 1024 * 1024))
            .WithSummary("Add a music bed (multipart: file, title, moods, credit); its beats are tracked at upload")
            .AcceptsUpload<MusicUploadForm>();
        music.MapGet("/", ListAsync).WithName("ListMusic").WithSummary("The tenant's music beds, oldest first");
        music.MapGet("/{id:guid}", GetAsync).WithName("GetMusic").WithSummary("One music bed: title, moods, tempo, beats, credit")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<MusicTrackResponse>, Ok<MusicTrackResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, MusicLibrary library, IMediaStorage storage, TenantContext tenant, CancellationToken ct)
    {
        if (!request.HasFormContentType) return Problems.BadRequest("Send the music as multipart/form-data.");
        IFormCollection form;
        // A body that ends before its closing boundary (IOException), a malformed section or a field past the form reader's own
        // limits (4 MB a value, 1024 values; InvalidDataException) is the caller's mistake, not the server's.
        try { form = await request.ReadFormAsync(ct); }
        catch (Exception e) when (e is IOException and not BadHttpRequestException or InvalidDataException)
        {
            return Problems.BadRequest("The multipart body cannot be read.", e is IOException ? "It ends before its closing boundary." : e.Message);
        }
        if (form.Files.GetFile("file") is not { } file) return Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["A 'file' part is required."] });
        if (file.Length > MaxMusicBytes) return Problems.TooLarge($"Music files up to {MaxMusicBytes} bytes are accepted.");
        var problems = ClientInput.FormProblems(form, file.FileName);
        var title = form["title"].ToString().Trim() is { Length: > 0 } t ? t : Path.GetFileNameWithoutExtension(file.FileName);
        if (title.Length > MaxTitle) problems.TryAdd("title", [$"At most {MaxTitle} characters."]);
        var moods = form["moods"].SelectMany(m => (m ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (moods.Count > MaxMoods || moods.Any(m => m.Length > MaxMoodLength))
            problems.TryAdd("moods", [$"At most {MaxMoods} moods of {MaxMoodLength} characters."]);
        var credit = form["credit"].ToString().Trim();
        if (credit.Length > MaxCredit) problems.TryAdd("credit", [$"At most {MaxCredit} characters."]);
        if (problems.Count > 0) return Problems.Validation(problems);
        using var scratch = storage.CreateScratch("music");
        var path = scratch.File("upload" + StorageKeys.SafeExtension(file.FileName, ".audio"));
        await using (var target = File.Create(path)) await file.CopyToAsync(target, ct);
        try
        {
            var (track, existing) = await library.AddAsync(tenant.TenantId, path, file.FileName, title, moods, credit.Length > 0 ? credit : null, ct);
            return existing ? TypedResults.Ok(MusicTrackResponse.From(track)) : TypedResults.Created(PublicUrls.MusicTrack(track.Id), MusicTrackResponse.From(track));
        }
        catch (MediaRejectedException e) { return Problems.Unprocessable("The file is not usable music.", e.Message); }
    }

    private static async Task<Results<Ok<MusicTrackResponse>, ProblemHttpResult>> GetAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct) =>
        await db.MusicTracks.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.TenantId == tenant.TenantId, ct) is { } track
            ? TypedResults.Ok(MusicTrackResponse.From(track))
            : Problems.NotFound("music track", id);

    private static async Task<Ok<MusicTrackResponse[]>> ListAsync(VidPressDbContext db, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok((await db.MusicTracks.AsNoTracking().Where(m => m.TenantId == tenant.TenantId).OrderBy(m => m.CreatedAt).ToListAsync(ct))
            .Select(MusicTrackResponse.From).ToArray());
}
