using System.Globalization;
using Tracker.Api.V1Alpha1;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Retention;

/// <summary>
/// The names of tracker.event.v1alpha1.Type as configuration and telemetry spell them, from the
/// proto's own value names (TYPE_INCIDENT): "incident" in metrics and logs, and any of
/// "Incident", "incident", "INCIDENT", "TYPE_INCIDENT" (and for TYPE_RPA_USAGE "RpaUsage" too) in
/// configuration keys.
/// </summary>
internal static class EventTypeNames
{
    private const string Prefix = "TYPE_";

    private static readonly Dictionary<Type, string> LowerNames = EventReflection.Descriptor.EnumTypes
        .Single(e => e.Name == nameof(Type))
        .Values
        .ToDictionary(v => (Type)v.Number, v => v.Name[Prefix.Length..].ToLowerInvariant());

    /// <summary>The types a retention may name: every value but TYPE_UNSPECIFIED, as configuration spells them.</summary>
    public static string Choices { get; } = string.Join(", ", Enum.GetValues<Type>().Where(t => t != Type.Unspecified));

    /// <summary>The proto value name without its prefix, lower case ("incident", "rpa_usage"); the number for a value the proto lacks.</summary>
    public static string Lower(Type type) =>
        LowerNames.TryGetValue(type, out var name) ? name : ((int)type).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The type a configuration key names, ignoring case, the "TYPE_" prefix and underscores;
    /// false for anything else, TYPE_UNSPECIFIED included.
    /// </summary>
    public static bool TryParse(string name, out Type type)
    {
        var key = Squash(name.Trim());
        if (key.StartsWith(Squash(Prefix), StringComparison.Ordinal) && key.Length > Prefix.Length - 1)
        {
            key = key[(Prefix.Length - 1)..];
        }

        foreach (var (candidate, lower) in LowerNames)
        {
            if (candidate != Type.Unspecified && Squash(lower) == key)
            {
                type = candidate;
                return true;
            }
        }

        type = Type.Unspecified;
        return false;
    }

    private static string Squash(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
