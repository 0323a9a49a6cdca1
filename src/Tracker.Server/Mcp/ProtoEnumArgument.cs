using System.Globalization;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace Tracker.Server.Mcp;

/// <summary>
/// A protobuf enum given to a tool as text: the value's full proto name
/// (<c>ENVIRONMENT_PRODUCTION</c>), or that name without its enum's prefix (<c>production</c>),
/// in any case, as the filter language takes them (README "Searching"). UNSPECIFIED is never
/// accepted: leaving the argument out means that. Also names values for tool results, by their
/// full proto names as REST's JSON writes them.
/// </summary>
internal static class ProtoEnumArgument<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<OriginalNameAttribute>()!.Name);

    private static readonly string Prefix = CommonPrefix(Names.Values);

    private static readonly Dictionary<string, T> ByName = Accepted();

    /// <summary>The accepted short names, lower case, for descriptions and errors: "development, integration, ...".</summary>
    public static string ShortNames { get; } = string.Join(", ", Names
        .Where(pair => Convert.ToInt32(pair.Key, CultureInfo.InvariantCulture) != 0)
        .Select(pair => pair.Value[Prefix.Length..].ToLowerInvariant()));

    private static string Example => Names.Values.First(n => !n.EndsWith("_UNSPECIFIED", StringComparison.Ordinal));

    /// <summary>The full proto name of <paramref name="value"/> ("TYPE_DEPLOYMENT"), or its number when it has none.</summary>
    public static string NameOf(T value) => Names.TryGetValue(value, out var name) ? name : Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    /// <summary>The value <paramref name="text"/> names; null when it is empty; adds a problem naming <paramref name="argument"/> when it names none.</summary>
    public static T? Parse(string? text, string argument, ToolArgumentProblems problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (ByName.TryGetValue(text.Trim(), out var value))
        {
            return value;
        }

        problems.Add(argument, $"must be one of {ShortNames} (or the full name, e.g. {Example})");
        return null;
    }

    private static Dictionary<string, T> Accepted()
    {
        var byName = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, name) in Names.Where(pair => Convert.ToInt32(pair.Key, CultureInfo.InvariantCulture) != 0))
        {
            byName.TryAdd(name, value);
            byName.TryAdd(name[Prefix.Length..], value);
        }

        return byName;
    }

    // Buf STANDARD lint: every enum of the API opens with <PREFIX>_UNSPECIFIED; google.rpc.Code has no prefix.
    private static string CommonPrefix(IEnumerable<string> names) =>
        names.FirstOrDefault(n => n.EndsWith("_UNSPECIFIED", StringComparison.Ordinal)) is { } unspecified
            ? unspecified[..^"UNSPECIFIED".Length]
            : string.Empty;
}
