using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using Xunit;
using ApiChannel = Tracker.Api.V1Alpha1.Channel;

namespace Tracker.Notifications.Tests.Sending;

/// <summary>The rules of a channel's target and secret, with their exact messages.</summary>
public sealed class ChannelTargetsTests
{
    private static readonly NotificationOptions HttpsOnly = new();
    private static readonly NotificationOptions HttpAllowed = new() { AllowHttp = true };

    private static string Violations(ApiChannel channel, NotificationOptions options) =>
        string.Join(" | ", ChannelTargets.Validate(channel, options).Select(violation => $"{violation.Field} {violation.Description} [{violation.Reason}]"));

    [Theory]
    [InlineData("https://hooks.example.com/tracker", "")]
    [InlineData("https://user:pass@hooks.example.com:8443/t?token=abc", "")]
    [InlineData("", "channel.url is required: the target URL [REQUIRED]")]
    [InlineData("hooks.example.com/tracker", "channel.url must be an absolute URL [INVALID_FORMAT]")]
    [InlineData(" https://hooks.example.com/", "channel.url must be an absolute URL [INVALID_FORMAT]")]
    [InlineData("http://hooks.example.com/", "channel.url must be https (http only with Notifications:AllowHttp) [INVALID_FORMAT]")]
    [InlineData("ftp://hooks.example.com/", "channel.url must be https [INVALID_FORMAT]")]
    [InlineData("https://hooks.example.com/#top", "channel.url must not have a fragment (\"#...\") [INVALID_FORMAT]")]
    [InlineData("https://hooks.example.com/a b", "channel.url must not contain spaces or control characters (percent-encode them, RFC 3986) [INVALID_FORMAT]")]
    [InlineData("https://hooks.example.com/a\r\nX-Evil: 1", "channel.url must not contain spaces or control characters (percent-encode them, RFC 3986) [INVALID_FORMAT]")]
    [InlineData("https://hooks.example.com:0/tracker", "channel.url must not name port 0 [INVALID_FORMAT]")]
    public void Validate_WebhookUrlHttpsOnly_ExactViolations(string url, string expected)
    {
        Assert.Equal(expected, Violations(new ApiChannel { Kind = ChannelKind.Webhook, Url = url }, HttpsOnly));
    }

    [Theory]
    [InlineData("http://hooks.example.com/", "")]
    [InlineData("ftp://hooks.example.com/", "channel.url must be http or https [INVALID_FORMAT]")]
    public void Validate_SlackUrlHttpAllowed_ExactViolations(string url, string expected)
    {
        Assert.Equal(expected, Violations(new ApiChannel { Kind = ChannelKind.Slack, Url = url }, HttpAllowed));
    }

    [Fact]
    public void Validate_UrlOf2001Characters_TooLong()
    {
        var url = "https://hooks.example.com/" + new string('a', ChannelTargets.MaxUrlChars + 1 - "https://hooks.example.com/".Length);

        Assert.Equal("channel.url must be at most 2000 characters [TOO_LONG]", Violations(new ApiChannel { Kind = ChannelKind.Webhook, Url = url }, HttpsOnly));
        Assert.Equal("", Violations(new ApiChannel { Kind = ChannelKind.Webhook, Url = url[..^1] }, HttpsOnly));
    }

    [Theory]
    [InlineData(new[] { "oncall@example.com" }, "")]
    [InlineData(new[] { "oncall@example.com", "first.last+tag@sub.example.org" }, "")]
    [InlineData(new string[0], "channel.email_to is required for an email channel: 1 to 50 addresses [REQUIRED]")]
    [InlineData(new[] { "oncall@example.com", "ok@example.com", "not an address" }, "channel.email_to[2] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT]")]
    [InlineData(new[] { "Ops <ops@example.com>" }, "channel.email_to[0] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT]")]
    [InlineData(new[] { "ops" }, "channel.email_to[0] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT]")]
    [InlineData(new[] { "a@b.com, c@d.com" }, "channel.email_to[0] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT]")]
    [InlineData(new[] { "" }, "channel.email_to[0] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT]")]
    [InlineData(new[] { "ops@", "@example.com" }, "channel.email_to[0] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT] | channel.email_to[1] must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com) [INVALID_FORMAT]")]
    public void Validate_EmailTo_ExactViolations(string[] to, string expected)
    {
        var channel = new ApiChannel { Kind = ChannelKind.Email };
        channel.EmailTo.Add(to);

        Assert.Equal(expected, Violations(channel, HttpsOnly));
    }

