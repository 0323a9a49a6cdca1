using MimeKit;
using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using Tracker.Notifications.Tests.Sending.Support;
using Xunit;

namespace Tracker.Notifications.Tests.Sending;

/// <summary>The email sender against a real SMTP server (aiosmtpd).</summary>
public sealed class EmailSenderTests : IAsyncLifetime
{
    private SmtpReceiver _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpReceiver.StartAsync();

    public Task DisposeAsync()
    {
        _smtp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The SMTP settings of the local server; private targets NOT allowed (they do not apply to SMTP).</summary>
    private Dictionary<string, string?> SmtpSettings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = _smtp.Port.ToString(),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "tracker@example.com",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<SendResult> SendAsync(Dictionary<string, string?> settings, WebhookPayload payload, params string[] to)
    {
        using var host = new SenderHost(settings);
        return await host.Senders.SendAsync(Payloads.Email(to), "msg_0193a5b0-1", payload, CancellationToken.None);
    }

    [Fact]
    public async Task SendAsync_Change_DeliversPlainAndHtmlToEveryRecipient()
    {
        var result = await SendAsync(SmtpSettings(("Notifications:PublicUrl", "https://tracker.example.com")), Payloads.Deployment(), "oncall@example.com", "lead@example.org");

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(250, result.StatusCode);
        var mail = Assert.Single(_smtp.Messages());
        Assert.Equal("tracker@example.com", mail.MailFrom);
        Assert.Equal(["oncall@example.com", "lead@example.org"], mail.Recipients);
        var message = mail.Message;
        Assert.Equal("[Tracker] Created: Deployment succeeded - checkout/production: Deploy checkout 1.2", message.Subject);
        Assert.Equal(["oncall@example.com", "lead@example.org"], message.To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Equal("msg_0193a5b0-1@tracker", message.MessageId);
        var body = Assert.IsType<MultipartAlternative>(message.Body);
        var plain = Assert.IsType<TextPart>(body[0]);
        var html = Assert.IsType<TextPart>(body[1]);
        Assert.True(plain.IsPlain);
        Assert.True(html.IsHtml);
        Assert.Contains("Deploy checkout 1.2", plain.Text);
        Assert.Contains("Message: Rolled out 1.2 & <friends>", plain.Text);
        Assert.Contains("Environment: Production", plain.Text);
        Assert.Contains("Ticket: SHOP-456", plain.Text);
        Assert.Contains("Open in Tracker: https://tracker.example.com/?event=0193a5b0-0000-7000-8000-000000000001", plain.Text);
        Assert.Contains("<td>Rolled out 1.2 &amp; &lt;friends&gt;</td>", html.Text);
        Assert.Contains("<a href=\"https://git.example.com/shop/pull/7?tab=files&amp;x=1\">", html.Text);
        Assert.Contains("<a href=\"https://tracker.example.com/?event=0193a5b0-0000-7000-8000-000000000001\">Open in Tracker</a>", html.Text);
        Assert.DoesNotContain("<friends>", html.Text);
    }

    [Fact]
    public async Task SendAsync_TitleWithMarkupAndLineBreak_EncodedInHtmlAndOneLineSubject()
    {
        var payload = Payloads.Deployment(title: "<script>alert(1)</script>\r\nBcc: victim@example.com");
        payload.Test = true;

        var result = await SendAsync(SmtpSettings(), payload, "oncall@example.com");

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var mail = Assert.Single(_smtp.Messages());
        Assert.Equal(["oncall@example.com"], mail.Recipients);
        Assert.Empty(mail.Message.Bcc);
        Assert.Equal("[Tracker test] Created: Deployment succeeded - checkout/production: <script>alert(1)</script>  Bcc: victim@example.com", mail.Message.Subject);
        var html = mail.Message.HtmlBody;
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("This is a test message", mail.Message.TextBody);
    }

    [Fact]
    public async Task SendAsync_Recipient550_PermanentWithReplyCode()
    {
        var result = await SendAsync(SmtpSettings(), Payloads.Deployment(), "refuse@example.com");

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal(550, result.StatusCode);
        Assert.StartsWith("SMTP 550: ", result.Error);
        Assert.Contains("mailbox unavailable", result.Error);
        Assert.Empty(_smtp.Messages());
    }

    [Fact]
    public async Task SendAsync_Recipient451_RetryableWithReplyCode()
    {
        var result = await SendAsync(SmtpSettings(), Payloads.Deployment(), "later@example.com");

        Assert.Equal(SendOutcome.Retryable, result.Outcome);
        Assert.Equal(451, result.StatusCode);
        Assert.StartsWith("SMTP 451: ", result.Error);
        Assert.Empty(_smtp.Messages());
    }

    [Fact]
    public async Task SendAsync_StoredRecipientNotAnAddress_PermanentAndNothingSent()
    {
        var result = await SendAsync(SmtpSettings(), Payloads.Deployment(), "oncall@example.com", "not an address <");

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal("a recipient of the channel is not a valid email address", result.Error);
        Assert.Empty(_smtp.Messages());
    }

    [Fact]
    public async Task SendAsync_NoSmtpHost_PermanentWithClearError()
    {
        var result = await SendAsync([], Payloads.Deployment(), "oncall@example.com");

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal("no SMTP server is configured (Notifications:Smtp:Host)", result.Error);
    }

    [Fact]
    public async Task SendAsync_SmtpServerDown_RetryableConnectionRefused()
    {
        var settings = SmtpSettings(("Notifications:Smtp:Port", SilentListener.ClosedPort().ToString()));

        var result = await SendAsync(settings, Payloads.Deployment(), "oncall@example.com");

        Assert.Equal(SendOutcome.Retryable, result.Outcome);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal("connection to the SMTP server refused", result.Error);
    }
}
