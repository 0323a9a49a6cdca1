using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>The sender of each channel kind (webhook, Slack, email), as registered by <see cref="NotificationSendingServiceCollectionExtensions.AddNotificationSenders"/>.</summary>
public sealed class ChannelSenders
{
    private readonly Dictionary<ChannelKind, IMessageSender> _byKind;

    public ChannelSenders(IEnumerable<IMessageSender> senders)
    {
        _byKind = [];
        foreach (var sender in senders)
        {
            _byKind[sender.Kind] = sender;
        }
    }

    /// <summary>The sender of <paramref name="kind"/>, or null when there is none (an unspecified kind).</summary>
    public IMessageSender? Find(ChannelKind kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>
    /// Sends one message with the sender of the channel's kind (see <see cref="IMessageSender.SendAsync"/>);
    /// a channel of a kind without a sender is a Permanent result, never an exception.
    /// </summary>
    public Task<SendResult> SendAsync(Channel channel, string messageId, WebhookPayload payload, CancellationToken cancellationToken) =>
        Find(channel.Kind) is { } sender
            ? sender.SendAsync(channel, messageId, payload, cancellationToken)
            : Task.FromResult(new SendResult(SendOutcome.Permanent, 0, $"no sender for channel kind {channel.Kind}", TimeSpan.Zero));
}
