using Tracker.Api.V1Alpha1;
using Tracker.Events.Validation;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.ChannelApi;

/// <summary>The fields of a channel an update may name (AIP-134); name identifies it and kind cannot change.</summary>
internal enum ChannelField
{
    Name,
    Kind,
    Url,
    EmailTo,
    Filter,
    ChangeTypes,
    Disabled,
    Secret,
}

/// <summary>
/// Which fields an UpdateChannel changes, and the channel after it (AIP-134).
/// <list type="bullet">
/// <item>With an update_mask: its paths, by proto or JSON name ("email_to", "emailTo"). A path
/// whose value in the request is empty sets the field empty: a mask is how a gRPC client clears
/// a filter or enables a channel. Output-only paths (create_time, update_time, etag, health,
/// disabled_reason) are ignored; any other path is refused on "update_mask".</item>
/// <item>Without one, over REST: the fields present in the JSON body, even with their default
/// value (<c>{"disabled": false}</c> enables, <c>{"filter": ""}</c> removes the filter); a
/// property that is no field of a channel is refused on its own path.</item>
/// <item>Without one, over gRPC: the fields set to something other than their default (proto3
/// cannot tell an empty field from an absent one).</item>
/// </list>
/// name and kind may be present only with the channel's own value; secret, when present, must be
/// a new secret (rotation) and is never returned; an empty secret in a REST body is what reads
/// show, and leaves the secret as it is. A url equal to the redacted one reads show
/// leaves the stored URL as it is, so a client may send back what it read.
/// </summary>
internal static class ChannelUpdate
{
    private static readonly Dictionary<string, ChannelField> Paths = new(StringComparer.Ordinal)
    {
        ["name"] = ChannelField.Name,
        ["kind"] = ChannelField.Kind,
        ["url"] = ChannelField.Url,
        ["email_to"] = ChannelField.EmailTo,
        ["emailTo"] = ChannelField.EmailTo,
        ["filter"] = ChannelField.Filter,
        ["change_types"] = ChannelField.ChangeTypes,
        ["changeTypes"] = ChannelField.ChangeTypes,
        ["disabled"] = ChannelField.Disabled,
        ["secret"] = ChannelField.Secret,
    };

    private static readonly HashSet<string> OutputOnly = new(StringComparer.Ordinal)
    {
        "create_time", "createTime", "update_time", "updateTime", "etag", "health", "disabled_reason", "disabledReason",
    };

    /// <summary>The fields an update_mask names; every path naming no updatable field is a violation on "update_mask".</summary>
    public static IReadOnlySet<ChannelField> FromMask(IEnumerable<string> paths, Violations violations)
    {
        var fields = new HashSet<ChannelField>();
        foreach (var path in paths)
        {
            if (Paths.TryGetValue(path, out var field))
            {
                fields.Add(field);
            }
            else if (!OutputOnly.Contains(path.Split('.')[0]))
            {
                violations.Add("update_mask", $"names no updatable field of a channel: \"{Clip(path)}\"", ViolationReasons.UnknownField);
            }
        }

        return fields;
    }

    /// <summary>
    /// The fields named by the top-level properties of a REST body (JSON or proto names).
    /// Output-only properties are ignored, so a client may send back what it read; any other
    /// property is a violation on "channel.&lt;property&gt;": the transcoder drops names it does
    /// not know, and a misspelt field ("disable") would otherwise answer 200 and change nothing.
    /// </summary>
    public static IReadOnlySet<ChannelField> FromJsonProperties(IEnumerable<string> names, Channel request, Violations violations)
    {
        var fields = new HashSet<ChannelField>();
        foreach (var name in names)
        {
            if (Paths.TryGetValue(name, out var field))
            {
                // Reads show every secret as "": sent back, it keeps the secret, as a redacted url keeps the URL.
                if (field != ChannelField.Secret || request.Secret.Length > 0)
                {
                    fields.Add(field);
                }
            }
            else if (!OutputOnly.Contains(name))
            {
                violations.Add($"channel.{Clip(name)}", "is no field of a channel; see the Channel message in channel_service.proto", ViolationReasons.UnknownField);
            }
        }

        return fields;
    }

    /// <summary>The fields a gRPC request sets to something other than their default.</summary>
    public static IReadOnlySet<ChannelField> FromSetFields(Channel request)
    {
        var fields = new HashSet<ChannelField> { ChannelField.Name };
        Add(fields, ChannelField.Kind, request.Kind != ChannelKind.Unspecified);
        Add(fields, ChannelField.Url, request.Url.Length > 0);
        Add(fields, ChannelField.EmailTo, request.EmailTo.Count > 0);
        Add(fields, ChannelField.Filter, request.Filter.Length > 0);
        Add(fields, ChannelField.ChangeTypes, request.ChangeTypes.Count > 0);
        Add(fields, ChannelField.Disabled, request.Disabled);
        Add(fields, ChannelField.Secret, request.Secret.Length > 0);
        return fields;
    }

    /// <summary>
    /// <paramref name="current"/> with <paramref name="fields"/> taken from <paramref name="request"/>;
    /// a field that cannot change that way is a violation. Times and etag are the caller's to set.
    /// </summary>
    public static Channel Merge(Channel current, Channel request, IReadOnlySet<ChannelField> fields, Violations violations)
    {
        var merged = current.Clone();
        foreach (var field in fields)
        {
            switch (field)
            {
                case ChannelField.Name:
                    // It names the channel updated; the request's name is that one by construction.
                    break;
                case ChannelField.Kind when request.Kind != current.Kind:
                    violations.Add("channel.kind", $"cannot change (it is {ProtoEnumNames<ChannelKind>.Of(current.Kind)}): delete the channel and create it again", ViolationReasons.Mismatch);
                    break;
                case ChannelField.Url when request.Url != ChannelTargets.RedactUrl(current.Kind, current.Url):
                    merged.Url = request.Url;
                    break;
                case ChannelField.EmailTo:
                    merged.EmailTo.Clear();
                    merged.EmailTo.AddRange(request.EmailTo);
                    break;
                case ChannelField.Filter:
                    merged.Filter = request.Filter;
                    break;
                case ChannelField.ChangeTypes:
                    merged.ChangeTypes.Clear();
                    merged.ChangeTypes.AddRange(request.ChangeTypes);
                    break;
                case ChannelField.Disabled:
                    merged.Disabled = request.Disabled;
                    break;
                case ChannelField.Secret when request.Secret.Length == 0:
                    violations.Add("channel.secret", "must be the new secret to rotate it; an empty secret is not one", ViolationReasons.Required);
                    break;
                case ChannelField.Secret:
                    merged.Secret = request.Secret;
                    break;
            }
        }

        // channel_service.proto: enabling the channel clears why Tracker disabled it.
        if (!merged.Disabled)
        {
            merged.DisabledReason = string.Empty;
        }

        return merged;
    }

    private static void Add(HashSet<ChannelField> fields, ChannelField field, bool present)
    {
        if (present)
        {
            fields.Add(field);
        }
    }

    private static string Clip(string path) => path.Length <= 64 ? path : string.Concat(path.AsSpan(0, 64), "...");
}
