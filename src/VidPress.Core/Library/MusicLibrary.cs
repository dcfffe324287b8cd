using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Core.Timeline;
using VidPress.Core.Timeline.Music;

namespace VidPress.Core.Library;

/// <summary>
/// Music beds: uploaded once per tenant, probed like any upload (local file only, whitelisted formats,
/// limits), their beats tracked at upload so every video that uses them can cut on the beat.
/// </summary>
public sealed class MusicLibrary(VidPressDbContext db, IMediaStorage storage, MediaProbe probe, IOptions<MediaOptions> media, TimeProvider clock)
{
    public const int AnalysisSampleRate = 22050;
    public const double MaxSeconds = 15 * 60;

    public async Task<(MusicTrack Track, bool Existing)> AddAsync(Guid tenantId, string path, string fileName, string title, IReadOnlyList<string> moods, string? credit, CancellationToken cancellationToken)
    {
        string sha;
        await using (var file = File.OpenRead(path)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        var existing = await db.MusicTracks.AsNoTracking().FirstOrDefaultAsync(m => m.TenantId == tenantId && m.Sha256 == sha, cancellationToken);
        if (existing is not null) return (existing, true);

        var duration = await ProbeAudioAsync(path, cancellationToken);
        var samples = await DecodeMonoAsync(path, cancellationToken);
        var beats = BeatTracker.Track(samples, AnalysisSampleRate);
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
    /// The tenant's track a timeline's music names: by its id, or, in documents stored before ids were recorded, by
    /// its key; never another tenant's. Null when the tenant has no such track (deleted, or not theirs).
    /// </summary>
    public Task<MusicTrack?> FindAsync(Guid tenantId, MusicBed bed, CancellationToken cancellationToken) => bed.Id is { } id
        ? db.MusicTracks.AsNoTracking().SingleOrDefaultAsync(m => m.TenantId == tenantId && m.Id == id, cancellationToken)
        : db.MusicTracks.AsNoTracking().FirstOrDefaultAsync(m => m.TenantId == tenantId && m.StorageKey == bed.TrackKey, cancellationToken);

    /// <summary>The music bed of a video lasting <paramref name="duration"/> seconds, all of it from the track itself.</summary>
    public static MusicBed BedFor(MusicTrack track, double duration) =>
        new(track.StorageKey, track.TempoBpm, BeatsOver(track, duration)) { Id = track.Id };

    /// <summary>Beats of a looped bed in video time, up to <paramref name="duration"/>.</summary>
    public static IReadOnlyList<double> BeatsOver(MusicTrack track, double duration)
    {
        var beats = new List<double>();
        if (track.Beats.Count == 0 || track.DurationSeconds <= 0) return beats;
        for (var loop = 0.0; loop < duration; loop += track.DurationSeconds)
            beats.AddRange(track.Beats.Select(b => b + loop).Where(b => b < duration));
        return beats;
    }

    private async Task<double> ProbeAudioAsync(string path, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).Length == 0) throw new MediaRejectedException("The file is empty.");
        var result = await ToolProcess.RunAsync(media.Value.FfprobePath,
            ["-v", "error", .. probe.SafeInputOptions, "-show_format", "-show_streams", "-of", "json", "-i", path], media.Value.ProbeTimeout, cancellationToken);
        if (result.ExitCode != 0) throw new MediaRejectedException("The file is not a supported audio file.");
        using var json = JsonDocument.Parse(result.StandardOutput);
        var hasAudio = json.RootElement.TryGetProperty("streams", out var streams) && streams.EnumerateArray().Any(s => s.GetProperty("codec_type").GetString() == "audio");
        if (!hasAudio) throw new MediaRejectedException("The file has no sound.");
        var duration = json.RootElement.GetProperty("format").TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
        if (duration <= 1 || duration > MaxSeconds) throw new MediaRejectedException($"Music beds last between 1 s and {MaxSeconds / 60:0} minutes.");
        return duration;
    }

    private async Task<float[]> DecodeMonoAsync(string path, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunCheckedAsync(media.Value.FfmpegPath,
            ["-hide_banner", "-nostdin", .. probe.SafeInputOptions, "-i", path, "-vn", "-ac", "1", "-ar", AnalysisSampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "pipe:1"],
            TimeSpan.FromMinutes(2), cancellationToken);
        return MemoryMarshal.Cast<byte, float>(result.StandardOutput.AsSpan(0, result.StandardOutput.Length / 4 * 4)).ToArray();
    }

}
