using System.Globalization;
using System.Text.RegularExpressions;

namespace Tracker.Events.Querying;

/// <summary>
/// Parses the search bounds: an RFC 3339 date-time with an offset ("2024-01-15T10:00:00Z",
/// "2024-01-15T12:00:00.5+02:00"; 't', 'z' and a space separator allowed, any number of
/// fraction digits, kept to the microsecond) or a date ("2024-01-15", a UTC day).
/// </summary>
internal static partial class SearchDateParser
{
    /// <summary>A parsed bound; <see cref="DateOnly"/> tells a bare date from a date-time.</summary>
    public readonly record struct SearchDate(DateTimeOffset Instant, bool DateOnly);

    public static SearchDate? Parse(string text)
    {
        if (text.Length > 64)
        {
            return null;
        }

        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var year = Int(match, "y");
        var month = Int(match, "mo");
        var day = Int(match, "d");
        if (month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        if (!match.Groups["h"].Success)
        {
            return new SearchDate(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero), DateOnly: true);
        }

        var hour = Int(match, "h");
        var minute = Int(match, "mi");
        var second = Int(match, "s");
        if (hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var offset = TimeSpan.Zero;
        var zone = match.Groups["z"].Value;
        if (zone is not ("Z" or "z"))
        {
            var offsetHours = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var offsetMinutes = int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture);
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                return null;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (zone[0] == '-' ? -1 : 1);
        }

        // Microseconds: the stores keep no finer time.
        var fraction = match.Groups["f"].Value;
        var micros = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(6, '0')[..6], CultureInfo.InvariantCulture);

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(micros * TimeSpan.TicksPerMicrosecond);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTimeOffset.MinValue.UtcTicks || utcTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return new SearchDate(new DateTimeOffset(utcTicks, TimeSpan.Zero), DateOnly: false);
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})(?:[Tt ](?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.(?<f>[0-9]{1,9}))?(?<z>[Zz]|[+-][0-9]{2}:[0-9]{2}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
