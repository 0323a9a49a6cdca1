using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// Sends a message to a Slack incoming webhook (https://api.slack.com/messaging/webhooks): a POST
/// of the <see cref="SlackMessage"/> JSON. Slack answers 200 "ok", or 4xx with a reason in the
/// body ("invalid_payload", "no_service"), quoted in the error.
/// </summary>
internal sealed class SlackSender(HttpAttempt http, IOptions<NotificationOptions> options) : IMessageSender
{
    public const string UserAgent = "Tracker-Webhooks/1.0";

    public ChannelKind Kind => ChannelKind.Slack;

    public async Task<SendResult> SendAsync(Channel channel, string messageId, WebhookPayload payload, CancellationToken cancellationToken)
    {
        if (http.RefusalOfUrl(channel.Url, out var target) is { } refusal)
        {
            return new SendResult(SendOutcome.Permanent, 0, refusal, TimeSpan.Zero);
        }

        var body = SlackMessage.Build(payload, options.Value.PublicUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body, new UTF8Encoding(false), new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
