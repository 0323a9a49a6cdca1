using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// Turns a SearchEventsRequest into an EventFilter. Empty strings and zero enums mean "no
/// filter"; enum numbers must be defined. start_date is the earliest event time included,
/// end_date the latest; a date-only end_date includes its whole (UTC) day.
/// </summary>
internal static class SearchFilterParser
{
    private const string DateFormat = "must be an RFC 3339 date-time with an offset (2024-01-15T10:00:00Z) or a date (2024-01-15)";

    public static EventFilter Parse(SearchEventsRequest request, Violations violations)
    {
        var from = ParseBound(request.StartDate, "start_date", endOfDay: false, violations);
        var to = ParseBound(request.EndDate, "end_date", endOfDay: true, violations);
        if (from is not null && to is not null && from > to)
        {
            violations.Add("start_date", "must not be after end_date", ViolationReasons.OutOfRange);
        }

        return new EventFilter
        {
            Source = Text(request.Source, "source", violations),
            Type = Enum(request.Type, "type", violations),
            Priority = Enum(request.Priority, "priority", violations),
            Status = Enum(request.Status, "status", violations),
            Service = Text(request.Service, "service", violations),
            Environment = Enum(request.Environment, "environment", violations),
            Impact = Enum(request.Impact, "impact", violations),
            Owner = Text(request.Owner, "owner", violations),
            From = from,
            To = to,
        };
    }

    private static DateTimeOffset? ParseBound(string text, string field, bool endOfDay, Violations violations)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (SearchDateParser.Parse(text) is not { } parsed)
        {
            violations.Add(field, DateFormat, ViolationReasons.InvalidFormat);
            return null;
        }

        if (!endOfDay || !parsed.DateOnly)
        {
            return parsed.Instant;
        }

        // The last microsecond of that day: bounds are inclusive and stores keep microseconds.
        var nextDay = parsed.Instant.UtcTicks + TimeSpan.TicksPerDay;
        return nextDay > DateTimeOffset.MaxValue.UtcTicks
            ? DateTimeOffset.MaxValue
            : new DateTimeOffset(nextDay - TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
    }

    // A filter longer than any stored value can match nothing; refuse it rather than send it on.
    private static string? Text(string value, string field, Violations violations)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (TextRules.IsLongerThan(value, EventLimits.ShortTextChars))
        {
            violations.Add(field, $"must be at most {EventLimits.ShortTextChars} characters", ViolationReasons.TooLong);
        }

        return value;
    }

    private static TEnum? Enum<TEnum>(TEnum value, string field, Violations violations)
        where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number == 0)
        {
            return null;
        }

        if (!System.Enum.IsDefined(value))
        {
            violations.Add(field, $"has no value {number}", ViolationReasons.UndefinedEnumValue);
        }

        return value;
    }
}
