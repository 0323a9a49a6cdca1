using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// The field names and enum words a dialect takes beside Tracker's own: <see cref="Tracker"/>
/// takes only those (AIP-160's <c>filter</c> names proto fields), <see cref="Mws"/> also the
/// MWS events API's (its seed, section 4.6: eventType, associatedObjects, origin, eventDate and
/// its severity words), for <c>query</c>. README, "Searching", lists the same table.
/// </summary>
internal sealed class FieldVocabulary
{
    private const string ObjectsPrefix = "associatedObjects.";

    private readonly Dictionary<string, string> _fields;
    private readonly Dictionary<string, string> _objectMembers;
    private readonly Dictionary<string, string> _severityWords;

    private FieldVocabulary(Dictionary<string, string> fields, Dictionary<string, string> objectMembers, Dictionary<string, string> severityWords)
    {
        _fields = fields;
        _objectMembers = objectMembers;
        _severityWords = severityWords;
        FieldNames = _fields.Count == 0
            ? FilterBinder.FieldNames
            : $"{FilterBinder.FieldNames}; MWS names: {string.Join(", ", _fields.Keys)}, {ObjectsPrefix}<{string.Join("|", _objectMembers.Keys)}>";
    }

    /// <summary>Tracker's own names only.</summary>
    public static FieldVocabulary Tracker { get; } = new([], [], []);

    /// <summary>Tracker's names, and the MWS events API's (the MWS seed's Event object and severity words).</summary>
    public static FieldVocabulary Mws { get; } = new(
        fields: new(StringComparer.Ordinal)
        {
            ["eventType"] = EventField.Reason.Name,
            ["origin"] = EventField.Source.Name,
            ["eventDate"] = EventField.StartDate.Name,
        },
        objectMembers: new(StringComparer.Ordinal)
        {
            // The seed's objects are {"type":"VM","id":"vm1"}, and MWS answers a create with "_id" (the same as id).
            ["id"] = EventField.ResourceId.Name,
            ["_id"] = EventField.ResourceId.Name,
            ["type"] = EventField.ResourceKind.Name,
            ["kind"] = EventField.ResourceKind.Name,
            ["name"] = EventField.ResourceName.Name,
            ["namespace"] = EventField.ResourceNamespace.Name,
        },
        severityWords: new(StringComparer.OrdinalIgnoreCase)
        {
            ["INFO"] = "SEVERITY_NORMAL",
            ["WARN"] = "SEVERITY_WARNING",
            ["WARNING"] = "SEVERITY_WARNING",
            ["ERROR"] = "SEVERITY_ERROR",
            ["FATAL"] = "SEVERITY_ALERT",
        });

    /// <summary>"title, id, ..., labels.&lt;key&gt;", and the dialect's own names: what an unknown-field error lists.</summary>
    public string FieldNames { get; }

    /// <summary>The words the dialect takes for a field's enum values beside Tracker's names: " (or MWS's INFO, WARN, ...)", or "".</summary>
    public string EnumWordsOf(EventField field) =>
        field == EventField.Severity && _severityWords.Count > 0 ? $" (or MWS's {string.Join(", ", _severityWords.Keys)})" : string.Empty;

    /// <summary>The Tracker enum name a word of the dialect stands for (INFO: SEVERITY_NORMAL), or the word itself.</summary>
    public string EnumName(EventField field, string word) =>
        field == EventField.Severity && _severityWords.TryGetValue(word, out var name) ? name : word;

    /// <summary>
    /// The Tracker path a path of the dialect names: "eventType" is "reason",
    /// "associatedObjects.type" is "resources.kind"; any other path is itself.
    /// </summary>
    /// <exception cref="FilterSyntaxException">An MWS name that Tracker has no field for (at <paramref name="where"/>).</exception>
    public string Resolve(string path, string where)
    {
        if (_fields.TryGetValue(path, out var field))
        {
            return field;
        }

        if (_objectMembers.Count == 0 || !(path == "associatedObjects" || path.StartsWith(ObjectsPrefix, StringComparison.Ordinal)))
        {
            return path;
        }

        var member = path == "associatedObjects" ? string.Empty : path[ObjectsPrefix.Length..];
        return _objectMembers.TryGetValue(member, out var resource)
            ? resource
            : throw new FilterSyntaxException(
                where,
                $"associatedObjects are compared by a member: {string.Join(", ", _objectMembers.Keys.Select(k => ObjectsPrefix + k))}{(member.Length > 0 ? $"; Tracker keeps no \"{FilterBinder.Clip(member)}\" for them" : string.Empty)}",
                ViolationReasons.UnknownField);
    }
}
