using System.Text.Json;
using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using Tracker.Notifications.Tests.Sending.Support;
using Xunit;

namespace Tracker.Notifications.Tests.Sending;

/// <summary>The Slack sender against a real local receiver standing in for hooks.slack.com.</summary>
public sealed class SlackSenderTests : IAsyncLifetime
{
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<(SendResult Result, JsonElement Message)> SendAsync(WebhookPayload payload, string? publicUrl = null)
    {
        using var host = new SenderHost(SenderHost.LocalSettings(("Notifications:PublicUrl", publicUrl)));
        var result = await host.Senders.SendAsync(Payloads.Slack(_receiver.BaseUrl + "/services/T000/B000/XXXX"), "msg_1", payload, CancellationToken.None);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("application/json", request.Headers["content-type"]);
        return (result, JsonDocument.Parse(request.Body).RootElement.Clone());
    }

    private static List<string> Fields(JsonElement message) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.TryGetProperty("fields", out _))
            .SelectMany(block => block.GetProperty("fields").EnumerateArray())
            .Select(field => field.GetProperty("text").GetString()!)
            .ToList();

    private static List<string> Texts(JsonElement message) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.TryGetProperty("text", out _))
            .Select(block => block.GetProperty("text").GetProperty("text").GetString()!)
            .ToList();

    [Fact]
    public async Task SendAsync_Change_PostsTextFallbackAndBlocks()
    {
        var (result, message) = await SendAsync(Payloads.Deployment());

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("[Created] Deploy checkout 1.2 - Deployment succeeded in checkout/production", message.GetProperty("text").GetString());
        Assert.Equal("*Deploy checkout 1.2*", Texts(message)[0]);
        Assert.Equal(
            [
                "*Type*\nDeployment",
                "*Status*\nSuccess",
                "*Service*\ncheckout",
                "*Environment*\nProduction",
                "*Priority*\nP2",
                "*Owner*\nteam-payments",
                "*Pull request*\n<https://git.example.com/shop/pull/7?tab=files&amp;x=1|https://git.example.com/shop/pull/7?tab=files&amp;x=1>",
                "*Ticket*\nSHOP-456",
            ],
            Fields(message));
        var context = message.GetProperty("blocks").EnumerateArray().Last();
        Assert.Equal("context", context.GetProperty("type").GetString());
        Assert.Equal("Created · change 42 · channel ops", context.GetProperty("elements")[0].GetProperty("text").GetString());
        Assert.DoesNotContain(Texts(message), text => text.Contains("Open in Tracker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_TitleWithSlackControlCharacters_Escaped()
    {
        var payload = Payloads.Deployment(title: "Deploy <!channel> & <https://evil.example|click>");
        payload.Event.Attributes.Owner = "a<b>&c";

        var (_, message) = await SendAsync(payload);

        Assert.Equal(
            "[Created] Deploy &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; - Deployment succeeded in checkout/production",
            message.GetProperty("text").GetString());
        Assert.Equal("*Deploy &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;*", Texts(message)[0]);
        Assert.Contains("*Owner*\na&lt;b&gt;&amp;c", Fields(message));
    }

    [Fact]
    public async Task SendAsync_PublicUrlSet_LinksTheEventInTheWebUi()
    {
        var (_, message) = await SendAsync(Payloads.Deployment(), publicUrl: "https://tracker.example.com/");

        Assert.Contains("<https://tracker.example.com/?event=0193a5b0-0000-7000-8000-000000000001|Open in Tracker>", Texts(message));
    }

    [Fact]
    public async Task SendAsync_EventWithoutOptionalFields_OnlyFieldsItHas()
    {
        var payload = Payloads.Deployment();
        payload.Event.Attributes.ClearPriority();
        payload.Event.Attributes.ClearOwner();
        payload.Event.Attributes.ClearEnvironment();
        payload.Event.Attributes.Severity = Severity.Alert;
        payload.Event.Links = null;
        payload.ChangeType = ChangeType.Updated;

        var (_, message) = await SendAsync(payload);

        Assert.Equal("[Updated] Deploy checkout 1.2 - Deployment succeeded in checkout", message.GetProperty("text").GetString());
        Assert.Equal(["*Type*\nDeployment", "*Status*\nSuccess", "*Service*\ncheckout", "*Severity*\nAlert"], Fields(message));
    }

    [Fact]
    public async Task SendAsync_TestMessage_SaysSo()
    {
        var payload = Payloads.Deployment();
        payload.Test = true;

        var (_, message) = await SendAsync(payload);

        Assert.StartsWith("Test message from Tracker: [Created] Deploy checkout 1.2", message.GetProperty("text").GetString());
        var context = message.GetProperty("blocks").EnumerateArray().Last();
        Assert.StartsWith("This is a test message", context.GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task SendAsync_SlackRefusesPayload_PermanentWithItsReason()
    {
        using var host = new SenderHost(SenderHost.LocalSettings());

        var result = await host.Senders.SendAsync(Payloads.Slack(_receiver.BaseUrl + "/status/404"), "msg_1", Payloads.Deployment(), CancellationToken.None);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal("HTTP 404: status 404 from the receiver", result.Error);
    }
}
