using Microsoft.Extensions.Options;
using Tracker.Events.Hosting;

namespace Tracker.Notifications;

/// <summary>The "Notifications" configuration section (README, "Notifications").</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Whether targets may resolve to loopback, private, link-local or cloud-metadata addresses; default false (checked at connect time, after DNS).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Whether webhook and Slack URLs may be http; default false (https only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// The web UI's public base URL ("https://tracker.example.com"), for links to events in Slack
    /// and email messages; none by default (messages then carry no link).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// The delays before each retry of a message, default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
    /// (about a day); each gets up to 20% jitter, and a longer Retry-After wins. After the last,
    /// the message is failed.
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>The default of <see cref="RetryDelays"/>.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>The retry delays in effect: <see cref="RetryDelays"/>, or the default when none are set.</summary>
    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays.Count > 0 ? RetryDelays : DefaultRetryDelays;

    /// <summary>How long a channel may fail without a success before Tracker disables it; default 5 days.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", SettingRangeAttribute.LongestDuration, MinimumIsExclusive = true, ErrorMessage = "Notifications:DisableAfter must be a positive duration, e.g. 5.00:00:00.")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Each attempt's time limit, connect to last byte, 1 s to 5 min; default 10 s.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Notifications:AttemptTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The SMTP server email channels send through.</summary>
    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The "Notifications:Smtp" section: the SMTP server email channels send through (MailKit).</summary>
public sealed class SmtpOptions
{
    /// <summary>The server's host name; email channels cannot deliver without one.</summary>
    public string? Host { get; set; }

    /// <summary>The server's port, 1 to 65535; default 587.</summary>
    [SettingRange(1, 65535, ErrorMessage = "Notifications:Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured: Auto (default), None, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";

    /// <summary>The user name to authenticate with; none by default (no authentication).</summary>
    public string? Username { get; set; }

    /// <summary>The password; never logged or returned.</summary>
    public string? Password { get; set; }

    /// <summary>The From address; default "tracker@localhost".</summary>
    public string From { get; set; } = "tracker@localhost";
}
