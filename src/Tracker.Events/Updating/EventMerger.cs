using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Validation;

namespace Tracker.Events.Updating;

/// <summary>
/// Merges an UpdateEventRequest into the stored event.
/// <para>
/// With an update_mask, only its paths change: "title"; "attributes.&lt;field&gt;" and
/// "links.&lt;field&gt;" replace that field (a list or map as a whole) with the request's value,
/// so a path whose value is unset clears the field; "attributes" or "links" alone merge the
/// fields set in the request's sub-message, as google/protobuf/field_mask.proto describes, or
/// clear it when the request has none. Paths naming the request's own controls or output-only
/// fields ("id", "etag", "update_mask", "created_at", ...) are ignored: the REST transcoder builds
/// the mask from the fields present in the JSON body, which include "id".
/// </para>
/// <para>
/// Without a mask, every field present in the request replaces the stored one, recursively
/// through attributes and links: a proto3 <c>optional</c> scalar or a message that is set (even
/// to its default value, so <c>"notification": false</c> turns notifications off), a list or map
/// that is not empty. Lists and maps cannot be cleared that way; a mask path can.
/// </para>
/// </summary>
internal sealed class EventMerger
{
    private static readonly HashSet<string> IgnoredPaths = new(StringComparer.Ordinal)
    {
        "id", "etag", "update_mask", "updateMask", "created_at", "createdAt", "updated_at", "updatedAt", "duration",
    };

    /// <summary>Reports every mask path that names no updatable field, on "update_mask".</summary>
    public void CheckMask(UpdateEventRequest request, Violations violations)
    {
        if (request.UpdateMask is null)
        {
            return;
        }

        foreach (var path in request.UpdateMask.Paths)
        {
            if (!IgnoredPaths.Contains(path) && Resolve(path) is null)
            {
                violations.Add("update_mask", $"names no updatable field: {TextRules.QuoteForPath(path)}", ViolationReasons.UnknownField);
            }
        }
    }

    /// <summary>The stored event with the request merged in; the request must have passed <see cref="CheckMask"/>.</summary>
    public Event Merge(Event current, UpdateEventRequest request)
    {
        var merged = current.Clone();
        if (request.UpdateMask is { Paths.Count: > 0 } mask)
        {
            foreach (var path in mask.Paths)
            {
                if (Resolve(path) is { } target)
                {
                    ApplyPath(merged, request, target);
                }
            }
        }
        else
        {
            MergeSetFields(merged, request);
        }

        return merged;
    }

    private static void MergeSetFields(Event merged, UpdateEventRequest request)
    {
        if (request.HasTitle)
        {
            merged.Title = request.Title;
        }

        if (request.Attributes is not null)
        {
            MergeSetFields(merged.Attributes ??= new EventAttributes(), request.Attributes);
        }

        if (request.Links is not null)
        {
            MergeSetFields(merged.Links ??= new EventLinks(), request.Links);
        }
    }

    private static void ApplyPath(Event merged, UpdateEventRequest request, MaskTarget target)
    {
        switch (target.Part, target.Field)
        {
            case (EventPart.Title, _):
                merged.Title = request.Title;
                break;
            case (EventPart.Attributes, null):
                merged.Attributes = request.Attributes is null
                    ? null
                    : MergedCopy(merged.Attributes ?? new EventAttributes(), request.Attributes);
                break;
            case (EventPart.Links, null):
                merged.Links = request.Links is null
                    ? null
                    : MergedCopy(merged.Links ?? new EventLinks(), request.Links);
                break;
            case (EventPart.Attributes, { } field):
                CopyField(merged.Attributes ??= new EventAttributes(), request.Attributes ?? new EventAttributes(), field);
                break;
            case (EventPart.Links, { } field):
                CopyField(merged.Links ??= new EventLinks(), request.Links ?? new EventLinks(), field);
                break;
        }
    }

    private static T MergedCopy<T>(T target, T source)
        where T : IMessage
    {
        MergeSetFields(target, source);
        return target;
    }

    /// <summary>Copies each field of <paramref name="source"/> that is set, replacing lists and maps whole.</summary>
    private static void MergeSetFields(IMessage target, IMessage source)
    {
        foreach (var field in source.Descriptor.Fields.InFieldNumberOrder())
        {
            if (IsSet(field, source))
            {
                CopyField(target, source, field);
            }
        }
    }

    private static bool IsSet(FieldDescriptor field, IMessage message)
    {
        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        var value = field.Accessor.GetValue(message);
        return value switch
        {
            null => false,
            ICollection collection => collection.Count > 0,
            string s => s.Length > 0,
            bool b => b,
            int i => i != 0,
            System.Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) != 0,
            _ => true,
        };
    }

    /// <summary>Replaces one field of <paramref name="target"/> with its value in <paramref name="source"/>.</summary>
    private static void CopyField(IMessage target, IMessage source, FieldDescriptor field)
    {
        var value = field.Accessor.GetValue(source);
        if (field.IsMap)
        {
            var map = (IDictionary)field.Accessor.GetValue(target);
            map.Clear();
            foreach (DictionaryEntry entry in (IDictionary)value)
            {
                map[entry.Key] = entry.Value;
            }
        }
        else if (field.IsRepeated)
        {
            var list = (IList)field.Accessor.GetValue(target);
            list.Clear();
            foreach (var item in (IList)value)
            {
                list.Add(item is IMessage message ? CloneMessage(message) : item);
            }
        }
        else if (value is null || (field.HasPresence && !field.Accessor.HasValue(source)))
        {
            field.Accessor.Clear(target);
        }
        else
        {
            field.Accessor.SetValue(target, value is IMessage message ? CloneMessage(message) : value);
        }
    }

    // The merged event must not share sub-messages with the request it came from.
    private static IMessage CloneMessage(IMessage message) =>
        message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private static MaskTarget? Resolve(string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var head = dot < 0 ? path : path[..dot];
        var part = head switch
        {
            "title" => EventPart.Title,
            "attributes" => EventPart.Attributes,
            "links" => EventPart.Links,
            _ => (EventPart?)null,
        };
        if (part is null)
        {
            return null;
        }

        if (dot < 0)
        {
            return new MaskTarget(part.Value, null);
        }

        var rest = path[(dot + 1)..];
        var descriptor = part switch
        {
            EventPart.Attributes => EventAttributes.Descriptor,
            EventPart.Links => EventLinks.Descriptor,
            _ => null,
        };
        var field = descriptor?.FindFieldByName(rest)
            ?? descriptor?.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == rest);
        return field is null ? null : new MaskTarget(part.Value, field);
    }

    private enum EventPart
    {
        Title,
        Attributes,
        Links,
    }

    /// <summary>A resolved mask path: a part of the event and, below attributes or links, one field.</summary>
    private sealed record MaskTarget(EventPart Part, FieldDescriptor? Field);
}