    [Fact]
    public void Validate_EmailToLimits_TooManyAndTooLong()
    {
        var many = new ApiChannel { Kind = ChannelKind.Email };
        many.EmailTo.Add(Enumerable.Range(0, 51).Select(i => $"user{i}@example.com"));
        var longAddress = new ApiChannel { Kind = ChannelKind.Email };
        longAddress.EmailTo.Add($"{new string('a', 64)}@{new string('b', 62)}.{new string('c', 62)}.{new string('d', 60)}.com");

        Assert.Equal("channel.email_to must have at most 50 addresses [TOO_MANY]", Violations(many, HttpsOnly));
        Assert.Equal(255, longAddress.EmailTo[0].Length);
        Assert.Equal("channel.email_to[0] must be at most 254 characters [TOO_LONG]", Violations(longAddress, HttpsOnly));
    }

    [Fact]
    public void Validate_TargetOfAnotherKind_Mismatch()
    {
        var email = new ApiChannel { Kind = ChannelKind.Email, Url = "https://hooks.example.com/", Secret = ChannelTargets.GenerateSecret() };
        email.EmailTo.Add("ops@example.com");
        var slack = new ApiChannel { Kind = ChannelKind.Slack, Url = "https://hooks.slack.com/services/T/B/X" };
        slack.EmailTo.Add("ops@example.com");

        Assert.Equal("channel.url must be empty for an email channel [MISMATCH] | channel.secret must be empty for an email channel [MISMATCH]", Violations(email, HttpsOnly));
        Assert.Equal("channel.email_to must be empty for a slack channel [MISMATCH]", Violations(slack, HttpsOnly));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "channel.secret must be \"whsec_\" followed by the base64 of 24 to 64 bytes [INVALID_FORMAT]")]
    [InlineData("whsec_c2hvcnQ=", "channel.secret must be \"whsec_\" followed by the base64 of 24 to 64 bytes [INVALID_FORMAT]")]
    [InlineData("whsec_not base64 at all, not at all!!", "channel.secret must be \"whsec_\" followed by the base64 of 24 to 64 bytes [INVALID_FORMAT]")]
    public void Validate_WebhookSecret_ExactViolations(string secret, string expected)
    {
        Assert.Equal(expected, Violations(new ApiChannel { Kind = ChannelKind.Webhook, Url = "https://hooks.example.com/", Secret = secret }, HttpsOnly));
    }

    [Theory]
    [InlineData(23, false)]
    [InlineData(24, true)]
    [InlineData(32, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void IsValidSecret_ByteCount_24To64(int bytes, bool valid)
    {
        Assert.Equal(valid, ChannelTargets.IsValidSecret("whsec_" + Convert.ToBase64String(new byte[bytes])));
    }

    [Fact]
    public void GenerateSecret_Twice_ValidAndDifferent()
    {
        var first = ChannelTargets.GenerateSecret();
        var second = ChannelTargets.GenerateSecret();

        Assert.StartsWith("whsec_", first);
        Assert.Equal(32, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.True(ChannelTargets.IsValidSecret(first));
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(ChannelKind.Webhook, "https://user:pass@hooks.example.com:8443/a/b?token=abc#x", "https://hooks.example.com:8443/a/b?…")]
    [InlineData(ChannelKind.Webhook, "https://hooks.example.com/a/b", "https://hooks.example.com/a/b")]
    [InlineData(ChannelKind.Webhook, "https://hooks.example.com", "https://hooks.example.com/")]
    [InlineData(ChannelKind.Slack, "https://hooks.slack.com/services/T000/B000/XXXX", "https://hooks.slack.com/…")]
    [InlineData(ChannelKind.Email, "https://hooks.example.com/a", "")]
    [InlineData(ChannelKind.Webhook, "not a url", "")]
    public void RedactUrl_Kind_DropsWhatMayBeACredential(ChannelKind kind, string url, string expected)
    {
        Assert.Equal(expected, ChannelTargets.RedactUrl(kind, url));
    }
}
