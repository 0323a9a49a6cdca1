namespace Tracker.Events.Access;

/// <summary>
/// The services a caller may write, as globs where <c>*</c> stands for any run of characters
/// (<c>payments-*</c>, <c>*-staging</c>, <c>*</c>). Matching is ordinal and whole-name.
/// </summary>
public sealed class ServicePatterns
{
    private readonly string[] _patterns;

    private ServicePatterns(string[] patterns) => _patterns = patterns;

    /// <summary>Every service: a key without Services, a token without a services claim.</summary>
    public static ServicePatterns Any { get; } = new(["*"]);

    /// <summary>No service: a token whose services claim is present but empty may write none.</summary>
    public static ServicePatterns None { get; } = new([]);

    /// <summary>The globs given; none at all means every service.</summary>
    public static ServicePatterns Of(IEnumerable<string> patterns)
    {
        var list = patterns.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        return list.Length == 0 || list.Contains("*") ? Any : new ServicePatterns(list);
    }

    /// <summary>Whether every service matches.</summary>
    public bool IsAny => ReferenceEquals(this, Any);

    /// <summary>The globs, for error details.</summary>
    public IReadOnlyList<string> Patterns => _patterns;

    /// <summary>Whether <paramref name="service"/> matches one of the globs.</summary>
    public bool Allow(string service) => IsAny || _patterns.Any(p => Matches(p, service));

    /// <summary>The globs as an error names them: "none" for <see cref="None"/>.</summary>
    public string Describe() => _patterns.Length == 0 ? "none" : string.Join(", ", _patterns.Select(p => $"\"{p}\""));

    private static bool Matches(string pattern, string service)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, service, StringComparison.Ordinal);
        }

        // The first part anchors the start, the last the end, the middle ones appear in order.
        if (!service.StartsWith(parts[0], StringComparison.Ordinal) || !service.EndsWith(parts[^1], StringComparison.Ordinal)
            || service.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var position = parts[0].Length;
        var end = service.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = service.IndexOf(parts[i], position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return true;
    }
}
