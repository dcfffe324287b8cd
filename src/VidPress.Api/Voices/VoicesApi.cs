using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Narration;
using VidPress.Core.Script;

namespace VidPress.Api.Voices;

/// <summary>One voice the deployment can speak.</summary>
/// <param name="Id">What <c>voice</c> takes: "engine:name" (<c>espeak:en-us</c>, <c>festival:cmu_us_slt_arctic_hts</c>).</param>
/// <param name="Language">The script language it reads: <c>en</c> or <c>zh</c>.</param>
/// <param name="Gender">"female" or "male" when the engine says.</param>
public sealed record VoiceResponse(string Id, string Engine, string Language, string? Gender, string Name);

/// <summary>The voices of one language.</summary>
/// <param name="DefaultVoice">The voice a video in this language gets when the request names none: the tenant's default when it reads this language, else the deployment's.</param>
public sealed record LanguageVoicesResponse(string Language, string? DefaultVoice, IReadOnlyList<VoiceResponse> Voices);

/// <param name="TenantVoice">The tenant's default voice (<c>PUT /tenants/me/voice</c>); null when it has none.</param>
public sealed record VoicesResponse(IReadOnlyList<LanguageVoicesResponse> Languages, string? TenantVoice);

/// <param name="Voice">A voice id of <c>GET /voices</c>, or null to follow the deployment's voice per language.</param>
public sealed record TenantVoiceRequest(string? Voice);

public sealed record TenantVoiceResponse(string? Voice);

/// <param name="Entries">Names as written and as the engine should say them: at most 500, written 1–100 and spoken 1–200 characters; an empty list clears it.</param>
public sealed record LexiconRequest(IReadOnlyList<LexiconEntry?>? Entries);

public sealed record LexiconResponse(IReadOnlyList<LexiconEntry> Entries);

/// <summary>
/// The voice catalogue (<c>GET /voices</c>) and the tenant's own narration settings: its default voice and its pronunciation
/// lexicon, which changes what the engine says and never what the subtitles show.
/// </summary>
public static class VoicesApi
{
    public static IEndpointRouteBuilder MapVoicesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/voices", ListAsync).WithTags("Voices").WithApiProblems().WithName("ListVoices")
            .WithSummary("The voices this deployment can speak, per language, with the default each language gets");
        var me = app.MapGroup("/tenants/me").WithTags("Voices").WithApiProblems();
        me.MapPut("/voice", PutVoiceAsync).WithName("SetTenantVoice")
            .WithSummary("The tenant's default narration voice (a GET /voices id; null for the deployment's)").ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        me.MapGet("/lexicon", GetLexiconAsync).WithName("GetTenantLexicon").WithSummary("The tenant's pronunciation lexicon");
        me.MapPut("/lexicon", PutLexiconAsync).WithName("SetTenantLexicon")
            .WithSummary("Replace the pronunciation lexicon: names as written and as spoken, applied to narration only (Latin whole words, Chinese exact)");
        return app;
    }

    private static async Task<Ok<VoicesResponse>> ListAsync(VoiceCatalogue catalogue, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var tenantVoice = await db.Tenants.AsNoTracking().Where(t => t.Id == tenant.TenantId).Select(t => t.DefaultVoice).SingleOrDefaultAsync(ct);
        var voices = await catalogue.ListAsync(ct);
        var languages = new List<LanguageVoicesResponse>();
        foreach (var language in Languages.Supported)
        {
            string? chosen;
            try { chosen = (await catalogue.ChooseAsync(null, tenantVoice, language, ct)).Id; }
            catch (VideoInputException) { chosen = null; }
            languages.Add(new LanguageVoicesResponse(language, chosen,
                voices.Where(v => v.Language == language).Select(v => new VoiceResponse(v.Id, v.Engine, v.Language, v.Gender, v.Name)).ToList()));
        }
        return TypedResults.Ok(new VoicesResponse(languages, tenantVoice));
    }

    private static async Task<Results<Ok<TenantVoiceResponse>, ProblemHttpResult>> PutVoiceAsync(
        TenantVoiceRequest body, VoiceCatalogue catalogue, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        if (body.Voice is { Length: > VoiceCatalogue.MaxVoiceIdCharacters })
            return Problems.Validation(new Dictionary<string, string[]> { ["voice"] = [$"At most {VoiceCatalogue.MaxVoiceIdCharacters} characters."] });
        if (body.Voice is not null && await catalogue.ProblemAsync(body.Voice, null, ct) is { } problem)
            return Problems.Unprocessable("No such voice.", problem);
        await db.Tenants.Where(t => t.Id == tenant.TenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.DefaultVoice, body.Voice), ct);
        return TypedResults.Ok(new TenantVoiceResponse(body.Voice));
    }

    private static async Task<Ok<LexiconResponse>> GetLexiconAsync(VidPressDbContext db, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok(new LexiconResponse(await db.Tenants.AsNoTracking().Where(t => t.Id == tenant.TenantId).Select(t => t.Lexicon).SingleAsync(ct)));

    private static async Task<Results<Ok<LexiconResponse>, ProblemHttpResult>> PutLexiconAsync(
        LexiconRequest body, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var problems = PronunciationLexicon.Validate(body.Entries);
        if (problems.Count > 0) return Problems.Validation(problems);
        var entries = body.Entries!.Select(e => new LexiconEntry(e!.Written.Trim(), e.Spoken.Trim())).ToList();
        var row = await db.Tenants.SingleAsync(t => t.Id == tenant.TenantId, ct);
        row.Lexicon = entries;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new LexiconResponse(entries));
    }
}
