using Microsoft.Extensions.Options;

namespace VidPress.Core.Narration;

/// <summary>
/// The voices this deployment can speak, from every installed <see cref="ISpeechEngine"/> (listed once per process), and the
/// one rule for which voice narrates a video: the request's, else the tenant's default when it reads the article's
/// language, else the deployment's voice for that language (<c>Narration:Voices</c>).
/// </summary>
public sealed class VoiceCatalogue(IEnumerable<ISpeechEngine> engines, IOptions<NarrationOptions> options)
{
    public const double MinSpeakingRate = 0.5, MaxSpeakingRate = 2.0;
    public const int MaxVoiceIdCharacters = 200;
    private readonly IReadOnlyList<ISpeechEngine> _engines = engines.ToList();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<Voice>? _voices;

    public async Task<IReadOnlyList<Voice>> ListAsync(CancellationToken cancellationToken)
    {
        if (_voices is { } known) return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_voices is null)
            {
                var voices = new List<Voice>();
                foreach (var engine in _engines) voices.AddRange(await engine.ListVoicesAsync(cancellationToken));
                _voices = voices;
            }
            return _voices;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The deployment's voice id for a language: <c>Narration:Voices</c>, where a bare name is an espeak-ng voice.</summary>
    public string DefaultVoiceId(string language) =>
        options.Value.Voices.TryGetValue(language, out var voice) ? voice.Contains(':') ? voice : $"{EspeakEngine.EngineName}:{voice}"
        : throw new VideoInputException($"No narration voice for language '{language}'.");

    public ISpeechEngine EngineOf(Voice voice) => _engines.Single(e => e.Name == voice.Engine);

    /// <summary>Which voice narrates: see the class. A requested voice that is not installed or reads another language is the caller's error.</summary>
    public async Task<Voice> ChooseAsync(string? requested, string? tenantDefault, string language, CancellationToken cancellationToken)
    {
        var voices = await ListAsync(cancellationToken);
        if (requested is not null)
            return await ProblemAsync(requested, language, cancellationToken) is { } problem ? throw new VideoInputException(problem) : voices.Single(v => v.Id == requested);
        if (voices.FirstOrDefault(v => v.Id == tenantDefault && v.Language == language) is { } tenants) return tenants;
        var fallback = DefaultVoiceId(language);
        return voices.FirstOrDefault(v => v.Id == fallback)
            ?? throw new VideoInputException($"The narration voice for '{language}' ({fallback}) is not installed on this worker.");
    }

    /// <summary>
    /// What is wrong with asking for <paramref name="voiceId"/> for an article in <paramref name="language"/> (null when it is
    /// not known yet: a URL's article): not a voice here, or one of another language; null when it will do. Names the valid ones.
    /// </summary>
    public async Task<string?> ProblemAsync(string voiceId, string? language, CancellationToken cancellationToken)
    {
        var voices = await ListAsync(cancellationToken);
        var valid = voices.Where(v => language is null || v.Language == language).Select(v => v.Id).ToList();
        var named = $"Voices{(language is null ? "" : $" for '{language}'")}: {(valid.Count == 0 ? "none" : string.Join(", ", valid))} (GET /voices).";
        var voice = voices.FirstOrDefault(v => v.Id == voiceId);
        if (voice is null) return $"No voice '{Shown(voiceId)}' on this deployment. {named}";
        if (language is not null && voice.Language != language) return $"The voice '{voiceId}' reads '{voice.Language}'; the article is '{language}'. {named}";
        return null;
    }

    private static string Shown(string id) => id.Length > 100 ? id[..100] + "…" : id;
}
