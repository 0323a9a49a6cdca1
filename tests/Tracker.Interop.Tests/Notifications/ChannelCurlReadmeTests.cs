using System.Text.Json;
using Tracker.Testing;

namespace Tracker.Interop.Tests.Notifications;

/// <summary>The README's curl commands for channels, run with curl as written against a real Tracker process.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class ChannelCurlReadmeTests(NotificationsFixture fixture)
{
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SlackCurls_CreateAndTest_TestMessageReachesTheUrl()
    {
        var block = ReadmeNotifications.Block("Slack", "sh");

        var responses = await fixture.RunShAsync(block, ("https://hooks.slack.com/services/T000/B000/XXXX", fixture.Slack.Url.ToString()));

        Assert.Equal(2, responses.Count);
        Assert.Equal("CHANNEL_KIND_SLACK", responses[0].GetProperty("kind").GetString());
        Assert.True(responses[1].GetProperty("test").GetBoolean(), responses[1].ToString());
        Assert.Equal("DELIVERY_STATE_DELIVERED", responses[1].GetProperty("state").GetString());
        Assert.Contains(fixture.Slack.Received, request => request.Body.Contains("\"blocks\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeliveryLogCurls_FailedMessage_ListedThenRedelivered()
    {
        await fixture.WebhookAsync();
        // The first attempt is refused for good (a 400 is not retried); a redelivery is taken.
        fixture.Webhooks.Answer = request => request.Body.Contains("Broken deploy", StringComparison.Ordinal)
            && fixture.Webhooks.Received.Count(r => r.Id == request.Id) == 0
            ? new WebhookAnswer(400)
            : WebhookAnswer.NoContent;
        var eventId = await fixture.CreateEventAsync(new
        {
            title = "Broken deploy",
            attributes = new { type = "TYPE_DEPLOYMENT", environment = "ENVIRONMENT_PRODUCTION", service = "checkout" },
        });
        var failed = await fixture.Webhooks.WaitForAsync(r => r.Any(w => w.EventId == eventId), DeliveryLimit);
        var messageId = failed.First(w => w.EventId == eventId).Id;
        var changeId = failed.First(w => w.EventId == eventId).ChangeId;
        var block = ReadmeNotifications.Block("The delivery log", "sh");

        var responses = await fixture.RunShAsync(block, ("msg_...", messageId), ("\"1234\"", $"\"{long.Parse(changeId) - 1}\""));

        Assert.Equal(3, responses.Count);
        var listed = responses[0].GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Contains(listed, delivery => delivery.GetProperty("id").GetString() == messageId);
        Assert.All(listed, delivery => Assert.Equal("DELIVERY_STATE_FAILED", delivery.GetProperty("state").GetString()));
        Assert.Equal(1, responses[1].GetProperty("redeliveredCount").GetInt32());
        Assert.True(responses[2].GetProperty("redeliveredCount").GetInt32() >= 1, responses[2].ToString());
        var again = await fixture.Webhooks.WaitForAsync(r => r.Count(w => w.Id == messageId) >= 2, DeliveryLimit);
        Assert.True(again.Count(w => w.Id == messageId) >= 2, fixture.ServerOutput);
    }

    [Fact]
    public async Task EnableCurl_DisabledChannel_EnabledAgain()
    {
        await fixture.WebhookAsync();
        using var http = new HttpClient { BaseAddress = fixture.HttpUrl };
        using var disable = await http.PatchAsync("/api/v1alpha1/channels/ci-hooks", new StringContent("""{"disabled": true}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(disable.IsSuccessStatusCode, await disable.Content.ReadAsStringAsync());
        var block = ReadmeNotifications.Blocks(ReadmeNotifications.Subsection("Retries"), "sh");

        var responses = await fixture.RunShAsync(Assert.Single(block));

        var channel = Assert.Single(responses);
        Assert.False(channel.GetProperty("disabled").GetBoolean());
        Assert.Equal("type=TYPE_DEPLOYMENT AND environment=ENVIRONMENT_PRODUCTION", channel.GetProperty("filter").GetString());
        var read = JsonDocument.Parse(await http.GetStringAsync("/api/v1alpha1/channels/ci-hooks")).RootElement;
        Assert.False(read.GetProperty("disabled").GetBoolean());
    }
}
