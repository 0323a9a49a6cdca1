using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Validation;

/// <summary>
/// Checks a whole event (a new one, or the result of merging an update) against every rule of
/// DESIGN.md section 3 and reports each violated field by its proto path. Pure: the related_id
/// check needs the store and lives in <see cref="RelatedEventResolver"/>.
/// </summary>
internal sealed class EventValidator
{
    // google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    public void Validate(Event e, Violations violations)
    {
        ValidateTitle(e.Title, violations);
        ValidateAttributes(e.Attributes, violations);
        ValidateLinks(e.Links, violations);
        NulCharacters.Check(e, string.Empty, violations);
    }

    private static void ValidateTitle(string title, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            violations.Add("title", "is required", ViolationReasons.Required);
        }
        else
        {
            MaxChars(title, EventLimits.TitleChars, "title", violations);
        }
    }

    private static void ValidateAttributes(EventAttributes? a, Violations violations)
    {
        if (a is null)
        {
            violations.Add("attributes.type", "is required", ViolationReasons.Required);
            violations.Add("attributes.service", "is required", ViolationReasons.Required);
            return;
        }

        if (ExceedsUtf8Bytes(a.Message, EventLimits.MessageBytes))
        {
            violations.Add("attributes.message", $"must be at most {EventLimits.MessageBytes} bytes (16 KiB) in UTF-8", ViolationReasons.TooLong);
        }

        MaxChars(a.Source, EventLimits.ShortTextChars, "attributes.source", violations);

        if (a.Type == Api.V1Alpha1.Type.Unspecified)
        {
            violations.Add("attributes.type", "is required", ViolationReasons.Required);
        }
        else
        {
            DefinedEnum(a.Type, "attributes.type", violations);
        }

        DefinedEnum(a.Priority, "attributes.priority", violations);

        if (string.IsNullOrWhiteSpace(a.Service))
        {
            violations.Add("attributes.service", "is required (or inherited from the event named by related_id)", ViolationReasons.Required);
        }
        else
        {
            MaxChars(a.Service, EventLimits.ShortTextChars, "attributes.service", violations);
        }

        DefinedEnum(a.Status, "attributes.status", violations);
        DefinedEnum(a.Environment, "attributes.environment", violations);
        DefinedEnum(a.Impact, "attributes.impact", violations);
        DefinedEnum(a.Severity, "attributes.severity", violations);

        var startValid = ValidTimestamp(a.StartDate, "attributes.start_date", violations);
        var endValid = ValidTimestamp(a.EndDate, "attributes.end_date", violations);
        if (startValid && endValid && a.StartDate is not null && a.EndDate is not null)
        {
            if (a.EndDate < a.StartDate)
            {
                violations.Add("attributes.end_date", "must not be before attributes.start_date", ViolationReasons.OutOfRange);
            }
            else if ((a.EndDate - a.StartDate).Seconds > EventLimits.DurationSeconds)
            {
                violations.Add("attributes.end_date", $"must be at most {EventLimits.DurationSeconds} seconds (about 8,000 years) after attributes.start_date", ViolationReasons.OutOfRange);
            }
        }

        MaxChars(a.Owner, EventLimits.ShortTextChars, "attributes.owner", violations);
        TextList(a.StakeHolders, "attributes.stake_holders", violations);
        TextList(a.Notifications, "attributes.notifications", violations);
        TextList(a.Arguments, "attributes.arguments", violations);
        MaxChars(a.Reason, EventLimits.ShortTextChars, "attributes.reason", violations);
        ValidateResources(a.Resources, violations);
        ValidateLabels(a.Labels, violations);
    }

    private static void ValidateLinks(EventLinks? links, Violations violations)
    {
        if (links is null)
        {
            return;
        }

        // Empty means unset: CI templates substitute an empty string when there is no pull request.
        if (links.PullRequestLink.Length > 0 && !IsHttpUrl(links.PullRequestLink))
        {
            violations.Add("links.pull_request_link", $"must be an absolute http or https URL of at most {EventLimits.UrlChars} characters", ViolationReasons.InvalidFormat);
        }

        MaxChars(links.Ticket, EventLimits.ShortTextChars, "links.ticket", violations);
    }

    private static void ValidateResources(RepeatedField<ResourceRef> resources, Violations violations)
    {
        if (resources.Count > EventLimits.ListItems)
        {
            violations.Add("attributes.resources", $"must have at most {EventLimits.ListItems} items", ViolationReasons.TooMany);
        }

        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            var path = $"attributes.resources[{i}]";
            if (r.Kind.Length == 0 && r.Id.Length == 0 && r.Name.Length == 0 && r.Namespace.Length == 0)
            {
                violations.Add(path, "must not be empty", ViolationReasons.Empty);
                continue;
            }

            MaxChars(r.Kind, EventLimits.ResourceKindChars, path + ".kind", violations);
            MaxChars(r.Id, EventLimits.ResourceTextChars, path + ".id", violations);
            MaxChars(r.Name, EventLimits.ResourceTextChars, path + ".name", violations);
            MaxChars(r.Namespace, EventLimits.ResourceTextChars, path + ".namespace", violations);
        }
    }

    private static void ValidateLabels(MapField<string, string> labels, Violations violations)
    {
        if (labels.Count > EventLimits.Labels)
        {
            violations.Add("attributes.labels", $"must have at most {EventLimits.Labels} entries", ViolationReasons.TooMany);
        }

        foreach (var (key, value) in labels)
        {
            var path = $"attributes.labels[{TextRules.QuoteForPath(key)}]";
            if (!IsLabelKey(key))
            {
                violations.Add(path, $"key must be 1 to {EventLimits.LabelKeyChars} characters of A-Z, a-z, 0-9, '.', '_', '/', '-'", ViolationReasons.InvalidFormat);
            }

            if (TextRules.IsLongerThan(value, EventLimits.LabelValueChars))
            {
                violations.Add(path, $"value must be at most {EventLimits.LabelValueChars} characters", ViolationReasons.TooLong);
            }
        }
    }

    private static void TextList(RepeatedField<string> items, string path, Violations violations)
    {
        if (items.Count > EventLimits.ListItems)
        {
            violations.Add(path, $"must have at most {EventLimits.ListItems} items", ViolationReasons.TooMany);
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Length == 0)
            {
                violations.Add($"{path}[{i}]", "must not be empty", ViolationReasons.Empty);
            }
            else
            {
                MaxChars(items[i], EventLimits.ListItemChars, $"{path}[{i}]", violations);
            }
        }
    }

    private static void MaxChars(string value, int max, string path, Violations violations)
    {
        if (TextRules.IsLongerThan(value, max))
        {
            violations.Add(path, $"must be at most {max} characters", ViolationReasons.TooLong);
        }
    }

    private static void DefinedEnum<TEnum>(TEnum value, string path, Violations violations)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            violations.Add(path, $"has no value {Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)}", ViolationReasons.UndefinedEnumValue);
        }
    }

    private static bool ValidTimestamp(Timestamp? t, string path, Violations violations)
    {
        if (t is null)
        {
            return true;
        }

        if (t.Seconds < MinTimestampSeconds || t.Seconds > MaxTimestampSeconds || t.Nanos < 0 || t.Nanos > 999_999_999)
        {
            violations.Add(path, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z", ViolationReasons.OutOfRange);
            return false;
        }

        return true;
    }

    // A UTF-16 unit takes at most 3 UTF-8 bytes, so short strings need no counting.
    private static bool ExceedsUtf8Bytes(string value, int maxBytes) =>
        (long)value.Length * 3 > maxBytes && TextRules.Utf8Bytes(value) > maxBytes;

    private static bool IsHttpUrl(string value)
    {
        if (value.Length > EventLimits.UrlChars || value.Any(char.IsWhiteSpace) || value.Any(char.IsControl))
        {
            return false;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0;
    }

    private static bool IsLabelKey(string key) =>
        key.Length is > 0 and <= EventLimits.LabelKeyChars
        && key.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '/' or '-');
}
