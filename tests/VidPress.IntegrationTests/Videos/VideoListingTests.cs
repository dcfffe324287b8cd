using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Videos;

/// <summary>
/// A newsroom's view of many videos, as the desk and a CMS read it: the list filtered by status, time, reference and
/// words, page by page through the Link header; the counts per status; the stream of changes.
/// </summary>
[Collection(SharedService.Name)]
public sealed class VideoListingTests(ServiceFixture shared) : IAsyncLifetime
{
    private Newsroom _newsroom = null!;
    private readonly List<VideoResponse> _failed = [], _cancelled = [];
    private HttpClient Client => _newsroom.Client;

    public async Task InitializeAsync()
    {
        _newsroom = await shared.NewsroomAsync("listing-" + Guid.NewGuid().ToString("N")[..6]);
        // Bad input fails a video at once: four failed videos, two of them about the flood, one with a literal "100%".
        foreach (var (title, reference) in new[] { ("Flood in the valley", "cms-1"), ("Council budget", "cms-2"), ("FLOODING returns", "cms-3"), ("Turnout 100% in the north", "cms-4") })
        {
            var id = await Client.PostVideoAsync(new { title, reference, text = "!!! ??? ..." });
            _failed.Add(await _newsroom.WaitForVideoAsync(id, TimeSpan.FromMinutes(1)));
        }
        for (var n = 0; n < 2; n++)
        {
            var id = await Client.PostVideoAsync(new { title = $"Cancelled story {n}", text = "A red circle rose over the city. Later a blue square appeared.", targetDurationSeconds = 10 });
            using var cancel = await Client.PostAsync($"/videos/{id}/cancel", null);
            Assert.True(cancel.IsSuccessStatusCode, $"cancel: {(int)cancel.StatusCode}");
            _cancelled.Add(await _newsroom.WaitForVideoAsync(id, TimeSpan.FromMinutes(2)));
        }
        Assert.All(_failed, v => Assert.Equal(VideoStatus.Failed, v.Status));
        Assert.All(_cancelled, v => Assert.Equal(VideoStatus.Cancelled, v.Status));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<Guid>> IdsAsync(string query) => [.. (await Client.GetAsync<VideoResponse[]>("/videos" + query)).Select(v => v.Id)];

    private static List<Guid> NewestFirst(IEnumerable<VideoResponse> videos) =>
        [.. videos.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Select(v => v.Id)];

    [Fact]
    public async Task The_list_filters_by_status_words_reference_and_creation_time()
    {
        Assert.Equal(NewestFirst(_failed), await IdsAsync("?status=failed"));
        Assert.Equal(NewestFirst(_failed.Concat(_cancelled)), await IdsAsync("?status=failed,Cancelled"));
        Assert.Empty(await IdsAsync("?status=succeeded"));
        // Words of the title, any case; "%" is a character, not a wildcard.
        Assert.Equal(NewestFirst(_failed.Where(v => v.Title!.Contains("flood", StringComparison.OrdinalIgnoreCase))), await IdsAsync("?q=flood"));
        Assert.Equal([_failed[3].Id], await IdsAsync("?q=" + Uri.EscapeDataString("100%")));
        Assert.Equal([_failed[3].Id], await IdsAsync("?q=" + Uri.EscapeDataString("%")));
        Assert.Empty(await IdsAsync("?q=_"));
        Assert.Equal([_failed[1].Id], await IdsAsync("?reference=cms-2"));
        var third = _failed[2].CreatedAt;
        Assert.Equal(NewestFirst(_failed.Skip(2).Concat(_cancelled)), await IdsAsync("?createdFrom=" + Uri.EscapeDataString(third.ToString("O"))));
        Assert.Equal(NewestFirst(_failed.Take(2)), await IdsAsync("?createdTo=" + Uri.EscapeDataString(third.ToString("O"))));
        // The same instants written with other offsets (a CMS in Kiribati, one in Honolulu) select the same videos.
        Assert.Equal(NewestFirst(_failed.Skip(2).Concat(_cancelled)),
            await IdsAsync("?createdFrom=" + Uri.EscapeDataString(third.ToOffset(TimeSpan.FromHours(14)).ToString("O"))));
        Assert.Equal(NewestFirst(_failed.Take(2)), await IdsAsync("?createdTo=" + Uri.EscapeDataString(third.ToOffset(TimeSpan.FromHours(-10)).ToString("O"))));
        Assert.Equal(0, (await Client.GetAsync<VideoCounts>("/videos/counts?createdTo=" + Uri.EscapeDataString("0001-01-02T00:00:00+14:00"))).Total);
    }

    [Fact]
    public async Task Pages_follow_the_link_header_to_the_end_in_order_without_repeats()
    {
        var all = await IdsAsync("?limit=200");
        Assert.Equal(6, all.Count);
        var seen = new List<Guid>();
        string? next = "/videos?limit=4&status=failed,cancelled";
        var pages = 0;
        while (next is not null)
        {
            using var response = await Client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadAsync<VideoResponse[]>();
            seen.AddRange(page.Select(v => v.Id));
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single() is var link && link.EndsWith("; rel=\"next\"") ? link[1..link.IndexOf('>')] : null : null;
            if (next is not null) Assert.Contains("status=failed%2Ccancelled", next);
            pages++;
        }
        Assert.Equal(2, pages);
        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task Counts_give_every_status_with_the_lists_filters()
    {
        var counts = await Client.GetAsync<VideoCounts>("/videos/counts");
        Assert.Equal(new VideoCounts(0, 0, 0, 4, 2, 6), counts);
        Assert.Equal(new VideoCounts(0, 0, 0, 2, 0, 2), await Client.GetAsync<VideoCounts>("/videos/counts?q=FLOOD"));
        // Another tenant's videos are not counted.
        var other = await shared.NewsroomAsync("listing-other");
        Assert.Equal(0, (await other.Client.GetAsync<VideoCounts>("/videos/counts?q=Flood in the valley")).Total);
    }

    [Theory]
    [InlineData("?status=finished", "status")]
    [InlineData("?status=1", "status")]
    [InlineData("?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("?cursor=%%%", "cursor")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?createdFrom=2026-12-02T00:00:00Z&createdTo=2026-12-01T00:00:00Z", "createdTo")]
    public async Task A_malformed_filter_is_a_problem_naming_it(string query, string field)
    {
        using var response = await Client.GetAsync("/videos" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problems.ProblemAsync(response)).GetProperty("errors").TryGetProperty(field, out _), query);
    }

    [Fact]
    public async Task The_event_stream_sends_each_change_and_resumes_after_the_last_event_id()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/videos/events");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync(cts.Token));

        // Each change is sent; changes closer together than the stream's poll may come as the latest of them.
        async Task<(string Id, VideoResponse Video)> FailedAsync(Guid id)
        {
            while (true)
            {
                var (type, eventId, data) = await events.NextAsync(cts.Token);
                if (type != "video") continue;
                var video = JsonSerializer.Deserialize<VideoResponse>(data, ServiceFixture.Json)!;
                Assert.Equal(id, video.Id);
                if (video.Status == VideoStatus.Failed) return (eventId!, video);
                Assert.True(video.Status is VideoStatus.Queued or VideoStatus.Running, video.Status.ToString());
            }
        }
        var first = await FailedAsync(await Client.PostVideoAsync(new { title = "Streamed story", text = "!!! ??? ..." }));
        var secondId = await Client.PostVideoAsync(new { title = "Second streamed story", text = "!!! ??? ..." });
        var second = await FailedAsync(secondId);
        Assert.True(second.Video.UpdatedAt > first.Video.UpdatedAt);

        // A client that reconnects after the first video's last event gets what came after it, not that video again.
        using var resume = new HttpRequestMessage(HttpMethod.Get, "/videos/events");
        resume.Headers.Add("Last-Event-ID", first.Id);
        using var resumed = await Client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var again = new ServerSentEvents(await resumed.Content.ReadAsStreamAsync(cts.Token));
        while (true)
        {
            var next = await again.NextAsync(cts.Token);
            if (next.Type != "video") continue;
            var replayed = JsonSerializer.Deserialize<VideoResponse>(next.Data, ServiceFixture.Json)!;
            Assert.NotEqual(first.Video.Id, replayed.Id);
            if (replayed.Id != secondId) continue;
            if (replayed.Status != VideoStatus.Failed) continue;
            Assert.Equal(second.Id, next.Id);
            break;
        }
    }

    /// <summary>Reads text/event-stream as the HTML spec defines it: fields per line, events ended by a blank line.</summary>
    private sealed class ServerSentEvents(Stream stream)
    {
        private readonly StreamReader _reader = new(stream);

        public async Task<(string Type, string? Id, string Data)> NextAsync(CancellationToken ct)
        {
            var (type, id, data) = ("message", (string?)null, new List<string>());
            while (await _reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0) return (type, id, string.Join('\n', data));
                    continue;
                }
                var colon = line.IndexOf(':');
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "event": type = value; break;
                    case "id": id = value; break;
                    case "data": data.Add(value); break;
                }
            }
            throw new EndOfStreamException();
        }
    }
}
