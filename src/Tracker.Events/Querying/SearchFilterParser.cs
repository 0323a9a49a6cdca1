using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// Turns SearchEventsRequest's equality fields into expression terms, ANDed with its filter or
/// query. Empty strings and zero enums mean "no filter"; enum numbers must be defined.
/// start_date is the earliest event time included, end_date the latest; a date-only end_date
/// includes its whole (UTC) day.
/// </summary>
internal static class SearchFilterParser
{
    private const string DateFormat = "must be an RFC 3339 date-time with an offset (2024-01-15T10:00:00Z) or a date (2024-01-15)";

    public static IReadOnlyList<FilterNode> Parse(SearchEventsRequest request, Violations violations)
    {
        var from = ParseBound(request.StartDate, "start_date", endOfDay: false, violations);
        var to = ParseBound(request.EndDate, "end_date", endOfDay: true, violations);
        if (from is not null && to is not null && from > to)
        {
            violations.Add("start_date", "must not be after end_date", ViolationReasons.OutOfRange);
        }

        var terms = new List<FilterNode>();
        Equal(terms, EventField.Source, Text(request.Source, "source", violations));
        Equal(terms, EventField.Type, Enum(request.Type, "type", violations));
        Equal(terms, EventField.Priority, Enum(request.Priority, "priority", violations));
        Equal(terms, EventField.Status, Enum(request.Status, "status", violations));
        Equal(terms, EventField.Service, Text(request.Service, "service", violations));
        Equal(terms, EventField.Environment, Enum(request.Environment, "environment", violations));
        Equal(terms, EventField.Impact, Enum(request.Impact, "impact", violations));
        Equal(terms, EventField.Owner, Text(request.Owner, "owner", violations));
        terms.AddRange(TimeWindow(from, to));
        return terms;
    }

    /// <summary>The terms of an inclusive event-time window (start_date is the event time).</summary>
    public static IEnumerable<FilterNode> TimeWindow(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start)
        {
            yield return new Comparison(EventField.StartDate, Comparator.GreaterOrEqual, FilterValue.Of(EventKeys.ToMicros(start)));
        }

        if (to is { } end)
        {
            yield return new Comparison(EventField.StartDate, Comparator.LessOrEqual, FilterValue.Of(EventKeys.ToMicros(end)));
        }
    }

    private static void Equal(List<FilterNode> terms, EventField field, FilterValue? value)
    {
        if (value is { } v)
        {
            terms.Add(new Comparison(field, Comparator.Equal, v));
        }
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
    private static FilterValue? Text(string value, string field, Violations violations)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (TextRules.IsLongerThan(value, EventLimits.ShortTextChars))
        {
            violations.Add(field, $"must be at most {EventLimits.ShortTextChars} characters", ViolationReasons.TooLong);
        }
        else if (NulCharacters.In(value))
        {
            violations.Add(field, NulCharacters.Rule, ViolationReasons.InvalidFormat);
        }

        return FilterValue.Of(value);
    }

    private static FilterValue? Enum<TEnum>(TEnum value, string field, Violations violations)
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

        return FilterValue.Of(number);
    }
}
