using System.Net;
using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using Tracker.Notifications.Tests.Sending.Support;
using Xunit;

namespace Tracker.Notifications.Tests.Sending;

/// <summary>
/// Targets on loopback, private, link-local and metadata addresses are refused at connect time
/// (after DNS) unless Notifications:AllowPrivateTargets, before a byte is sent.
/// </summary>
public sealed class TargetAddressTests
{
    private const string Advice = "; set Notifications:AllowPrivateTargets to allow it";

    private static readonly Dictionary<string, string?> DefaultSafety = new() { ["Notifications:AllowHttp"] = "true" };

    [Theory]
    [InlineData("http://127.0.0.1:{port}/hook", "target address 127.0.0.1 is not allowed (loopback)")]
    [InlineData("http://[::1]:{port}/hook", "target address ::1 is not allowed (loopback)")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/hook", "target address ::ffff:127.0.0.1 is not allowed (loopback)")]
    [InlineData("http://0.0.0.0:{port}/hook", "target address 0.0.0.0 is not allowed (unspecified)")]
    [InlineData("http://10.0.0.1/hook", "target address 10.0.0.1 is not allowed (private)")]
    [InlineData("http://172.16.5.4/hook", "target address 172.16.5.4 is not allowed (private)")]
    [InlineData("http://192.168.1.1/hook", "target address 192.168.1.1 is not allowed (private)")]
    [InlineData("http://100.100.100.200/latest", "target address 100.100.100.200 is not allowed (private)")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "target address 169.254.169.254 is not allowed (link-local)")]
    [InlineData("http://[fd00:ec2::254]/latest", "target address fd00:ec2::254 is not allowed (private)")]
    [InlineData("http://[fe80::1]/hook", "target address fe80::1 is not allowed (link-local)")]
    [InlineData("http://[::ffff:169.254.169.254]/hook", "target address ::ffff:169.254.169.254 is not allowed (link-local)")]
    [InlineData("http://224.0.0.1/hook", "target address 224.0.0.1 is not allowed (multicast)")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "target host metadata.google.internal is not allowed (cloud metadata)")]
    public async Task SendAsync_PrivateTarget_PermanentBeforeConnecting(string url, string error)
    {
        using var listener = new SilentListener();
        using var host = new SenderHost(DefaultSafety);

        var result = await host.Senders.SendAsync(
            Payloads.Webhook(url.Replace("{port}", listener.Port.ToString())), "msg_1", Payloads.Deployment(), CancellationToken.None);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal(error + Advice, result.Error);
        Assert.False(listener.HasConnection);
    }

    [Fact]
    public async Task SendAsync_LocalhostName_RefusedAfterResolving()
    {
        await using var receiver = await Receiver.StartAsync();
        using var host = new SenderHost(DefaultSafety);

        var result = await host.Senders.SendAsync(
            Payloads.Webhook($"http://localhost:{receiver.Port}/hook"), "msg_1", Payloads.Deployment(), CancellationToken.None);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Matches(@"^target address (127\.0\.0\.1|::1) is not allowed \(loopback\); set Notifications:AllowPrivateTargets to allow it$", result.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_SlackToLoopback_RefusedAndReceiverSeesNothing()
    {
        await using var receiver = await Receiver.StartAsync();
        using var host = new SenderHost(DefaultSafety);

        var result = await host.Senders.SendAsync(
            Payloads.Slack($"{receiver.BaseUrl}/services/T000/B000/XXXX"), "msg_1", Payloads.Deployment(), CancellationToken.None);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Equal("target address 127.0.0.1 is not allowed (loopback)" + Advice, result.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_LoopbackWithAllowPrivateTargets_Delivered()
    {
        await using var receiver = await Receiver.StartAsync();
        using var host = new SenderHost(SenderHost.LocalSettings());

        var result = await host.Senders.SendAsync(
            Payloads.Webhook($"http://localhost:{receiver.Port}/hook"), "msg_1", Payloads.Deployment(), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.2", "loopback")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("100.64.0.1", "private")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "private")]
    [InlineData("fec0::1", "private")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("::127.0.0.1", "reserved")]
    [InlineData("8.8.8.8", null)]
    [InlineData("172.15.255.255", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("100.128.0.1", null)]
    [InlineData("192.169.0.1", null)]
    [InlineData("2606:4700:4700::1111", null)]
    [InlineData("::ffff:8.8.8.8", null)]
    [InlineData("64:ff9b::808:808", null)]
    public void RefusalOf_Address_NamesItsRange(string address, string? refusal)
    {
        Assert.Equal(refusal, TargetAddressPolicy.RefusalOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("metadata.google.internal", "cloud metadata")]
    [InlineData("METADATA.google.internal.", "cloud metadata")]
    [InlineData("metadata", "cloud metadata")]
    [InlineData("hooks.slack.com", null)]
    public void RefusalOfName_Host_RefusesMetadataNames(string host, string? refusal)
    {
        Assert.Equal(refusal, TargetAddressPolicy.RefusalOfName(host));
    }
}
