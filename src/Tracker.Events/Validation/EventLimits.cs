namespace Tracker.Events.Validation;

/// <summary>The size limits of an event's fields (DESIGN.md section 3).</summary>
internal static class EventLimits
{
    public const int TitleChars = 500;
    public const int MessageBytes = 16 * 1024;
    public const int ShortTextChars = 128;
    public const int ListItems = 64;
    public const int ListItemChars = 128;
    public const int ResourceKindChars = 128;
    public const int ResourceTextChars = 256;
    public const int Labels = 64;
    public const int LabelKeyChars = 63;
    public const int LabelValueChars = 256;
    public const int UrlChars = 2048;
    public const int IdChars = 128;
    public const int RequestIdChars = 128;

    /// <summary>aggregation_key of CreateEventRequest (README, "Folding repeated events").</summary>
    public const int AggregationKeyChars = 256;
    public const int EtagChars = 128;

    /// <summary>
    /// The longest event (end_date - start_date), in seconds: 253,402,300,799, about 8,000 years.
    /// google.protobuf.Duration allows 10,000 years, but the JSON transcoder refuses to write a
    /// duration longer than the span of RFC 3339 timestamps from 1970 (0001-01-01 to 9999-12-31
    /// is longer), so a longer event could be stored and then never be read over REST.
    /// </summary>
    public const long DurationSeconds = 253_402_300_799;
}
