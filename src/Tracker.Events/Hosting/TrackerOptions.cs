namespace Tracker.Events.Hosting;

/// <summary>The "Tracker" configuration section.</summary>
public sealed class TrackerOptions
{
    public const string SectionName = "Tracker";

    /// <summary>The IANA time zone TodayEvents uses when a request names none.</summary>
    public string TimeZone { get; set; } = "UTC";
}
