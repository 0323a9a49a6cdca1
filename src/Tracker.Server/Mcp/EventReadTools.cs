using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Tracker.Api.V1Alpha1;
using ApiEnvironment = Tracker.Api.V1Alpha1.Environment;

namespace Tracker.Server.Mcp;

/// <summary>
/// The MCP tools that read events. Each runs SearchEvents or GetEvent through the API's own
/// pipeline (<see cref="EventServiceCalls"/>), so it needs the scope "events:read" as they do; a
/// caller without it gets a tool error "PERMISSION_DENIED: SearchEvents needs the scope
/// \"events:read\" ...".
/// </summary>
[McpServerToolType]
internal sealed class EventReadTools(EventServiceCalls calls, TimeProvider time)
{
    /// <summary>The page size of the listing tools when none is given: small, as a model reads every event.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>The longest look-back of recent_changes, in hours: a year.</summary>
    public const double MaxHours = 24 * 366;

    private const string FilterHelp =
        "AIP-160 filter over the event's fields (proto names), e.g. `type=deployment AND service=\"payments-*\" AND severity>=warning`. "
        + "Operators = != < <= > >= and : (has), AND, OR, NOT, parentheses; text may end or start with * as a wildcard; "
        + "enums by short name (deployment, production, p1, error) or full name (TYPE_DEPLOYMENT); times quoted RFC 3339 "
        + "(`created_at>\"2026-12-07T10:00:00Z\"`). Fields: title, message, source, type, priority, service, status, environment, "
        + "impact, start_date, end_date, owner, severity, reason, code, labels.<key>, resources.kind/id/name/namespace, created_at, updated_at.";

    private const string PageSizeHelp =
        "Events per page, 1 to 1000; default 20. A larger number is lowered to 1000, as the API lowers page_size (AIP-158); a negative one is refused.";

    private const string StartDateHelp =
        "Only events whose time (start_date, else created_at) is at or after this: RFC 3339 with an offset (2026-12-07T08:00:00Z) or a date (2026-12-07, from 00:00 UTC).";

    private const string EndDateHelp =
        "Only events whose time is at or before this: RFC 3339 with an offset (2026-12-07T18:00:00Z) or a date (2026-12-07, through the end of that UTC day).";

