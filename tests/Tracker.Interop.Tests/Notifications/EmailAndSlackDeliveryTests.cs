using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Notifications.Tests.Sending.Support;

namespace Tracker.Interop.Tests.Notifications;

/// <summary>
/// An email channel through a real Tracker process to a real SMTP server (aiosmtpd), and a Slack
/// channel to a local receiver, for events that name them (README, "Which changes go where").
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class EmailAndSlackDeliveryTests(NotificationsFixture fixture)
{
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EmailChannel_EventNamesIt_ArrivesWithSubjectAndBothParts()
    {
        await CreateChannelAsync(new { name = "email", kind = "CHANNEL_KIND_EMAIL", emailTo = new[] { "oncall@example.com" } });

        await fixture.CreateEventAsync(new
        {
            title = "Deploy payments 3.1",
            attributes = new { type = "TYPE_DEPLOYMENT", environment = "ENVIRONMENT_UAT", service = "payments", notification = true, notifications = new[] { "email" } },
        });

        var mail = await WaitForMailAsync(message => message.Message.Subject?.Contains("Deploy payments 3.1", StringComparison.Ordinal) == true);
        Assert.Equal(["oncall@example.com"], mail.Recipients);
        Assert.Contains("Deploy payments 3.1", mail.Message.Subject);
        Assert.Contains("payments", mail.Message.Subject);
        Assert.Contains("Deploy payments 3.1", mail.Message.TextBody);
        Assert.Contains("Deploy payments 3.1", mail.Message.HtmlBody);
    }

    [Fact]
    public async Task SlackChannel_EventNamesIt_JsonHasTextAndBlocksWithTheTitle()
    {
        await CreateChannelAsync(new { name = "team-slack", kind = "CHANNEL_KIND_SLACK", url = fixture.Slack.Url.ToString() });

        await fixture.CreateEventAsync(new
        {
            title = "Drift on orders",
            attributes = new { type = "TYPE_DRIFT", environment = "ENVIRONMENT_PRODUCTION", service = "orders", notification = true, notifications = new[] { "team-slack" } },
        });

        var received = await fixture.Slack.WaitForAsync(r => r.Any(w => w.Body.Contains("Drift on orders", StringComparison.Ordinal)), DeliveryLimit);
        var message = received.FirstOrDefault(w => w.Body.Contains("Drift on orders", StringComparison.Ordinal));
        Assert.True(message is not null, fixture.ServerOutput);
        var json = JsonDocument.Parse(message.Body).RootElement;
        Assert.Contains("Drift on orders", json.GetProperty("text").GetString());
        Assert.Contains("Drift on orders", json.GetProperty("blocks").GetRawText());
        Assert.NotEmpty(json.GetProperty("blocks").EnumerateArray());
    }

    private async Task CreateChannelAsync(object channel)
    {
        using var http = new HttpClient { BaseAddress = fixture.HttpUrl };
        using var response = await http.PostAsJsonAsync("/api/v1alpha1/channels", channel);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<ReceivedMail> WaitForMailAsync(Func<ReceivedMail, bool> match)
    {
        var deadline = DateTimeOffset.UtcNow + DeliveryLimit;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var found = fixture.Smtp.Messages().FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"No email arrived.{Environment.NewLine}{fixture.ServerOutput}");
        return null!;
    }
}
