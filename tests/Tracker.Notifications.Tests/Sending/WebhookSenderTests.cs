using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using Tracker.Notifications.Tests.Sending.Support;
using Xunit;

namespace Tracker.Notifications.Tests.Sending;

/// <summary>The webhook sender against a real local receiver, and its outcomes (shared with Slack's).</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static async Task<SendResult> SendAsync(string url, Dictionary<string, string?>? settings = null, TimeProvider? time = null, string? secret = null)
    {
        using var host = new SenderHost(settings ?? SenderHost.LocalSettings(), time);
        return await host.Senders.SendAsync(Payloads.Webhook(url, secret), "msg_0193a5b0-1", Payloads.Deployment(), CancellationToken.None);
    }

    [Fact]
    public async Task SendAsync_Receiver200_DeliversStandardWebhookThatPythonVerifies()
    {
        var secret = ChannelTargets.GenerateSecret();

        var result = await SendAsync(_receiver.BaseUrl + "/hook", secret: secret);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.Error);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook", request.Path);
        Assert.Equal("msg_0193a5b0-1", request.Headers["webhook-id"]);
        Assert.Matches("^[0-9]{10}$", request.Headers["webhook-timestamp"]);
        Assert.StartsWith("v1,", request.Headers["webhook-signature"]);
        Assert.Equal("application/json", request.Headers["content-type"]);
        Assert.Equal("Tracker-Webhooks/1.0", request.Headers["user-agent"]);
        var (exitCode, output) = await DebianPython.RunAsync(
            "verify_signature.py", request.Body, secret, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"]);
        Assert.True(exitCode == 0, output);
        Assert.Equal("valid", output.Trim());
    }

    [Fact]
    public async Task SendAsync_VerifiedWithAnotherSecret_PythonRejectsSignature()
    {
        await SendAsync(_receiver.BaseUrl + "/hook");
        var request = Assert.Single(_receiver.Requests);

        var (exitCode, output) = await DebianPython.RunAsync(
            "verify_signature.py", request.Body, ChannelTargets.GenerateSecret(), request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("invalid", output);
    }

    [Fact]
    public async Task SendAsync_Body_IsThePayloadAsWatchEventsJson()
    {
        await SendAsync(_receiver.BaseUrl + "/hook");

        var body = Assert.Single(_receiver.Requests).Body;
        Assert.Equal(Payloads.Deployment(), JsonParser.Default.Parse<WebhookPayload>(body));
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("CHANGE_TYPE_CREATED", root.GetProperty("changeType").GetString());
        Assert.Equal("42", root.GetProperty("changeId").GetString());
        Assert.Equal("2026-12-07T10:00:00Z", root.GetProperty("changeTime").GetString());
        Assert.Equal("ops", root.GetProperty("channel").GetString());
        // Default values are written, as WatchEvents' REST stream writes them.
        Assert.False(root.GetProperty("test").GetBoolean());
        Assert.Equal(string.Empty, root.GetProperty("event").GetProperty("etag").GetString());
        Assert.Equal("TYPE_DEPLOYMENT", root.GetProperty("event").GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("SHOP-456", root.GetProperty("event").GetProperty("links").GetProperty("ticket").GetString());
    }

    [Theory]
    [InlineData(200, SendOutcome.Delivered, null)]
    [InlineData(204, SendOutcome.Delivered, null)]
    [InlineData(503, SendOutcome.Retryable, "HTTP 503: status 503 from the receiver")]
    [InlineData(500, SendOutcome.Retryable, "HTTP 500: status 500 from the receiver")]
    [InlineData(408, SendOutcome.Retryable, "HTTP 408: status 408 from the receiver")]
    [InlineData(429, SendOutcome.Retryable, "HTTP 429: status 429 from the receiver")]
    [InlineData(400, SendOutcome.Permanent, "HTTP 400: status 400 from the receiver")]
    [InlineData(404, SendOutcome.Permanent, "HTTP 404: status 404 from the receiver")]
    [InlineData(410, SendOutcome.Permanent, "HTTP 410: status 410 from the receiver")]
    public async Task SendAsync_ReceiverStatus_ClassifiedByStatus(int status, SendOutcome outcome, string? error)
    {
        var result = await SendAsync($"{_receiver.BaseUrl}/status/{status}");

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(error, result.Error);
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_Redirect_PermanentAndNotFollowed()
    {
        var result = await SendAsync($"{_receiver.BaseUrl}/status/302?location=/ok");

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal(302, result.StatusCode);
        Assert.Equal("HTTP 302: redirects are not followed", result.Error);
        Assert.Equal("/status/302?location=/ok", Assert.Single(_receiver.Requests).Path);
    }

    [Theory]
    [InlineData(429, "120", 120)]
    [InlineData(503, "0", 0)]
    [InlineData(503, "Wed, 21 Oct 2026 07:28:00 GMT", 120)]
    [InlineData(503, "Wed, 21 Oct 2026 07:00:00 GMT", 0)]
    public async Task SendAsync_RetryAfter_ParsedAsDelay(int status, string retryAfter, int seconds)
    {
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 10, 21, 7, 26, 0, TimeSpan.Zero));

        var result = await SendAsync($"{_receiver.BaseUrl}/status/{status}?retryAfter={Uri.EscapeDataString(retryAfter)}", time: now);

        Assert.Equal(SendOutcome.Retryable, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.RetryAfter);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("soon")]
    public async Task SendAsync_MalformedRetryAfter_NoDelay(string retryAfter)
    {
        var result = await SendAsync($"{_receiver.BaseUrl}/status/503?retryAfter={Uri.EscapeDataString(retryAfter)}");

        Assert.Equal(SendOutcome.Retryable, result.Outcome);
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ReceiverNeverAnswers_RetryableTimeout()
    {
        using var silent = new SilentListener();

        var result = await SendAsync(
            $"http://127.0.0.1:{silent.Port}/hook",
            SenderHost.LocalSettings(("Notifications:AttemptTimeout", "00:00:01")));

        Assert.Equal(SendOutcome.Retryable, result.Outcome);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal("timed out after 1 s", result.Error);
    }

    [Fact]
    public async Task SendAsync_ClosedPort_RetryableConnectionRefused()
    {
        var result = await SendAsync($"http://127.0.0.1:{SilentListener.ClosedPort()}/hook");

        Assert.Equal(SendOutcome.Retryable, result.Outcome);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal("connection refused", result.Error);
    }

    [Theory]
    [InlineData(503, SendOutcome.Retryable)]
    [InlineData(200, SendOutcome.Delivered)]
    public async Task SendAsync_BodyOfOneMebibyte_ReadOnlyForAShortExcerpt(int status, SendOutcome outcome)
    {
        var result = await SendAsync($"{_receiver.BaseUrl}/big/{status}");

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(status, result.StatusCode);
        if (outcome == SendOutcome.Retryable)
        {
            Assert.Equal($"HTTP 503: start {new string('x', HttpAttempt.MaxExcerptChars - "start ".Length)}...", result.Error);
        }
    }

    [Fact]
    public async Task SendAsync_HttpUrlWithoutAllowHttp_PermanentAndNothingSent()
    {
        var result = await SendAsync(
            _receiver.BaseUrl + "/hook",
            new Dictionary<string, string?> { ["Notifications:AllowPrivateTargets"] = "true" });

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal("the channel's URL is http; set Notifications:AllowHttp to allow it", result.Error);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_InvalidSecret_PermanentAndNothingSent()
    {
        var result = await SendAsync(_receiver.BaseUrl + "/hook", secret: "whsec_short");

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal("the channel has no valid signing secret", result.Error);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_CallerCancelled_Throws()
    {
        using var host = new SenderHost(SenderHost.LocalSettings());
        using var silent = new SilentListener();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            host.Senders.SendAsync(Payloads.Webhook($"http://127.0.0.1:{silent.Port}/"), "msg_1", Payloads.Deployment(), cancelled.Token));
    }
}
