using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using StandardWebhooks;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// Sends a message to a webhook channel as Standard Webhooks do (https://www.standardwebhooks.com/):
/// a POST of the <see cref="WebhookPayload"/> as JSON, with the headers webhook-id (the message
/// id, the same on every attempt), webhook-timestamp (unix seconds of this attempt) and
/// webhook-signature ("v1," and the base64 HMAC-SHA256 of "{id}.{timestamp}.{body}", keyed by the
/// bytes of the channel's "whsec_" secret), signed by the StandardWebhooks package.
/// </summary>
internal sealed class WebhookSender(HttpAttempt http, TimeProvider time) : IMessageSender
{
    public const string UserAgent = "Tracker-Webhooks/1.0";

    /// <summary>
    /// The body's JSON: as WatchEvents' REST stream writes a message (proto3 JSON, lowerCamelCase
    /// names, enums by name, fields at their default values written).
    /// </summary>
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public ChannelKind Kind => ChannelKind.Webhook;

    /// <summary>The JSON body of <paramref name="payload"/>.</summary>
    public static string Body(WebhookPayload payload) => Json.Format(payload);

    public async Task<SendResult> SendAsync(Channel channel, string messageId, WebhookPayload payload, CancellationToken cancellationToken)
    {
        if (http.RefusalOfUrl(channel.Url, out var target) is { } refusal)
        {
            return new SendResult(SendOutcome.Permanent, 0, refusal, TimeSpan.Zero);
        }

        if (!ChannelTargets.IsValidSecret(channel.Secret))
        {
            return new SendResult(SendOutcome.Permanent, 0, "the channel has no valid signing secret", TimeSpan.Zero);
        }

        var body = Body(payload);
        var timestamp = time.GetUtcNow();
        var signature = new StandardWebhook(channel.Secret).Sign(messageId, timestamp, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body, new UTF8Encoding(false), new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.TryAddWithoutValidation("webhook-id", messageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", signature);
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
