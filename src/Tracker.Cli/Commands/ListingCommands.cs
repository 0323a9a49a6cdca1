using Google.Protobuf;
using System.CommandLine;
using Tracker.Api.V1Alpha1;
using Tracker.Cli.Options;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Cli.Commands;

/// <summary>
/// <c>tracker events list|search</c>: a page of events (ListEvents, SearchEvents). The flags are
/// the request fields in kebab-case (<c>--page-size</c> is page_size), so the README's
/// "Searching" applies to them as written.
/// </summary>
internal static class ListingCommands
{
    public static Command List(CommandRunner runner)
    {
        var paging = new ListingOptions();
        var command = new Command("list", "Print a page of events, newest first unless --order-by says otherwise (ListEvents).");
        paging.AddTo(command);
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var request = new ListEventsRequest();
            paging.ApplyTo(parse, request);
            var page = await connection.Events.ListEventsAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WritePageAsync(page, page.Events, page.TotalCount, page.TotalCountRelation, page.NextPageToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Search(CommandRunner runner)
    {
        var paging = new ListingOptions();
        var source = Text("--source", "Only events from this source.");
        var type = ProtoEnumOption.Create<Type>("--type", "Only events of this type.");
        var priority = ProtoEnumOption.Create<Priority>("--priority", "Only events of this priority.");
        var status = ProtoEnumOption.Create<Status>("--status", "Only events in this status.");
        var service = Text("--service", "Only events of this service.");
        var startDate = Text("--start-date", "Only events at or after this time: RFC 3339, or YYYY-MM-DD for the start of that day (UTC).");
        var endDate = Text("--end-date", "Only events at or before this time: RFC 3339, or YYYY-MM-DD for the whole of that day (UTC).");
        var environment = ProtoEnumOption.Create<Api.V1Alpha1.Environment>("--environment", "Only events in this environment.");
        var impact = ProtoEnumOption.Create<Impact>("--impact", "Only events with this impact.");
        var owner = Text("--owner", "Only events owned by this team or person.");
        var command = new Command("search", "Print a page of the events that match every flag given, ANDed with --filter (SearchEvents).")
        {
            source, type, priority, status, service, startDate, endDate, environment, impact, owner,
        };
        paging.AddTo(command);
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var request = new SearchEventsRequest
            {
                Source = parse.GetValue(source) ?? "",
                Type = parse.GetValue(type) ?? Type.Unspecified,
                Priority = parse.GetValue(priority) ?? Priority.Unspecified,
                Status = parse.GetValue(status) ?? Status.Unspecified,
                Service = parse.GetValue(service) ?? "",
                StartDate = parse.GetValue(startDate) ?? "",
                EndDate = parse.GetValue(endDate) ?? "",
                Environment = parse.GetValue(environment) ?? Api.V1Alpha1.Environment.Unspecified,
                Impact = parse.GetValue(impact) ?? Impact.Unspecified,
                Owner = parse.GetValue(owner) ?? "",
            };
            paging.ApplyTo(parse, request);
            var page = await connection.Events.SearchEventsAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WritePageAsync(page, page.Events, page.TotalCount, page.TotalCountRelation, page.NextPageToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // A count flag of at least 1: 0 or less is refused here rather than read as "the default".
    private static Option<int> Count(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "number",
        CustomParser = result => ValueParsers.WholeNumber(result, name, minimum: 1),
    };

    private static Option<string?> Text(string name, string description) => new(name) { Description = description, HelpName = "text" };

    /// <summary>The query and paging flags of list and search, named after ListEventsRequest's fields.</summary>
    private sealed class ListingOptions
    {
        public Option<string?> Filter { get; } = Text("--filter", "An AIP-160 filter, e.g. 'environment=ENVIRONMENT_PRODUCTION AND service=\"pay*\"' (README, \"Searching\").");

        public Option<string?> Query { get; } = Text("--query", "The same as MongoDB-style JSON (the MWS dialect), e.g. '{\"service\":\"api\"}'. Not with --filter.");

        public Option<string?> Q { get; } = Text("--q", "Full text: every word must start a word of the title or message.");

        public Option<string?> OrderBy { get; } = Text("--order-by", "Comma-separated keys with asc or desc, e.g. 'severity desc, start_date desc'. Default newest first.");

        public Option<int> PageSize { get; } = Count("--page-size", "Token paging: events per page, default 50; the server lowers a number above 1000 to 1000 (AIP-158).");

        public Option<string?> PageToken { get; } = Text("--page-token", "Token paging: the next page token printed by the previous page of the same query.");

        public Option<int> PerPage { get; } = Count("--per-page", "Page-number paging: events per page, default 50; the server lowers a number above 1000 to 1000.");

        public Option<int> Page { get; } = Count("--page", "Page-number paging: the page number, from 1.");

        public Option<string?> AfterId { get; } = Text("--after-id", "Only events created after the event with this id, oldest first (polling).");

        public Option<bool> ExactTotalCount { get; } = new("--exact-total-count") { Description = "Count every match exactly, past the server's count limit (slower)." };

        /// <summary>
        /// Sets the listing fields that ListEventsRequest and SearchEventsRequest share, by their
        /// proto names, so that the two commands cannot drift apart.
        /// </summary>
        public void ApplyTo(ParseResult parse, IMessage request)
        {
            Set(request, "filter", parse.GetValue(Filter) ?? "");
            Set(request, "query", parse.GetValue(Query) ?? "");
            Set(request, "q", parse.GetValue(Q) ?? "");
            Set(request, "order_by", parse.GetValue(OrderBy) ?? "");
            Set(request, "page_size", parse.GetValue(PageSize));
            Set(request, "page_token", parse.GetValue(PageToken) ?? "");
            Set(request, "per_page", parse.GetValue(PerPage));
            Set(request, "page", parse.GetValue(Page));
            Set(request, "after_id", parse.GetValue(AfterId) ?? "");
            Set(request, "exact_total_count", parse.GetValue(ExactTotalCount));
        }

        private static void Set(IMessage request, string field, object value) =>
            (request.Descriptor.FindFieldByName(field) ?? throw new InvalidOperationException($"{request.Descriptor.Name} has no field {field}."))
                .Accessor.SetValue(request, value);

        public void AddTo(Command command)
        {
            // Two ways of paging: a request takes one, else which one is meant is a guess.
            command.Validators.Add(result =>
            {
                var tokenPaging = result.GetResult(PageSize) is { Implicit: false } || result.GetResult(PageToken) is { Implicit: false };
                var numberPaging = result.GetResult(PerPage) is { Implicit: false } || result.GetResult(Page) is { Implicit: false };
                if (tokenPaging && numberPaging)
                {
                    result.AddError("--page-size/--page-token (token paging) and --per-page/--page (page-number paging) cannot be mixed: use one or the other.");
                }
            });

            foreach (Option option in (Option[])[Filter, Query, Q, OrderBy, PageSize, PageToken, PerPage, Page, AfterId, ExactTotalCount])
            {
                command.Add(option);
            }
        }
    }
}
