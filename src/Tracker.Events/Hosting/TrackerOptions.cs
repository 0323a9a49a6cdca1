using Microsoft.Extensions.Options;
using Tracker.Events.Folding;

namespace Tracker.Events.Hosting;

/// <summary>The "Tracker" configuration section.</summary>
public sealed class TrackerOptions
{
    public const string SectionName = "Tracker";

    /// <summary>The IANA time zone TodayEvents uses when a request names none.</summary>
    [TimeZoneId(ErrorMessage = "Tracker:TimeZone must be an IANA time zone id, e.g. UTC or Europe/Paris.")]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// How recently the event of an aggregation_key must have been seen for a create with that key
    /// to fold into it, when the request gives no fold_window: 30 s (oVirt's default flood rate);
    /// 0 turns folding off. At most 7 days.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", FoldWindows.LongestText, ErrorMessage = "Tracker:FoldWindow must be a duration from 00:00:00 (no folding) to 7.00:00:00.")]
    public TimeSpan FoldWindow { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="TrackerOptions"/>' attributes at start-up (generated).</summary>
[OptionsValidator]
internal sealed partial class TrackerOptionsValidator : IValidateOptions<TrackerOptions>;
