namespace Tracker.Events.Hosting;

/// <summary>The "Tracker" configuration section.</summary>
public sealed class TrackerOptions
{
    public const string SectionName = "Tracker";

    /// <summary>The IANA time zone TodayEvents uses when a request names none.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// How recently the event of an aggregation_key must have been seen for a create with that key
    /// to fold into it, when the request gives no fold_window: 30 s (oVirt's default flood rate);
    /// 0 turns folding off. At most 7 days.
    /// </summary>
    public TimeSpan FoldWindow { get; set; } = TimeSpan.FromSeconds(30);
}
