using System.Net;
using System.Net.Http.Json;
using VidPress.Api.Voices;
using VidPress.Core.Data;
using VidPress.Core.Narration;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Narration;

/// <summary>The voice catalogue over HTTP: what it lists, what a request may ask for, and a video narrated by Festival through a lexicon.</summary>
[Collection(SharedService.Name)]
public sealed class VoicesApiTests(ServiceFixture shared)
{
    private const string Festival = "festival:cmu_us_slt_arctic_hts";

    [Fact]
    public async Task Voices_are_listed_per_language_with_their_defaults_and_need_a_key()
    {
        var newsroom = await shared.NewsroomAsync("voices-list");
        var voices = await newsroom.GetAsync<VoicesResponse>("/voices");
        var english = voices.Languages.Single(l => l.Language == "en");
        var chinese = voices.Languages.Single(l => l.Language == "zh");
        Assert.Contains(english.Voices, v => v.Id == Festival && v.Engine == "festival" && v.Gender == "female");
        Assert.Contains(english.Voices, v => v.Id == "espeak:en-us");
        Assert.Equal("espeak:en-us", english.DefaultVoice);
        Assert.Contains(chinese.Voices, v => v.Id == "espeak:cmn");
        Assert.DoesNotContain(chinese.Voices, v => v.Language != "zh");
        Assert.Null(voices.TenantVoice);

        using var anonymous = shared.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/voices")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_voice_or_one_of_another_language_is_a_422_naming_the_valid_ones_and_stores_nothing()
    {
        var newsroom = await shared.NewsroomAsync("voices-refused");
        using var unknown = await newsroom.Client.PostAsJsonAsync("/videos", new { text = "The harbour reopened today.", voice = "festival:nobody" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        var problem = await Problems.ProblemAsync(unknown);
        Assert.Contains("festival:nobody", problem.GetProperty("detail").GetString());
        Assert.Contains(Festival, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("espeak:cmn", problem.GetProperty("detail").GetString());

        using var mismatch = await newsroom.Client.PostAsJsonAsync("/videos", new { text = "红色的圆形出现在城市上空。", voice = Festival });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.StatusCode);
        Assert.Contains("espeak:cmn", (await Problems.ProblemAsync(mismatch)).GetProperty("detail").GetString());

        using var tooFast = await newsroom.Client.PostAsJsonAsync("/videos", new { text = "The harbour reopened today.", speakingRate = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, tooFast.StatusCode);
        Assert.True((await Problems.ProblemAsync(tooFast)).GetProperty("errors").TryGetProperty("speakingRate", out _));

        using var badDefault = await newsroom.Client.PutAsJsonAsync("/tenants/me/voice", new { voice = "espeak:klingon" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badDefault.StatusCode);
        Assert.Empty(await newsroom.GetAsync<VidPress.Api.Videos.VideoResponse[]>("/videos"));
        Assert.Null((await newsroom.GetAsync<VoicesResponse>("/voices")).TenantVoice);
    }

    [Fact]
    public async Task The_admin_verb_sets_a_tenants_default_voice_and_refuses_one_that_is_not_installed()
    {
        var newsroom = await shared.NewsroomAsync("voices-admin");
        var settings = new KeyValuePair<string, string?>[] { new("ConnectionStrings:VidPress", shared.Database.ConnectionString) };
        var stderr = new StringWriter();
        Assert.Equal(1, await VidPress.Api.Admin.AdminCommand.RunAsync(["voice", "--tenant", "voices-admin", "--voice", "festival:nobody"], new StringWriter(), stderr, settings));
        Assert.Contains(Festival, stderr.ToString());
        Assert.Null((await newsroom.GetAsync<VoicesResponse>("/voices")).TenantVoice);
        Assert.Equal(0, await VidPress.Api.Admin.AdminCommand.RunAsync(["voice", "--tenant", "voices-admin", "--voice", Festival], new StringWriter(), new StringWriter(), settings));
        Assert.Equal(Festival, (await newsroom.GetAsync<VoicesResponse>("/voices")).TenantVoice);
        Assert.Equal(0, await VidPress.Api.Admin.AdminCommand.RunAsync(["voice", "--tenant", "voices-admin", "--voice", "default"], new StringWriter(), new StringWriter(), settings));
        Assert.Null((await newsroom.GetAsync<VoicesResponse>("/voices")).TenantVoice);
    }

    [Fact]
    public async Task A_lexicon_over_its_bounds_is_a_400_and_leaves_the_old_one()
    {
        var newsroom = await shared.NewsroomAsync("voices-lexicon-bounds");
        using var good = await newsroom.Client.PutAsJsonAsync("/tenants/me/lexicon", new { entries = new[] { new { written = "Nguyen", spoken = "Win" } } });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        using var bad = await newsroom.Client.PutAsJsonAsync("/tenants/me/lexicon", new { entries = new[] { new { written = "Saoirse", spoken = "" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await Problems.ProblemAsync(bad)).GetProperty("errors").TryGetProperty("entries[0].spoken", out _));
        var kept = await newsroom.GetAsync<LexiconResponse>("/tenants/me/lexicon");
        Assert.Equal([new LexiconEntry("Nguyen", "Win")], kept.Entries);
    }

    [Fact]
    public async Task A_video_asking_for_the_festival_voice_is_narrated_by_it_over_the_tenants_default_and_its_subtitles_keep_the_written_name()
    {
        var newsroom = await shared.NewsroomAsync("voices-festival");
        using var setVoice = await newsroom.Client.PutAsJsonAsync("/tenants/me/voice", new { voice = "espeak:en-gb" });
        Assert.Equal(HttpStatusCode.OK, setVoice.StatusCode);
        var listed = await newsroom.GetAsync<VoicesResponse>("/voices");
        Assert.Equal("espeak:en-gb", listed.TenantVoice);
        Assert.Equal("espeak:en-gb", listed.Languages.Single(l => l.Language == "en").DefaultVoice);
        Assert.Equal("espeak:cmn", listed.Languages.Single(l => l.Language == "zh").DefaultVoice);   // the tenant's English voice does not read Chinese
        using var setLexicon = await newsroom.Client.PutAsJsonAsync("/tenants/me/lexicon", new { entries = new[] { new { written = "Nguyen", spoken = "Win" } } });
        Assert.Equal(HttpStatusCode.OK, setLexicon.StatusCode);

        var id = await newsroom.Client.PostVideoAsync(new
        {
            text = "Mayor Nguyen opened the harbour. The boats came back at dawn.", targetDurationSeconds = 20, voice = Festival, speakingRate = 1.2,
        });
        var video = await newsroom.WaitForVideoAsync(id, TimeSpan.FromMinutes(4));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        Assert.Equal(Festival, (await newsroom.Client.GetVideoAsync(id)).NarrationVoice);
        Assert.Equal(1.2, video.SpeakingRate);

        var timeline = await newsroom.GetJsonAsync($"/videos/{id}/timeline");
        var cues = string.Join(" ", timeline.GetProperty("subtitles").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
        Assert.Contains("Nguyen", cues);
        Assert.DoesNotContain("Win", cues);
        var vtt = await newsroom.Client.GetStringAsync($"/videos/{id}/subtitles?format=vtt");
        Assert.Contains("Nguyen", vtt);
    }
}
