using System.Security.Cryptography;
using Google.Rpc;
using MimeKit;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// The rules of a channel's target and secret, for ChannelService's create and update (field
/// violations, AIP-193's BadRequest) and for reads (redaction): a webhook or Slack <c>url</c> is
/// absolute, https (http only with Notifications:AllowHttp), names a host and a port other than 0,
/// has no fragment, no whitespace or control character, and at most <see cref="MaxUrlChars"/>
/// characters; an email channel's <c>email_to</c> has 1 to
/// <see cref="MaxRecipients"/> addresses, each an RFC 5322 addr-spec of at most
/// <see cref="MaxAddressChars"/> characters (RFC 5321's path limit); a webhook secret is
/// "whsec_" and the base64 of 24 to 64 bytes (Standard Webhooks).
/// </summary>
public static class ChannelTargets
{
    public const int MaxUrlChars = 2000;
    public const int MaxRecipients = 50;
    public const int MaxAddressChars = 254;
    public const string SecretPrefix = "whsec_";
    public const int MinSecretBytes = 24;
    public const int MaxSecretBytes = 64;

    /// <summary>The bytes of a generated secret.</summary>
    public const int GeneratedSecretBytes = 32;

    /// <summary>The reason codes of the violations below (the same words as the event's).</summary>
    public static class Reasons
    {
        public const string Required = "REQUIRED";
        public const string TooLong = "TOO_LONG";
        public const string TooMany = "TOO_MANY";
        public const string InvalidFormat = "INVALID_FORMAT";
        public const string Mismatch = "MISMATCH";
    }

