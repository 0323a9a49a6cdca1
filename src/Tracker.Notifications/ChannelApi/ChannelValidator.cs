using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Validation;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// The rules of a channel (channel_service.proto), checked on a new channel and on the result
/// of an update, each violation on its field's path ("channel.url", "channel.email_to[2]"):
/// <list type="bullet">
/// <item>name: 1 to 63 characters, lowercase letters, digits, '-', '_' and '.', starting with a letter or digit;</item>
/// <item>kind: one of webhook, Slack and email;</item>
/// <item>url for a webhook or Slack channel, email_to (1 to 50 addresses, no repeats) for an
/// email channel, never the other, and a secret for webhooks only, in Standard Webhooks' form:
/// the rules of <see cref="ChannelTargets"/>, with its messages;</item>
/// <item>filter: the language of ListEvents' filter (AIP-160), with its parser's messages;</item>
/// <item>change_types: created, updated or deleted, each at most once.</item>
/// </list>
/// Output-only fields (times, etag, health, disabled_reason) are not checked: they are ignored on input.
/// </summary>
internal sealed class ChannelValidator(NotificationOptions options)
{
    /// <summary>channel_service.proto: a name is at most 63 characters.</summary>
    public const int MaxNameChars = 63;

    private const string Prefix = "channel.";

    /// <summary>Adds every rule <paramref name="channel"/> breaks to <paramref name="violations"/>.</summary>
    public void Validate(Channel channel, Violations violations)
    {
        CheckName(channel.Name, Prefix + "name", violations);
        if (CheckKind(channel.Kind, violations))
        {
            CheckTargetAndSecret(channel, violations);
        }

        if (channel.Filter.Length > 0 && FilterParser.Parse(channel.Filter).Error is { } error)
        {
            violations.Add(Prefix + "filter", error.Description, error.Reason);
        }

        CheckChangeTypes(channel.ChangeTypes, violations);
    }

    /// <summary>The name rule, on <paramref name="field"/> ("name" in a request that names a channel, "channel.name" in one that carries it).</summary>
    public static void CheckName(string name, string field, Violations violations)
    {
        if (name.Length == 0)
        {
            violations.Add(field, "is required", ViolationReasons.Required);
        }
        else if (name.Length > MaxNameChars)
        {
            violations.Add(field, $"must be at most {MaxNameChars} characters", ViolationReasons.TooLong);
        }
        else if (!IsNameStart(name[0]) || !name.All(c => IsNameStart(c) || c is '-' or '_' or '.'))
        {
            violations.Add(field, "must be lowercase letters, digits, '-', '_' and '.', starting with a letter or digit", ViolationReasons.InvalidFormat);
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool CheckKind(ChannelKind kind, Violations violations)
    {
        if (kind == ChannelKind.Unspecified)
        {
            violations.Add(Prefix + "kind", "is required: CHANNEL_KIND_WEBHOOK, CHANNEL_KIND_SLACK or CHANNEL_KIND_EMAIL", ViolationReasons.Required);
            return false;
        }

        if (!ProtoEnumNames<ChannelKind>.IsDefined(kind))
        {
            violations.Add(Prefix + "kind", $"must be CHANNEL_KIND_WEBHOOK, CHANNEL_KIND_SLACK or CHANNEL_KIND_EMAIL, not {ProtoEnumNames<ChannelKind>.Of(kind)}", ViolationReasons.UndefinedEnumValue);
            return false;
        }

        return true;
    }

    // Each target rule once, in ChannelTargets (the senders' home), with its own messages.
    private void CheckTargetAndSecret(Channel channel, Violations violations)
    {
        foreach (var violation in ChannelTargets.Validate(channel, options))
        {
            violations.Add(violation.Field, violation.Description, violation.Reason);
        }

        // A list rule ChannelTargets leaves to the API: each recipient once.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; channel.Kind == ChannelKind.Email && i < channel.EmailTo.Count && i < ChannelTargets.MaxRecipients; i++)
        {
            if (!seen.Add(channel.EmailTo[i]))
            {
                violations.Add($"{Prefix}email_to[{i}]", "repeats an earlier address", ViolationReasons.Mismatch);
            }
        }
    }

    private static void CheckChangeTypes(IReadOnlyList<ChangeType> changeTypes, Violations violations)
    {
        var seen = new HashSet<ChangeType>();
        for (var i = 0; i < changeTypes.Count; i++)
        {
            var type = changeTypes[i];
            if (type is not (ChangeType.Created or ChangeType.Updated or ChangeType.Deleted))
            {
                violations.Add($"{Prefix}change_types[{i}]", $"must be CHANGE_TYPE_CREATED, CHANGE_TYPE_UPDATED or CHANGE_TYPE_DELETED, not {ProtoEnumNames<ChangeType>.Of(type)}", ViolationReasons.UndefinedEnumValue);
            }
            else if (!seen.Add(type))
            {
                violations.Add($"{Prefix}change_types[{i}]", $"repeats {ProtoEnumNames<ChangeType>.Of(type)}", ViolationReasons.Mismatch);
            }
        }
    }
}
