using System.Globalization;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// Sends a message to an email channel through the SMTP server of Notifications:Smtp (MailKit):
/// one connection per message, the <see cref="EmailMessage"/> to every address of
/// <c>email_to</c>. An SMTP 4xx reply, a connection or TLS error and a timeout are retryable; a
/// 5xx reply (a recipient or the message refused) and a failed authentication are permanent.
/// The server is the operator's, so the private-address refusal of webhook targets does not
/// apply to it. Credentials never appear in an error.
/// </summary>
internal sealed class EmailSender(IOptions<NotificationOptions> options, TimeProvider time) : IMessageSender
{
    private readonly NotificationOptions _options = options.Value;

    public ChannelKind Kind => ChannelKind.Email;

    public async Task<SendResult> SendAsync(Channel channel, string messageId, WebhookPayload payload, CancellationToken cancellationToken)
    {
        var smtp = _options.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return new SendResult(SendOutcome.Permanent, 0, "no SMTP server is configured (Notifications:Smtp:Host)", TimeSpan.Zero);
        }

        if (channel.EmailTo.Count == 0)
        {
            return new SendResult(SendOutcome.Permanent, 0, "the channel has no recipients", TimeSpan.Zero);
        }

        MimeKit.MimeMessage message;
        try
        {
            message = EmailMessage.Build(payload, channel.EmailTo, smtp.From, _options.PublicUrl);
        }
        catch (MimeKit.ParseException)
        {
            // Addresses are checked when a channel is written (ChannelTargets); this is a row written otherwise.
            return new SendResult(SendOutcome.Permanent, 0, "a recipient of the channel is not a valid email address", TimeSpan.Zero);
        }

        // The message id is the delivery's, so a receiver (or a mail filter) can dedupe redeliveries.
        message.MessageId = $"{messageId}@tracker";
        var security = Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true);

        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var client = new SmtpClient { Timeout = (int)_options.AttemptTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, security, attempt.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, attempt.Token).ConfigureAwait(false);
            }

            var reply = await client.SendAsync(message, attempt.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, attempt.Token).ConfigureAwait(false);
            return new SendResult(SendOutcome.Delivered, ReplyCode(reply) ?? 250, null, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(SendOutcome.Retryable, 0, $"timed out after {_options.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
        catch (SmtpCommandException error)
        {
            var code = (int)error.StatusCode;
            var outcome = code is >= 400 and <= 499 ? SendOutcome.Retryable : SendOutcome.Permanent;
            return Failed(outcome, code, $"SMTP {code}: {HttpAttempt.Excerpt(error.Message)}");
        }
        catch (AuthenticationException)
        {
            return Failed(SendOutcome.Permanent, 0, "SMTP authentication failed (Notifications:Smtp:Username and Password)");
        }
        catch (SslHandshakeException error)
        {
            return Failed(SendOutcome.Retryable, 0, "TLS handshake with the SMTP server failed: " + HttpAttempt.Excerpt(error.Message));
        }
        catch (SocketException error)
        {
            return Failed(SendOutcome.Retryable, 0, error.SocketErrorCode == SocketError.ConnectionRefused
                ? "connection to the SMTP server refused"
                : $"connection to the SMTP server failed: {error.SocketErrorCode}");
        }
        catch (Exception error) when (error is SmtpProtocolException or IOException or ServiceNotConnectedException or NotSupportedException)
        {
            return Failed(SendOutcome.Retryable, 0, "SMTP error: " + HttpAttempt.Excerpt(error.Message));
        }

        SendResult Failed(SendOutcome outcome, int code, string error) => new(outcome, code, error, time.GetElapsedTime(started));
    }

    /// <summary>The code of the server's final reply ("250 2.0.0 Ok: queued as ..."), when it leads with one.</summary>
    private static int? ReplyCode(string reply) =>
        reply.Length >= 3 && int.TryParse(reply.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
}
