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

    /// <summary>The "Tracker:Search" section: how listings count their matches.</summary>
    [ValidateObjectMembers]
    public SearchOptions Search { get; set; } = new();
}

/// <summary>The "Tracker:Search" configuration section.</summary>
public sealed class SearchOptions
{
    /// <summary>The default of <see cref="CountLimit"/>: Elasticsearch's default track_total_hits.</summary>
    public const int DefaultCountLimit = 10_000;

    /// <summary>
    /// How far a listing's total_count is exact: 1 to 1,000,000,000, default 10,000. Past it the
    /// count stops, after reading CountLimit + 1 matching rows, and the response says the total is
    /// a lower bound (TOTAL_COUNT_RELATION_AT_LEAST), as Elasticsearch's track_total_hits does; a
    /// request with exact_total_count counts every match.
    /// </summary>
    [SettingRange(1, 1_000_000_000, ErrorMessage = "Tracker:Search:CountLimit must be between 1 and 1000000000.")]
    public int CountLimit { get; set; } = DefaultCountLimit;
}

/// <summary>Checks <see cref="TrackerOptions"/>' attributes at start-up (generated).</summary>
[OptionsValidator]
internal sealed partial class TrackerOptionsValidator : IValidateOptions<TrackerOptions>;
