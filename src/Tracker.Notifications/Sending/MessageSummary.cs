using Google.Protobuf.Reflection;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// What the Slack and email messages say about one change, in words: the change ("Created"),
/// the event's type and status ("Deployment succeeded"), where ("checkout/production") and the
/// link to it in the web UI (PublicUrl + "/?event={id}", the detail view's address). Labels are
/// the web UI's (js/enums.js): the value's name as words, except where people say it otherwise.
/// </summary>
internal sealed class MessageSummary
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["TYPE_RPA_USAGE"] = "Automation run",
        ["STATUS_START"] = "Started",
        ["STATUS_CLOSE"] = "Closed",
        ["STATUS_WAITING_APPROVAL"] = "Waiting for approval",
        ["ENVIRONMENT_PREPRODUCTION"] = "Pre-production",
        ["ENVIRONMENT_UAT"] = "UAT",
        ["ENVIRONMENT_TNR"] = "TNR",
        ["ENVIRONMENT_MCO"] = "MCO",
    };

    /// <summary>The status as the end of a sentence that starts with the type: "Deployment succeeded".</summary>
    private static readonly Dictionary<Api.V1Alpha1.Status, string> StatusPhrases = new()
    {
        [Api.V1Alpha1.Status.Start] = "started",
        [Api.V1Alpha1.Status.Success] = "succeeded",
        [Api.V1Alpha1.Status.Failure] = "failed",
        [Api.V1Alpha1.Status.Warning] = "completed with warnings",
        [Api.V1Alpha1.Status.Error] = "in error",
        [Api.V1Alpha1.Status.Open] = "opened",
        [Api.V1Alpha1.Status.Close] = "closed",
        [Api.V1Alpha1.Status.Done] = "done",
        [Api.V1Alpha1.Status.InProgress] = "in progress",
        [Api.V1Alpha1.Status.Planned] = "planned",
        [Api.V1Alpha1.Status.WaitingApproval] = "waiting for approval",
    };

    public MessageSummary(WebhookPayload payload, string? publicUrl)
    {
        Event = payload.Event ?? new Event();
        var attributes = Event.Attributes ?? new EventAttributes();
        Attributes = attributes;
        Links = Event.Links ?? new EventLinks();
        IsTest = payload.Test;
        Change = Label(payload.ChangeType);
        ChangeId = payload.ChangeId;
        Type = attributes.HasType ? Label(attributes.Type) : string.Empty;
        Status = attributes.HasStatus ? Label(attributes.Status) : string.Empty;
        var statusPhrase = attributes.HasStatus && StatusPhrases.TryGetValue(attributes.Status, out var phrase) ? phrase : Status.ToLowerInvariant();
        Headline = string.Join(' ', new[] { Type.Length > 0 ? Type : "Event", statusPhrase }.Where(part => part.Length > 0));
        Environment = attributes.HasEnvironment ? Label(attributes.Environment) : string.Empty;
        var shortEnvironment = attributes.HasEnvironment && attributes.Environment != Api.V1Alpha1.Environment.Unspecified
            ? ShortName(attributes.Environment)
            : string.Empty;
        Where = shortEnvironment.Length > 0 ? $"{attributes.Service}/{shortEnvironment}" : attributes.Service;
        Priority = attributes.HasPriority ? Label(attributes.Priority) : string.Empty;
        Severity = attributes.HasSeverity ? Label(attributes.Severity) : string.Empty;
        EventUrl = string.IsNullOrEmpty(publicUrl) || string.IsNullOrEmpty(Event.Id)
            ? null
            : $"{publicUrl.TrimEnd('/')}/?event={Uri.EscapeDataString(Event.Id)}";
        PullRequestUrl = Links.HasPullRequestLink && Uri.TryCreate(Links.PullRequestLink, UriKind.Absolute, out var link) && link.Scheme is "http" or "https"
            ? Links.PullRequestLink
            : null;
    }

    public Event Event { get; }

    public EventAttributes Attributes { get; }

    public EventLinks Links { get; }

    public bool IsTest { get; }

    /// <summary>"Created", "Updated" or "Deleted".</summary>
    public string Change { get; }

    public string ChangeId { get; }

    /// <summary>"Deployment"; empty when unset.</summary>
    public string Type { get; }

    /// <summary>"Success"; empty when unset.</summary>
    public string Status { get; }

    /// <summary>The type and the status as a phrase: "Deployment succeeded".</summary>
    public string Headline { get; }

    /// <summary>"Production"; empty when unset.</summary>
    public string Environment { get; }

    /// <summary>The service and the environment's short name: "checkout/production", or "checkout".</summary>
    public string Where { get; }

    /// <summary>"P1"; empty when unset.</summary>
    public string Priority { get; }

    /// <summary>"Alert"; empty when unset.</summary>
    public string Severity { get; }

    /// <summary>The event in the web UI, when Notifications:PublicUrl is set.</summary>
    public string? EventUrl { get; }

    /// <summary>The pull request link when it is an absolute http(s) URL.</summary>
    public string? PullRequestUrl { get; }

    /// <summary>"PROJ-456"; empty when unset.</summary>
    public string Ticket => Links.HasTicket ? Links.Ticket : string.Empty;

    /// <summary>The label of an enum value, as the web UI shows it: TYPE_DEPLOYMENT is "Deployment", STATUS_IN_PROGRESS "In progress".</summary>
    public static string Label<T>(T value)
        where T : struct, Enum
    {
        var name = OriginalName(value);
        if (name is null || name.EndsWith("_UNSPECIFIED", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        if (Labels.TryGetValue(name, out var label))
        {
            return label;
        }

        var words = ShortName(value).Replace('_', ' ');
        return words.Length == 0 ? string.Empty : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>The value's name without its prefix, lower case: ENVIRONMENT_PRODUCTION is "production".</summary>
    private static string ShortName<T>(T value)
        where T : struct, Enum
    {
        var name = OriginalName(value) ?? string.Empty;
        var underscore = typeof(T) == typeof(ChangeType) ? "CHANGE_TYPE_".Length : name.IndexOf('_', StringComparison.Ordinal) + 1;
        return name[underscore..].ToLowerInvariant();
    }

    private static string? OriginalName<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttributes(typeof(OriginalNameAttribute), false) is [OriginalNameAttribute attribute, ..]
            ? attribute.Name
            : null;
}
