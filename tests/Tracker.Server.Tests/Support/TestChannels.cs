using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Server.Tests.Support;

/// <summary>Valid channels to create, each with a name of its own, and the shapes of ChannelService errors.</summary>
public static class TestChannels
{
    /// <summary>A webhook URL with what reads must hide: user info and a query.</summary>
    public const string WebhookUrl = "https://ci-bot:hunter2@hooks.example.com/tracker/events?token=abc123";

    /// <summary>How reads show <see cref="WebhookUrl"/>: no user info, and "?…" for the dropped query.</summary>
    public const string WebhookUrlRedacted = "https://hooks.example.com/tracker/events?\u2026";

    /// <summary>A Slack incoming-webhook URL, whose path is the credential.</summary>
    public const string SlackUrl = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX";

    /// <summary>A valid Standard Webhooks secret (the base64 of 32 bytes).</summary>
    public const string KnownSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw0Tk9sZ1fXgs=";

    /// <summary>A channel name no other test uses.</summary>
    public static string UniqueName(string prefix = "ch") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static Channel Webhook(string? name = null, string url = WebhookUrl) =>
        new() { Name = name ?? UniqueName("hook"), Kind = ChannelKind.Webhook, Url = url };

    public static Channel Slack(string? name = null) =>
        new() { Name = name ?? UniqueName("slack"), Kind = ChannelKind.Slack, Url = SlackUrl };

    public static Channel Email(string? name = null) =>
        new() { Name = name ?? UniqueName("mail"), Kind = ChannelKind.Email, EmailTo = { "oncall@example.com", "platform@example.com" } };

    /// <summary>The field violations of an INVALID_ARGUMENT, as (field, description) pairs.</summary>
    public static (string Field, string Description)[] Violations(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => (v.Field, v.Description)).ToArray() ?? [];
}
