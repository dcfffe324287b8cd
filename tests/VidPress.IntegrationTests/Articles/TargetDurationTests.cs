using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Script;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Articles;

/// <summary>
/// The target duration holds end to end, for articles and callers' scripts alike: a sentence longer than the target
/// is cut, and narration the voice makes longer than the estimate said is shortened or refused, never rendered whole.
/// </summary>
[Collection(SharedService.Name)]
public sealed class TargetDurationTests(ServiceFixture service)
{
    private static readonly double FiveSecondBound = ScriptWriter.NarrationBoundSeconds(5);

    private async Task<(VideoResponse Video, JsonElement Script)> MadeAsync(object request)
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", request);
        Assert.True(post.StatusCode == HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        using var script = await service.Client.GetAsync($"/videos/{id}/script");
        return (video, script.IsSuccessStatusCode ? await script.Content.ReadFromJsonAsync<JsonElement>() : default);
    }

    /// <summary>The attack: a 5 s target and one sentence of thousands of words made a 767 s video.</summary>
    [Fact]
    public async Task One_sentence_of_thousands_of_words_makes_a_video_of_about_the_five_second_target()
    {
        var text = "A red circle rose over the city, and " + string.Join(" ", Enumerable.Repeat("the crowd watched it climb higher", 600)) + ".";
        var (video, script) = await MadeAsync(new { text, targetDurationSeconds = 5 });

        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        Assert.InRange(video.DurationSeconds!.Value, 1, FiveSecondBound);
        var sentence = Assert.Single(script.GetProperty("sentences").EnumerateArray()).GetProperty("text").GetString()!;
        // Twelve words fit 5 s; the clause before them keeps more than half, so the cut is at its comma.
        Assert.Equal("A red circle rose over the city.", sentence);
    }

    [Fact]
    public async Task A_callers_script_longer_than_its_target_is_cut_to_it_by_the_same_rule()
    {
        var (video, script) = await MadeAsync(new
        {
            script = new object[]
            {
                new { text = "A red circle rose." },
                new { text = "Then a blue square appeared, " + string.Join(" ", Enumerable.Repeat("and it stayed over the harbour", 30)) },
                new { text = "This sentence is past the target." },
            },
            targetDurationSeconds = 5,
        });

        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());
        Assert.InRange(video.DurationSeconds!.Value, 1, FiveSecondBound);
        Assert.Equal(["A red circle rose.", "Then a blue square appeared."],
            script.GetProperty("sentences").EnumerateArray().Select(s => s.GetProperty("text").GetString()));
    }

    /// <summary>
    /// Long numbers count as one word each in the estimate but are read out as many: the spoken narration is checked
    /// too. A sentence that ends past the target's tolerance is left out; a first sentence that does fails the video.
    /// </summary>
    [Fact]
    public async Task Narration_spoken_past_the_targets_tolerance_is_shortened_or_refused()
    {
        const string numbers = "Call 987654321987, 123456789123, 987654321987 or 123456789123.";
        var (shortened, script) = await MadeAsync(new { script = new[] { new { text = "A red circle rose." }, new { text = numbers } }, targetDurationSeconds = 5 });
        Assert.True(shortened.Status == VideoStatus.Succeeded, shortened.ToString());
        Assert.InRange(shortened.DurationSeconds!.Value, 1, FiveSecondBound);
        Assert.Equal(["A red circle rose."], script.GetProperty("sentences").EnumerateArray().Select(s => s.GetProperty("text").GetString()));

        var (refused, _) = await MadeAsync(new { script = new[] { new { text = numbers } }, targetDurationSeconds = 5 });
        Assert.Equal(VideoStatus.Failed, refused.Status);
        Assert.Contains("targetDurationSeconds", refused.Error);
    }
}
