using System.Globalization;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// An API enum's values as the proto and the JSON API spell them ("CHANNEL_KIND_WEBHOOK"), for
/// error messages; a number the enum does not define is written as the number.
/// </summary>
internal static class ProtoEnumNames<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? f.Name);

    /// <summary>Whether the proto defines <paramref name="value"/>.</summary>
    public static bool IsDefined(T value) => Names.ContainsKey(value);

    public static string Of(T value) =>
        Names.TryGetValue(value, out var name) ? name : Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
}
