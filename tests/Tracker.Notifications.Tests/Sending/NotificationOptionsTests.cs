using Microsoft.Extensions.Options;
using Tracker.Notifications.Tests.Sending.Support;
using Xunit;

namespace Tracker.Notifications.Tests.Sending;

/// <summary>The Notifications settings are checked at start-up, each failure naming its key.</summary>
public sealed class NotificationOptionsTests
{
    [Theory]
    [InlineData("Notifications:AttemptTimeout", "00:00:00.500", "Notifications:AttemptTimeout must be between 00:00:01 and 00:05:00.")]
    [InlineData("Notifications:AttemptTimeout", "00:05:01", "Notifications:AttemptTimeout must be between 00:00:01 and 00:05:00.")]
    [InlineData("Notifications:DisableAfter", "00:00:00", "Notifications:DisableAfter must be a positive duration, e.g. 5.00:00:00.")]
    [InlineData("Notifications:RetryDelays:1", "-00:00:05", "Notifications:RetryDelays:1 must be a positive duration, e.g. 00:05:00.")]
    [InlineData("Notifications:Smtp:Port", "0", "Notifications:Smtp:Port must be between 1 and 65535.")]
    [InlineData("Notifications:Smtp:Port", "65536", "Notifications:Smtp:Port must be between 1 and 65535.")]
    [InlineData("Notifications:Smtp:Security", "Tls", "Notifications:Smtp:Security must be one of None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.")]
    [InlineData("Notifications:Smtp:Security", "1", "Notifications:Smtp:Security must be one of None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.")]
    [InlineData("Notifications:Smtp:Security", "None,Auto", "Notifications:Smtp:Security must be one of None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.")]
    [InlineData("Notifications:PublicUrl", "tracker.example.com", "Notifications:PublicUrl must be an absolute http or https URL, e.g. https://tracker.example.com.")]
    [InlineData("Notifications:Smtp:From", "not an address", "Notifications:Smtp:From must be an email address, e.g. tracker@example.com.")]
    public void AddNotificationSenders_BadSetting_FailsAtStartWithItsKey(string key, string value, string failure)
    {
        var settings = new Dictionary<string, string?> { ["Notifications:RetryDelays:0"] = "00:00:05", [key] = value };

        var error = Assert.Throws<OptionsValidationException>(() => new SenderHost(settings));

        Assert.Equal([failure], error.Failures);
    }

    [Fact]
    public void AddNotificationSenders_GoodSettings_Start()
    {
        using var host = new SenderHost(new Dictionary<string, string?>
        {
            ["Notifications:AttemptTimeout"] = "00:00:10",
            ["Notifications:RetryDelays:0"] = "00:00:05",
            ["Notifications:RetryDelays:1"] = "00:05:00",
            ["Notifications:Smtp:Security"] = "starttls",
            ["Notifications:Smtp:Port"] = "465",
            ["Notifications:PublicUrl"] = "https://tracker.example.com",
        });

        Assert.NotNull(host.Senders.Find(Api.V1Alpha1.ChannelKind.Email));
        Assert.NotNull(host.Senders.Find(Api.V1Alpha1.ChannelKind.Webhook));
        Assert.NotNull(host.Senders.Find(Api.V1Alpha1.ChannelKind.Slack));
        Assert.Null(host.Senders.Find(Api.V1Alpha1.ChannelKind.Unspecified));
    }
}
