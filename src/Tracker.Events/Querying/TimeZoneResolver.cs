using System.Text.RegularExpressions;

namespace Tracker.Events.Querying;

/// <summary>
/// Finds an IANA time zone by id ("Europe/Paris", "UTC"). Ids are checked for shape first, so
/// client text never reaches the file system lookup behind the system time zone database.
/// </summary>
internal static partial class TimeZoneResolver
{
    public static TimeZoneInfo? Find(string id)
    {
        if (id.Length > 64 || !ZoneId().IsMatch(id))
        {
            return null;
        }

        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
        }
        catch (Exception e) when (e is InvalidTimeZoneException or System.Security.SecurityException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneId();
}
