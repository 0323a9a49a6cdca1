using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Tracker.Notifications;

/// <summary>Checks <see cref="NotificationOptions"/>' attributes at start-up (generated).</summary>
[OptionsValidator]
internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>;

/// <summary>
/// The rules of <see cref="NotificationOptions"/> that attributes do not express: each retry
/// delay positive, a TLS mode MailKit knows (SecureSocketOptions), and PublicUrl an absolute
/// http(s) URL when set.
/// </summary>
internal sealed class NotificationRulesValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.RetryDelays.Count; i++)
        {
            if (options.RetryDelays[i] <= TimeSpan.Zero)
            {
                failures.Add($"Notifications:RetryDelays:{i} must be a positive duration, e.g. 00:05:00.");
            }
        }

        // A name only: Enum.TryParse would also take a number or "None,Auto".
        if (!Enum.GetNames<SecureSocketOptions>().Contains(options.Smtp.Security, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Notifications:Smtp:Security must be one of {string.Join(", ", Enum.GetNames<SecureSocketOptions>())}.");
        }

        if (!string.IsNullOrEmpty(options.PublicUrl)
            && (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme is not ("http" or "https")))
        {
            failures.Add("Notifications:PublicUrl must be an absolute http or https URL, e.g. https://tracker.example.com.");
        }

        if (string.IsNullOrWhiteSpace(options.Smtp.From) || !MimeKit.MailboxAddress.TryParse(options.Smtp.From, out _))
        {
            failures.Add("Notifications:Smtp:From must be an email address, e.g. tracker@example.com.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