    [ToolRuns(nameof(EventService.EventServiceBase.SearchEvents))]
    [McpServerTool(Name = "search_events", Title = "Search events", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description(
        "Finds Tracker events (deployments, operations, incidents, drift, automation runs) matching a filter, full-text words and a time range, "
        + "newest first unless order_by says otherwise. Returns JSON {events: [...], totalCount, totalCountRelation, nextPageToken}; "
        + "pass nextPageToken back as page_token for the next page (empty on the last one). Needs the scope events:read.")]
    public async Task<CallToolResult> SearchEvents(
        [Description(FilterHelp)] string? filter = null,
        [Description("Full-text words: every word must start a word of the title or message, case-insensitively, e.g. `rollback checkout`.")] string? q = null,
        [Description(StartDateHelp)] string? start_date = null,
        [Description(EndDateHelp)] string? end_date = null,
        [Description("Sort keys, comma-separated, each optionally followed by asc or desc, e.g. `severity desc, start_date desc`; start_date is the event time. Default: created_at desc (newest first).")] string? order_by = null,
        [Description(PageSizeHelp)] int? page_size = null,
        [Description("The nextPageToken of the previous page of the same search, to continue it.")] string? page_token = null,
        CancellationToken cancellationToken = default)
    {
        var request = new SearchEventsRequest
        {
            Filter = filter ?? string.Empty,
            Q = q ?? string.Empty,
            StartDate = start_date ?? string.Empty,
            EndDate = end_date ?? string.Empty,
            OrderBy = order_by ?? string.Empty,
            PageSize = page_size ?? DefaultPageSize,
            PageToken = page_token ?? string.Empty,
        };
        return McpToolResults.Ok(await calls.SearchAsync(request, cancellationToken).ConfigureAwait(false));
    }

    [ToolRuns(nameof(EventService.EventServiceBase.GetEvent))]
    [McpServerTool(Name = "get_event", Title = "Get an event", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Gets one Tracker event by its id, as JSON with its title, attributes (type, service, environment, status, severity, dates, labels, ...), links, created/updated times and who made them. Needs the scope events:read.")]
    public async Task<CallToolResult> GetEvent(
        [Description("The event's id: a UUIDv7 such as 019aa3b2-7c4e-7d21-9a51-3c0f2b8e4d11, as search_events and recent_changes return it.")] string id,
        CancellationToken cancellationToken = default)
    {
        return McpToolResults.Ok(await calls.GetAsync(new GetEventRequest { Id = id }, cancellationToken).ConfigureAwait(false));
    }

    [ToolRuns(nameof(EventService.EventServiceBase.SearchEvents))]
    [McpServerTool(Name = "recent_changes", Title = "What changed recently", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description(
        "Answers \"what changed in this environment in the last N hours?\": the events of one environment (optionally one service) created or updated "
        + "in the last `hours`, most recently changed first. Returns JSON {since, events: [...], totalCount, totalCountRelation, nextPageToken}; "
        + "since is the start of the window (RFC 3339, UTC). For the next page, call again with the same environment, hours and service and "
        + "page_token set to nextPageToken (empty on the last page): the token keeps the first page's window, however much later you ask. "
        + "Deleted events are not listed. Needs the scope events:read.")]
    public async Task<CallToolResult> RecentChanges(
        [Description("The environment: one of development, integration, tnr, uat, recette, preproduction, production, mco (or the full name, e.g. ENVIRONMENT_PRODUCTION).")] string environment,
        [Description("How far back to look, in hours, more than 0 and at most 8784 (a year); fractions allowed, e.g. 2 or 0.5.")] double hours,
        [Description("Only this service's events, e.g. payments-api (exact name).")] string? service = null,
        [Description(PageSizeHelp)] int? page_size = null,
        [Description("The nextPageToken of the previous page, to continue; pass the same environment, hours and service. The window (since) stays the first page's.")] string? page_token = null,
        CancellationToken cancellationToken = default)
    {
        var problems = new ToolArgumentProblems();
        var parsed = ProtoEnumArgument<ApiEnvironment>.Parse(environment, nameof(environment), problems);
        if (parsed is null && !problems.Any)
        {
            problems.Add(nameof(environment), "is required");
        }

        if (!(hours > 0 && hours <= MaxHours))
        {
            problems.Add(nameof(hours), $"must be more than 0 and at most {MaxHours.ToString(CultureInfo.InvariantCulture)} (a year)");
        }

        // A later page keeps the first page's window: its token carries since.
        var token = RecentChangesToken.Read(page_token, nameof(page_token), problems);
        if (problems.Any)
        {
            return McpToolResults.Failed(problems);
        }

        var since = token?.Since ?? RecentChangesToken.WholeSeconds(time.GetUtcNow().AddHours(-hours));
        var sinceText = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var request = new SearchEventsRequest
        {
            Environment = parsed!.Value,
            Service = service ?? string.Empty,
            Filter = $"updated_at>=\"{sinceText}\"",
            OrderBy = "updated_at desc",
            PageSize = page_size ?? DefaultPageSize,
            PageToken = token?.SearchToken ?? string.Empty,
        };
        var response = await calls.SearchAsync(request, cancellationToken).ConfigureAwait(false);
        response.NextPageToken = RecentChangesToken.Write(since, response.NextPageToken);
        return McpToolResults.Ok(response, new JsonObject { ["since"] = sinceText });
    }

    [ToolRuns(nameof(EventService.EventServiceBase.SearchEvents))]
    [McpServerTool(Name = "count_events", Title = "Count events by type and service", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description(
        "Counts the events matching a filter, full-text words and a time range, by type and by service, e.g. how many deployments each service had this week. "
        + "Returns JSON {total, totalRelation, counted, complete, byType: {TYPE_DEPLOYMENT: n, ...}, byService: {name: n, ...}, byTypeAndService: [{type, service, count}, ...]} "
        + "with the largest counts first. At most the 10,000 newest matching events are counted: when complete is false, narrow the time range or the filter. "
        + "Needs the scope events:read.")]
    public async Task<CallToolResult> CountEvents(
        [Description(FilterHelp)] string? filter = null,
        [Description("Full-text words: every word must start a word of the title or message, case-insensitively.")] string? q = null,
        [Description(StartDateHelp)] string? start_date = null,
        [Description(EndDateHelp)] string? end_date = null,
        CancellationToken cancellationToken = default)
    {
        var request = new SearchEventsRequest
        {
            Filter = filter ?? string.Empty,
            Q = q ?? string.Empty,
            StartDate = start_date ?? string.Empty,
            EndDate = end_date ?? string.Empty,
        };
        var counts = await EventCounts.CountAsync(calls, request, cancellationToken).ConfigureAwait(false);
        return McpToolResults.Ok(counts.ToJson());
    }
}
