using System.Reflection;
using Google.Protobuf.Reflection;

namespace Tracker.Events.Telemetry;

/// <summary>
/// An API enum's values as metric label values: the proto value name without the enum's prefix,
/// in lower case (TYPE_RPA_USAGE is <c>rpa_usage</c>, SEVERITY_UNSPECIFIED is <c>unspecified</c>).
/// A number the enum does not define is <c>unknown</c>, so the label stays bounded.
/// </summary>
internal static class EnumLabels<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = Build();

    public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : "unknown";

    private static Dictionary<T, string> Build()
    {
        var names = new Dictionary<T, string>();
        foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            names[(T)field.GetValue(null)!] = field.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? field.Name;
        }

        // buf's STANDARD lint makes every value start with the zero value's prefix (TYPE_UNSPECIFIED).
        var zero = names.GetValueOrDefault(default, "");
        var prefix = zero.EndsWith("UNSPECIFIED", StringComparison.Ordinal) ? zero[..^"UNSPECIFIED".Length] : "";
        return names.ToDictionary(
            pair => pair.Key,
            pair => (pair.Value.StartsWith(prefix, StringComparison.Ordinal) ? pair.Value[prefix.Length..] : pair.Value).ToLowerInvariant());
    }
}
