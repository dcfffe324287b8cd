using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Core.Music;
using VidPress.Core.Timeline;

namespace VidPress.Core.Library;

/// <summary>
/// Music beds: uploaded once per tenant, probed like any upload (local file only, whitelisted formats,
/// limits), their beats tracked at upload so every video that uses them can cut on the beat. The decode for the beat
/// tracker is held to the duration the header declares: a file whose sound runs on past it is refused, and the
/// samples it may produce are counted, never taken from the header.
/// </summary>
public sealed class MusicLibrary(
    VidPressDbContext db, IMediaStorage storage, MediaProbe probe, IOptions<MediaOptions> media, IOptions<LibraryUploadOptions> library, TimeProvider clock)
{
    public const int AnalysisSampleRate = 22050;

    public async Task<(MusicTrack Track, bool Existing)> AddAsync(Guid tenantId, string path, string fileName, string title, IReadOnlyList<string> moods, string? credit, CancellationToken cancellationToken)
    {
        string sha;
        await using (var file = File.OpenRead(path)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        var existing = await db.MusicTracks.AsNoTracking().FirstOrDefaultAsync(m => m.TenantId == tenantId && m.Sha256 == sha, cancellationToken);
        if (existing is not null) return (existing, true);

        var declared = await probe.ProbeAudioAsync(path, cancellationToken);
        var maxSeconds = library.Value.MaxMusicSeconds;
        if (declared <= 1 || declared > maxSeconds) throw new MediaRejectedException(LengthRule(maxSeconds));
        var pcm = await DecodeMonoAsync(path, declared, cancellationToken);
        // What the file really holds, not its header, is how long the bed lasts (a truncated file is shorter).
        var duration = Math.Round(pcm.Length / sizeof(float) / (double)AnalysisSampleRate, 3);
        if (duration <= 1) throw new MediaRejectedException(LengthRule(maxSeconds) + $" Its sound lasts {duration:0.###} s.");
        var beats = BeatTracker.Track(MemoryMarshal.Cast<byte, float>(pcm.AsSpan(0, pcm.Length / sizeof(float) * sizeof(float))), AnalysisSampleRate);
        var id = Guid.NewGuid();
        var track = new MusicTrack
        {
            Id = id, TenantId = tenantId, Title = title, Moods = moods.Select(m => m.ToLowerInvariant()).Distinct().ToList(),
            StorageKey = StorageKeys.MusicTrack(tenantId, id, StorageKeys.SafeExtension(fileName, ".audio")), Sha256 = sha, DurationSeconds = duration,
            TempoBpm = Math.Round(beats.TempoBpm, 2), Beats = beats.Beats.Select(b => Math.Round(b, 4)).ToList(), CreditLine = credit, CreatedAt = clock.GetUtcNow(),
        };
        await storage.ImportFileAsync(track.StorageKey, path, cancellationToken);
        try
        {
            db.MusicTracks.Add(track);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await storage.DeleteAsync(track.StorageKey, CancellationToken.None);
            throw;
        }
        return (track, false);
    }

    /// <summary>A track for a video: one tagged with the mood when given, else any; the same video always gets the same one.</summary>
    public async Task<MusicTrack?> PickAsync(Guid tenantId, string? mood, Guid videoId, CancellationToken cancellationToken)
    {
        var tracks = await db.MusicTracks.AsNoTracking().Where(m => m.TenantId == tenantId).OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken);
        var fitting = mood is null ? tracks : tracks.Where(t => t.Moods.Contains(mood.ToLowerInvariant())).ToList();
        if (fitting.Count == 0) return null;
        return fitting[(int)((uint)videoId.GetHashCode() % (uint)fitting.Count)];
    }

    /// <summary>
    /// The bed a request's <paramref name="music"/> asks for ("auto": any of the tenant's tracks, else one of that mood),
    /// for narration lasting <paramref name="narrationSeconds"/>; null when it asks for none. A mood the library has no
    /// track for is the caller's mistake.
    /// </summary>
    public async Task<MusicChoice?> ChooseAsync(Guid tenantId, string? music, Guid videoId, double narrationSeconds, CancellationToken cancellationToken)
    {
        if (music is null) return null;
        var track = await PickAsync(tenantId, music == "auto" ? null : music, videoId, cancellationToken)
            ?? throw new VideoInputException($"No music bed in the library fits '{music}'.");
        return ChoiceFor(track, narrationSeconds);
    }

    /// <summary>
    /// The tenant's track a timeline's music names: by its id, or, in documents stored before ids were recorded, by
    /// its key; never another tenant's. Null when the tenant has no such track (deleted, or not theirs).
    /// </summary>
    public Task<MusicTrack?> FindAsync(Guid tenantId, Guid? trackId, string trackKey, CancellationToken cancellationToken) => trackId is { } id
        ? db.MusicTracks.AsNoTracking().SingleOrDefaultAsync(m => m.TenantId == tenantId && m.Id == id, cancellationToken)
        : db.MusicTracks.AsNoTracking().FirstOrDefaultAsync(m => m.TenantId == tenantId && m.StorageKey == trackKey, cancellationToken);

    /// <summary>The music under a video lasting <paramref name="duration"/> seconds, all of it from the track itself.</summary>
    public static MusicChoice ChoiceFor(MusicTrack track, double duration) =>
        new(track.Id, track.StorageKey, track.TempoBpm, BeatsOver(track, duration));

    /// <summary>Beats of a looped bed in video time, up to <paramref name="duration"/>.</summary>
    public static IReadOnlyList<double> BeatsOver(MusicTrack track, double duration)
    {
        var beats = new List<double>();
        if (track.Beats.Count == 0 || track.DurationSeconds <= 0) return beats;
        for (var loop = 0.0; loop < duration; loop += track.DurationSeconds)
            beats.AddRange(track.Beats.Select(b => b + loop).Where(b => b < duration));
        return beats;
    }

    private static string LengthRule(double maxSeconds) => $"Music beds last between 1 s and {maxSeconds:0} s ({maxSeconds / 60:0.#} minutes).";

    /// <summary>
    /// Mono float PCM (little-endian f32) at <see cref="AnalysisSampleRate"/>, at most <see cref="MediaOptions.DecodeLimitSeconds"/> of the
    /// declared duration: ffmpeg is killed at the first byte past it and the file is refused, so an upload whose frames
    /// decode to hours costs the API the few megabytes of its stated length, whatever its header says.
    /// </summary>
    private async Task<byte[]> DecodeMonoAsync(string path, double declaredSeconds, CancellationToken cancellationToken)
    {
        var limitSeconds = MediaOptions.DecodeLimitSeconds(declaredSeconds);
        var maxBytes = (long)Math.Ceiling(limitSeconds * AnalysisSampleRate) * sizeof(float);
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(media.Value.FfmpegPath,
                ["-hide_banner", "-nostdin", "-v", "error", .. probe.SafeInputOptions, "-i", "file:" + Path.GetFullPath(path),
                 "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", AnalysisSampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "pipe:1"],
                TimeSpan.FromMinutes(2), cancellationToken, maxOutputBytes: maxBytes);
        }
        catch (ToolOutputLimitException)
        {
            throw new MediaRejectedException(
                $"The sound runs past the {declaredSeconds:0.###} s its header declares (it goes on beyond {limitSeconds:0.#} s); the file is refused.");
        }
        catch (ToolFailedException e)
        {
            throw new MediaRejectedException($"The sound could not be decoded ({e.Message}).");
        }
        if (result.ExitCode != 0)
            throw new MediaRejectedException("The sound could not be decoded: " + result.StandardError.Trim().Split('\n').LastOrDefault());
        return result.StandardOutput;
    }
}

/// <summary>
/// The track chosen to lie under a video, with its beats in video time: what the library tells the timeline, which
/// records it as the document's <c>MusicBed</c>.
/// </summary>
public sealed record MusicChoice(Guid TrackId, string TrackKey, double TempoBpm, IReadOnlyList<double> Beats);
