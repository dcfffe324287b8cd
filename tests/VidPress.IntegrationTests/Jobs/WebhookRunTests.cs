using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VidPress.Core.Delivery;
using VidPress.IntegrationTests.Security;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>
/// Each run's outcome is its own webhook event (keyed by video, run and event), while duplicates of one run's
/// outcome (the webhook job run twice, the video job run again, a hand-over redone after a crash) stay one delivery.
/// The tests run the jobs themselves, as a worker would, and the receiver checks each delivery as Standard Webhooks says.
/// </summary>
[Collection(FencingCollection.Name)]
public sealed class WebhookRunTests(FencingFixture service)
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private IReadOnlyList<ReceivedWebhook> Received(Guid id)
    {
        var received = JobTests.WebhooksFor(service.Webhooks, id);
        // Every delivery is signed with the service secret (the default tenant has none of its own), as a receiver checks it.
        Assert.All(received, w => Assert.True(StandardWebhooks.Verify(IntegrationSecrets.Webhook, w.Headers, w.Body, w.At, Tolerance), w.Headers["webhook-signature"]));
        return received;
    }

    private static string TypeOf(ReceivedWebhook webhook) => JsonDocument.Parse(webhook.Body).RootElement.GetProperty("type").GetString()!;

    [Fact]
    public async Task A_video_that_fails_is_retried_and_fails_again_sends_two_failed_events_with_their_own_ids()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        // An article URL the guard refuses: bad input, so each run fails the video at once.
        var id = await service.AddVideoAsync(host, "", url: "http://10.0.0.1/story", callbackPath: "/hooks/runs");

        await FencingFixture.RunJobAsync(host, id);
        var first = Assert.Single(jobs.Webhooks(id));
        Assert.Equal((WebhookEvents.VideoFailed, 1, 1), ((string)first.Args[1]!, (int)first.Args[2]!, (int)first.Args[3]!));
        await FencingFixture.RunWebhookJobAsync(host, first);

        // Duplicates of that run's outcome: its webhook job run twice, the video job run again by Hangfire, and the
        // hand-over redone (a run that died after enqueueing the webhook but before leaving stage Delivery).
        await FencingFixture.RunWebhookJobAsync(host, first);
        await FencingFixture.RunJobAsync(host, id);
        Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE videos SET "Stage" = 'Delivery' WHERE "Id" = @id""", ("id", id)));
        await FencingFixture.RunJobAsync(host, id);
        var again = Assert.Single(jobs.Webhooks(id).Skip(1));
        Assert.Equal(1, (int)again.Args[3]!);
        await FencingFixture.RunWebhookJobAsync(host, again);
        Assert.Single(Received(id));

        // The editor retries; the new run fails the same way.
        using (var retry = await service.Client.PostAsync($"/videos/{id}/retry", null))
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await FencingFixture.RunJobAsync(host, id);
        var second = Assert.Single(jobs.Webhooks(id).Skip(2));
        Assert.Equal((WebhookEvents.VideoFailed, 1, 2), ((string)second.Args[1]!, (int)second.Args[2]!, (int)second.Args[3]!));
        await FencingFixture.RunWebhookJobAsync(host, second);
        // A late duplicate of the first run's event finds the video made again since: dropped, nothing sent.
        await FencingFixture.RunWebhookJobAsync(host, first);

        var received = Received(id);
        Assert.Equal(2, received.Count);
        Assert.All(received, w => Assert.Equal(WebhookEvents.VideoFailed, TypeOf(w)));
        Assert.Equal(
            [WebhookSender.WebhookIdFor(id, WebhookEvents.VideoFailed, run: 1), WebhookSender.WebhookIdFor(id, WebhookEvents.VideoFailed, run: 2)],
            received.Select(w => w.Headers["webhook-id"]));
        Assert.Equal("1:1:t,2:1:t", await service.Database.ScalarAsync<string>(
            $"""SELECT string_agg("Run" || ':' || "Attempt" || ':' || "Succeeded"::text::char, ',' ORDER BY "Run") FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
    }

    [Fact]
    public async Task A_success_after_a_timeline_edit_is_an_event_of_its_own()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, "The harbour reopened on Monday after the storm. Ferries ran on time.", callbackPath: "/hooks/runs");
        await FencingFixture.RunJobAsync(host, id);
        await FencingFixture.RunWebhookJobAsync(host, Assert.Single(jobs.Webhooks(id)));

        var timeline = JsonNode.Parse((await service.GetJsonAsync($"/videos/{id}/timeline")).GetRawText())!;
        timeline["subtitles"]![0]!["text"] = "Edited: the harbour reopened.";
        using (var put = await service.Client.PutAsJsonAsync($"/videos/{id}/timeline", timeline))
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        await FencingFixture.RunJobAsync(host, id);
        var second = Assert.Single(jobs.Webhooks(id).Skip(1));
        await FencingFixture.RunWebhookJobAsync(host, second);
        await FencingFixture.RunWebhookJobAsync(host, second);

        var received = Received(id);
        Assert.Equal(2, received.Count);
        Assert.All(received, w => Assert.Equal(WebhookEvents.VideoSucceeded, TypeOf(w)));
        Assert.Equal(2, received.Select(w => w.Headers["webhook-id"]).Distinct().Count());
    }
}
