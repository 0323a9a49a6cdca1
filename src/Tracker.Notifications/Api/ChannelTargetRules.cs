using System.Buffers.Text;
using System.Security.Cryptography;
using MimeKit;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Api;

/// <summary>
/// The rules of a channel's target and secret as the API checks them on create and update: one
/// method each, returning what is wrong (phrased to follow the field's path) or null. None ever
/// echoes the value, which may carry a credential. Where a target may connect (private
/// addresses, DNS) is the senders' check, at connect time.
/// </summary>
internal static class ChannelTargetRules
{
    /// <summary>channel_service.proto: a URL is at most 2,000 characters.</summary>
    public const int MaxUrlChars = 2000;

    /// <summary>channel_service.proto: 1 to 50 recipients.</summary>
    public const int MaxRecipients = 50;

    /// <summary>RFC 5321 section 4.5.3.1.3: a path (and so an address) is at most 256 octets, of which 254 are the address.</summary>
    public const int MaxAddressChars = 254;

    /// <summary>Standard Webhooks: a secret is "whsec_" and the base64 of 24 to 64 random bytes.</summary>
    public const string SecretPrefix = "whsec_";

    private const int MinSecretBytes = 24;
    private const int MaxSecretBytes = 64;
    private const int GeneratedSecretBytes = 32;

    /// <summary>What is wrong with a webhook or Slack URL, or null: absolute, https (or http when <paramref name="allowHttp"/>), with a host, at most 2,000 characters.</summary>
    public static string? UrlProblem(string url, bool allowHttp)
    {
        if (url.Length > MaxUrlChars)
        {
            return $"must be at most {MaxUrlChars} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || url.Any(char.IsWhiteSpace))
        {
            return "must be an absolute URL, such as https://hooks.example.com/tracker";
        }

        if (uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return null;
        }

        return allowHttp ? "must be an https or http URL" : "must be an https URL (http only with Notifications:AllowHttp)";
    }

    /// <summary>What is wrong with one email recipient, or null: an RFC 5322 addr-spec ("local@domain"), without a display name.</summary>
    public static string? AddressProblem(string address)
    {
        if (address.Length == 0)
        {
            return "is empty";
        }

        if (address.Length > MaxAddressChars)
        {
            return $"must be at most {MaxAddressChars} characters";
        }

        var parsed = MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox)
            && mailbox.Name is null or { Length: 0 }
            && mailbox.Route.Count == 0
            && string.Equals(mailbox.Address, address, StringComparison.Ordinal)
            && mailbox.LocalPart.Length > 0
            && mailbox.Domain.Length > 0;
        return parsed ? null : "must be an email address (RFC 5322 addr-spec), such as oncall@example.com";
    }

    /// <summary>What is wrong with a webhook signing secret, or null (Standard Webhooks' form).</summary>
    public static string? SecretProblem(string secret)
    {
        const string Rule = "must be \"whsec_\" and the base64 of 24 to 64 random bytes (Standard Webhooks)";
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return Rule;
        }

        var encoded = secret.AsSpan(SecretPrefix.Length);
        if (!Base64.IsValid(encoded, out var length) || length is < MinSecretBytes or > MaxSecretBytes)
        {
            return Rule;
        }

        return null;
    }

    /// <summary>A new signing secret: "whsec_" and the base64 of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedSecretBytes));

    /// <summary>
    /// A target URL as reads show it (channel_service.proto): a webhook's without user info, query
    /// and fragment; a Slack URL's scheme and host only, since its path is the credential.
    /// </summary>
    public static string Redacted(ChannelKind kind, string url)
    {
        if (url.Length == 0)
        {
            return url;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "\u2026";
        }

        return kind == ChannelKind.Slack
            ? uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + "/\u2026"
            : uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }
}
