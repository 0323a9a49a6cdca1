using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Events.Validation;

/// <summary>
/// The NUL character (U+0000) is refused in every text of an event and of a lookup (id, etag,
/// request_id, search values): PostgreSQL's text type cannot hold it, so an event with one could
/// be stored by SQLite and not by PostgreSQL, and a lookup with one would fail inside the store.
/// One rule, checked here for every string field of an event by walking its descriptor, so no
/// field is forgotten when the proto grows one.
/// </summary>
internal static class NulCharacters
{
    public const string Rule = "must not contain the NUL character (U+0000)";

    public static bool In(string value) => value.Contains('\0', StringComparison.Ordinal);

    /// <summary>Adds a violation for every string of <paramref name="message"/> (nested messages, lists and maps too) that holds NUL.</summary>
    public static void Check(IMessage? message, string path, Violations violations)
    {
        if (message is null)
        {
            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (var (key, entry) in Entries((System.Collections.IDictionary)value))
                {
                    var entryPath = $"{fieldPath}[{TextRules.QuoteForPath(key?.ToString() ?? string.Empty)}]";
                    if (key is string k && In(k) || entry is string v && In(v))
                    {
                        violations.Add(entryPath, Rule, ViolationReasons.InvalidFormat);
                    }
                }
            }
            else if (field.IsRepeated)
            {
                var index = 0;
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    CheckValue(field, item, $"{fieldPath}[{index++}]", violations);
                }
            }
            else
            {
                CheckValue(field, value, fieldPath, violations);
            }
        }
    }

    private static void CheckValue(FieldDescriptor field, object? value, string path, Violations violations)
    {
        if (field.FieldType == FieldType.String && value is string text && In(text))
        {
            violations.Add(path, Rule, ViolationReasons.InvalidFormat);
        }
        else if (field.FieldType == FieldType.Message && value is IMessage nested)
        {
            Check(nested, path, violations);
        }
    }

    private static IEnumerable<(object? Key, object? Value)> Entries(System.Collections.IDictionary map)
    {
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            yield return (entry.Key, entry.Value);
        }
    }
}
