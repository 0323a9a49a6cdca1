using System.ComponentModel;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Tracker.Api.V1Alpha1;
using ApiEnvironment = Tracker.Api.V1Alpha1.Environment;
using EventStatus = Tracker.Api.V1Alpha1.Status;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Server.Mcp;

/// <summary>
/// The MCP tool that records an event: CreateEvent through the API's own pipeline
/// (<see cref="EventServiceCalls"/>), so it needs the scope "events:write" and the caller's
/// services as CreateEvent does, and its validation errors are CreateEvent's. A caller without
/// the scope gets the tool error "PERMISSION_DENIED: CreateEvent needs the scope
/// \"events:write\" (or \"admin\") ...".
/// </summary>
[McpServerToolType]
internal sealed class EventWriteTools(EventServiceCalls calls)
{
    [ToolRuns(nameof(EventService.EventServiceBase.CreateEvent))]
    [McpServerTool(Name = "create_event", Title = "Record an event", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description(
        "Records a new Tracker event, e.g. a deployment that started, a manual operation or an incident, and returns it as JSON with its id. "
        + "title, type and service are required. Give request_id to make retries safe: the same request_id returns the event already made. "
        + "Needs the scope events:write, and a caller limited to some services may only record events of those.")]
    public async Task<CallToolResult> CreateEvent(
        [Description("Short, descriptive title, 1 to 500 characters, e.g. `Deploy payments-api 2.4.1`.")] string title,
        [Description("What happened: deployment, operation, drift, incident or rpa_usage (or the full name, e.g. TYPE_DEPLOYMENT).")] string type,
        [Description("The service it happened to, e.g. payments-api.")] string service,
        [Description("Where: development, integration, tnr, uat, recette, preproduction, production or mco.")] string? environment = null,
        [Description("Its state: start, success, failure, warning, error, open, close, done, in_progress, planned or waiting_approval.")] string? status = null,
        [Description("Priority: p1 (highest) to p5.")] string? priority = null,
        [Description("Severity: normal, warning, error or alert.")] string? severity = null,
        [Description("Impact: low, medium or high.")] string? impact = null,
        [Description("What happened, in a sentence or a few lines.")] string? message = null,
        [Description("What reported it, e.g. github-actions, jenkins or an agent's name.")] string? source = null,
        [Description("The team or person responsible, e.g. team-payments.")] string? owner = null,
        [Description("A short machine-readable reason, e.g. ScalingReplicaSet.")] string? reason = null,
        [Description("When it started: RFC 3339 with an offset, e.g. 2026-12-07T14:30:00Z; default now (the event's created_at).")] string? start_date = null,
        [Description("When it ended: RFC 3339 with an offset, not before start_date.")] string? end_date = null,
        [Description("Labels as a JSON object of strings, e.g. {\"version\": \"2.4.1\", \"team\": \"payments\"}.")] Dictionary<string, string>? labels = null,
        [Description("A key of your choosing, at most 128 characters, that makes this create idempotent: a retry with the same request_id returns the first event.")] string? request_id = null,
        CancellationToken cancellationToken = default)
    {
        var problems = new ToolArgumentProblems();
        var attributes = new EventAttributes { Service = service };
        attributes.Type = ProtoEnumArgument<EventType>.Parse(type, nameof(type), problems) ?? EventType.Unspecified;
        if (ProtoEnumArgument<ApiEnvironment>.Parse(environment, nameof(environment), problems) is { } parsedEnvironment)
        {
            attributes.Environment = parsedEnvironment;
        }

        if (ProtoEnumArgument<EventStatus>.Parse(status, nameof(status), problems) is { } parsedStatus)
        {
            attributes.Status = parsedStatus;
        }

        if (ProtoEnumArgument<Priority>.Parse(priority, nameof(priority), problems) is { } parsedPriority)
        {
            attributes.Priority = parsedPriority;
        }

        if (ProtoEnumArgument<Severity>.Parse(severity, nameof(severity), problems) is { } parsedSeverity)
        {
            attributes.Severity = parsedSeverity;
        }

        if (ProtoEnumArgument<Impact>.Parse(impact, nameof(impact), problems) is { } parsedImpact)
        {
            attributes.Impact = parsedImpact;
        }

        SetIfGiven(message, value => attributes.Message = value);
        SetIfGiven(source, value => attributes.Source = value);
        SetIfGiven(owner, value => attributes.Owner = value);
        SetIfGiven(reason, value => attributes.Reason = value);
        attributes.StartDate = Time(start_date, nameof(start_date), problems);
        attributes.EndDate = Time(end_date, nameof(end_date), problems);
        if (labels is not null)
        {
            attributes.Labels.Add(labels);
        }

        if (problems.Any)
        {
            return McpToolResults.Failed(problems);
        }

        var request = new CreateEventRequest { Title = title, Attributes = attributes, RequestId = request_id ?? string.Empty };
        return McpToolResults.Ok(await calls.CreateAsync(request, cancellationToken).ConfigureAwait(false));
    }

    private static void SetIfGiven(string? value, Action<string> set)
    {
        if (value is not null)
        {
            set(value);
        }
    }

    /// <summary>A time as proto3 JSON writes a Timestamp (RFC 3339 with an offset), read by Google.Protobuf's own parser.</summary>
    private static Timestamp? Time(string? text, string argument, ToolArgumentProblems problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonParser.Default.Parse<Timestamp>(JsonFormatter.ToDiagnosticString(new StringValue { Value = text.Trim() }));
        }
        catch (InvalidProtocolBufferException)
        {
            problems.Add(argument, "must be an RFC 3339 time with an offset, e.g. 2026-12-07T14:30:00Z");
            return null;
        }
    }
}
