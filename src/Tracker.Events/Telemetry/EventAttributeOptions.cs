using Microsoft.Extensions.Options;
using Tracker.Events.Hosting;

namespace Tracker.Events.Telemetry;

/// <summary>
/// The "Telemetry:EventAttributes" section: which services and reasons <c>tracker.events.recorded</c>
/// reports by name. Both are free text on an event, so each distinct value would be a time series
/// of its own: only the values listed here (compared exactly) are reported, every other one as
/// <c>other</c>, and with no list the attribute is left out. At most <see cref="MaxValues"/> each.
/// </summary>
public sealed class EventAttributeOptions
{
    public const string SectionName = "Telemetry:EventAttributes";

    /// <summary>The longest list of either kind, so that a metric keeps a bounded number of series.</summary>
    public const int MaxValues = 100;

    /// <summary>Services reported as <c>tracker.event.service</c>, e.g. ["payments", "checkout"].</summary>
    [SettingList(MaxValues, ErrorMessage = "Telemetry:EventAttributes:Services may list at most 100 values, and no empty one.")]
    public List<string> Services { get; set; } = [];

    /// <summary>Reasons reported as <c>tracker.event.reason</c>, e.g. ["BackOff", "OOMKilled"].</summary>
    [SettingList(MaxValues, ErrorMessage = "Telemetry:EventAttributes:Reasons may list at most 100 values, and no empty one.")]
    public List<string> Reasons { get; set; } = [];
}

/// <summary>Checks <see cref="EventAttributeOptions"/>' attributes at start-up (generated).</summary>
[OptionsValidator]
internal sealed partial class EventAttributeOptionsValidator : IValidateOptions<EventAttributeOptions>;
