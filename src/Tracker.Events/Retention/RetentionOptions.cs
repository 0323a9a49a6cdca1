using Microsoft.Extensions.Options;
using Tracker.Events.Hosting;

namespace Tracker.Events.Retention;

/// <summary>
/// The "Retention" configuration section: how long events are kept after their last
/// change (updated_at). Durations use .NET's TimeSpan syntax, [d.]hh:mm[:ss]: "90.00:00:00" is 90
/// days, "12:00:00" 12 hours. With neither <see cref="Default"/> nor any <see cref="Types"/>
/// entry, events are kept forever and <see cref="RetentionService"/> does nothing.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// How long an event of a type without an entry in <see cref="Types"/> is kept after its last
    /// change; positive. Unset (the default): such events are kept forever.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", SettingRangeAttribute.LongestDuration, MinimumIsExclusive = true, ErrorMessage = "Retention:Default must be a positive duration, e.g. 90.00:00:00 for 90 days, or unset to keep events forever; it is {0}.")]
    public TimeSpan? Default { get; set; }

    /// <summary>
    /// Per-type retentions that replace <see cref="Default"/> for their type, longer or shorter,
    /// and apply when it is unset too. Keys name an event type without or with its prefix, in any
    /// case: "Incident", "incident", "TYPE_INCIDENT", "RpaUsage" or "RPA_USAGE"
    /// (tracker.event.v1alpha1.Type). Values are positive durations.
    /// </summary>
    public Dictionary<string, TimeSpan> Types { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often expired events are looked for and deleted: from 1 s to 1 day, default 1 minute.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Retention:Interval must be a duration from 00:00:01 to 1.00:00:00; it is {0}.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many events one transaction deletes, 1 to 10,000, default 500: each batch holds the
    /// write lock (SQLite) or the commit counter (PostgreSQL) only briefly, so writes go on between batches.
    /// </summary>
    [SettingRange(1, 10_000, ErrorMessage = "Retention:BatchSize must be between 1 and 10000; it is {0}.")]
    public int BatchSize { get; set; } = 500;
}

/// <summary>Checks <see cref="RetentionOptions"/>' attributes at start-up (generated); <see cref="RetentionTypesValidator"/> checks its Types.</summary>
[OptionsValidator]
internal sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