    private static readonly ParserOptions StrictAddresses = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    /// <summary>
    /// Every violation of <paramref name="channel"/>'s target and secret for its kind, with
    /// fields named as in the request ("channel.url", "channel.email_to[2]"); empty when it is
    /// valid. A channel of an unspecified kind is not checked here (its kind is the violation).
    /// A secret is checked only when given: an empty one on a webhook is generated.
    /// </summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Validate(Channel channel, NotificationOptions options)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        void Add(string field, string description, string reason) =>
            violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description, Reason = reason });

        var kind = WithArticle(channel.Kind);
        switch (channel.Kind)
        {
            case ChannelKind.Webhook or ChannelKind.Slack:
                if (ValidateUrl(channel.Url, options.AllowHttp) is { } urlProblem)
                {
                    Add("channel.url", urlProblem.Description, urlProblem.Reason);
                }

                if (channel.EmailTo.Count > 0)
                {
                    Add("channel.email_to", $"must be empty for {kind} channel", Reasons.Mismatch);
                }

                break;
            case ChannelKind.Email:
                if (channel.Url.Length > 0)
                {
                    Add("channel.url", "must be empty for an email channel", Reasons.Mismatch);
                }

                if (channel.EmailTo.Count == 0)
                {
                    Add("channel.email_to", $"is required for an email channel: 1 to {MaxRecipients} addresses", Reasons.Required);
                }
                else if (channel.EmailTo.Count > MaxRecipients)
                {
                    Add("channel.email_to", $"must have at most {MaxRecipients} addresses", Reasons.TooMany);
                }
                else
                {
                    for (var i = 0; i < channel.EmailTo.Count; i++)
                    {
                        if (ValidateAddress(channel.EmailTo[i]) is { } addressProblem)
                        {
                            Add($"channel.email_to[{i}]", addressProblem.Description, addressProblem.Reason);
                        }
                    }
                }

                break;
            default:
                return violations;
        }

        if (channel.Secret.Length > 0)
        {
            if (channel.Kind != ChannelKind.Webhook)
            {
                Add("channel.secret", $"must be empty for {kind} channel", Reasons.Mismatch);
            }
            else if (!IsValidSecret(channel.Secret))
            {
                Add("channel.secret", $"must be \"{SecretPrefix}\" followed by the base64 of {MinSecretBytes} to {MaxSecretBytes} bytes", Reasons.InvalidFormat);
            }
        }

        return violations;
    }

    /// <summary>What is wrong with a webhook or Slack URL ("must be https"), or null when it is valid.</summary>
    public static (string Description, string Reason)? ValidateUrl(string url, bool allowHttp)
    {
        if (url.Length == 0)
        {
            return ("is required: the target URL", Reasons.Required);
        }

        if (url.Length > MaxUrlChars)
        {
            return ($"must be at most {MaxUrlChars} characters", Reasons.TooLong);
        }

        if (url.Trim().Length != url.Length)
        {
            return ("must be an absolute URL", Reasons.InvalidFormat);
        }

        // RFC 3986 has no whitespace or control characters in a URI; System.Uri would escape or
        // drop them, so the URL stored and shown would not be the one the sender connects to.
        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return ("must not contain spaces or control characters (percent-encode them, RFC 3986)", Reasons.InvalidFormat);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return ("must be an absolute URL", Reasons.InvalidFormat);
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowHttp)
        {
            return ("must be https (http only with Notifications:AllowHttp)", Reasons.InvalidFormat);
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return (allowHttp ? "must be http or https" : "must be https", Reasons.InvalidFormat);
        }

        if (uri.Host.Length == 0)
        {
            return ("must name a host", Reasons.InvalidFormat);
        }

        // Port 0 is no TCP port one can connect to (RFC 6335 reserves it): every attempt would fail.
        if (uri.Port == 0)
        {
            return ("must not name port 0", Reasons.InvalidFormat);
        }

        if (url.Contains('#', StringComparison.Ordinal))
        {
            return ("must not have a fragment (\"#...\")", Reasons.InvalidFormat);
        }

        return null;
    }

    /// <summary>What is wrong with one recipient, or null when it is an addr-spec ("oncall@example.com").</summary>
    public static (string Description, string Reason)? ValidateAddress(string address)
    {
        if (address.Length > MaxAddressChars)
        {
            return ($"must be at most {MaxAddressChars} characters", Reasons.TooLong);
        }

        var valid = address.Length > 0
            && MailboxAddress.TryParse(StrictAddresses, address, out var mailbox)
            && mailbox.Name is null or ""
            && mailbox.Route.Count == 0
            && mailbox.Address == address
            && mailbox.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
            && at < mailbox.Address.Length - 1;
        return valid ? null : ("must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com)", Reasons.InvalidFormat);
    }

    /// <summary>
    /// The URL as reads show it, without what may be a credential: a webhook URL without user
    /// info, query and fragment ("?…" marks a dropped query); a Slack URL as its scheme and host
    /// and "/…" (its path is the secret). Empty for anything else, or a URL that does not parse.
    /// </summary>
    public static string RedactUrl(ChannelKind kind, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.Length == 0)
        {
            return string.Empty;
        }

        var origin = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        return kind switch
        {
            ChannelKind.Webhook => origin + uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped)
                + (uri.Query.Length > 0 ? "?…" : string.Empty),
            ChannelKind.Slack => origin + "/…",
            _ => string.Empty,
        };
    }

    /// <summary>A new signing secret: "whsec_" and the base64 of 32 random bytes (a CSPRNG's).</summary>
    public static string GenerateSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedSecretBytes));

    /// <summary>Whether <paramref name="secret"/> is "whsec_" and the base64 of 24 to 64 bytes.</summary>
    public static bool IsValidSecret(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxSecretBytes + 3];
        var encoded = secret.AsSpan(SecretPrefix.Length);
        return encoded.Length <= (MaxSecretBytes + 2) / 3 * 4
            && Convert.TryFromBase64Chars(encoded, bytes, out var written)
            && written is >= MinSecretBytes and <= MaxSecretBytes
            && !encoded.ContainsAny(" \t\r\n");
    }

    private static string WithArticle(ChannelKind kind) => kind switch
    {
        ChannelKind.Webhook => "a webhook",
        ChannelKind.Slack => "a slack",
        ChannelKind.Email => "an email",
        _ => "an unspecified",
    };
}
