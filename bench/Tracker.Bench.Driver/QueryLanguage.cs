using System.Globalization;
using System.Text.Json.Nodes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Hosting;
using Tracker.Events.Storage;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario h (README, "Searching"): ListEvents with the query language over the generated events,
/// a page of 50, each request also run as the store's own SQL. The SQL side gets the criteria
/// the domain makes of the same request: the filter's expression tree from FilterParser, q's
/// words from FullTextWords, after_id's commit position (the event's seq, which the SQL side
/// looks up with the store's statement first, as Tracker does), in the order ListEvents uses
/// (newest first; commit order with after_id), with the count limit the server applies by
/// default (<see cref="CountLimit"/>). The kinds, each what a platform team asks of its events:
/// <list type="bullet">
/// <item><c>filter-or</c>, a three-term filter with an OR: one service's incidents and drift in
/// production. Services drawn with the data's Zipf popularity.</item>
/// <item><c>filter-label</c>, a label: the events of one release of a service (its version
/// label), the pair taken from a stored event.</item>
/// <item><c>fulltext</c>, q: a service and a release typed as one would search for a deployment
/// ("checkout v4.12.0", four words, each a prefix), taken from a stored deployment.</item>
/// <item><c>fulltext-common</c>, q=<see cref="CommonWord"/>, a message word in about half of the events.</item>
/// <item><c>fulltext-rare</c>, q=<see cref="EventFactory.RareWord"/>, in <see cref="EventFactory.RareWordEvents"/> events.</item>
/// <item><c>fulltext-absent</c>, q=<see cref="EventFactory.AbsentWord"/>, in none.</item>
/// <item><c>fulltext-prefix</c>, q=<see cref="PrefixWord"/>, two letters that start words of most events.</item>
/// <item><c>after-id</c>: a poller a little behind, after_id one of the last 1,000 events.</item>
/// </list>
/// Each kind but the two filters (which name a service already) also comes with
/// <c>filter=service="..."</c> added, as <c>&lt;kind&gt;-service</c>: the deployment's own service for
/// <c>fulltext</c>, the service of an event that has the word for <c>fulltext-rare</c>, else a
/// service drawn with the data's popularity. The stored events are picked by seq with a seeded
/// random, so a seed gives the same requests over the same data.
/// </summary>
internal static class QueryLanguage
{
    public const string ListEvents = "/tracker.event.v1alpha1.EventService/ListEvents";
    public const int PageSize = 50;

    /// <summary>
    /// The count limit of the SQL side's queries: the server's default Tracker:Search:CountLimit
    /// (README, "Searching"), which ListEvents applies when a request does not ask for an exact total.
    /// </summary>
    public const long CountLimit = SearchOptions.DefaultCountLimit;

    /// <summary>How far behind a poller is: its after_id is one of the last this many events.</summary>
    public const int PollWindow = 1000;

    /// <summary>A message word of the generated data (EventFactory's vocabulary of 52), in about half of the events.</summary>
    public const string CommonWord = "rollback";

    /// <summary>Two letters that start canary, cache, catalog and cart: a word of about 85% of the events.</summary>
    public const string PrefixWord = "ca";

    /// <summary>The suffix of a kind that adds a service filter to its base kind.</summary>
    public const string ServiceSuffix = "-service";

    /// <summary>How many stored events the label and full-text requests are taken from.</summary>
    private const int SampledEvents = 4000;

    /// <summary>Every kind, in the report's order: each base kind, then its service-filtered form.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "filter-or", "filter-label",
        "fulltext", "fulltext" + ServiceSuffix,
        "fulltext-common", "fulltext-common" + ServiceSuffix,
        "fulltext-rare", "fulltext-rare" + ServiceSuffix,
        "fulltext-absent", "fulltext-absent" + ServiceSuffix,
        "fulltext-prefix", "fulltext-prefix" + ServiceSuffix,
        "after-id", "after-id" + ServiceSuffix,
    ];

    public static bool IsKind(string kind) => Kinds.Contains(kind);

    /// <summary>Whether every request of a kind must match nothing (the word no event has).</summary>
    public static bool MatchesNothing(string kind) => kind.StartsWith("fulltext-absent", StringComparison.Ordinal);

    /// <summary>What each kind asks, for the report.</summary>
    public static string Describe(string kind)
    {
        var withService = kind.EndsWith(ServiceSuffix, StringComparison.Ordinal);
        var baseKind = withService ? kind[..^ServiceSuffix.Length] : kind;
        var asks = baseKind switch
        {
            "filter-or" => "filter=service=\"<service>\" AND (type=TYPE_INCIDENT OR type=TYPE_DRIFT) AND environment=ENVIRONMENT_PRODUCTION",
            "filter-label" => "filter=service=\"<service>\" AND labels.version=\"<version>\" (of a stored event)",
            "fulltext" => "q=<service> v<version> (of a stored deployment)",
            "fulltext-common" => $"q={CommonWord} (a common word)",
            "fulltext-rare" => $"q={EventFactory.RareWord} (a rare word, in {EventFactory.RareWordEvents} events)",
            "fulltext-absent" => $"q={EventFactory.AbsentWord} (a word no event has)",
            "fulltext-prefix" => $"q={PrefixWord} (a two-letter prefix)",
            "after-id" => $"after_id=<one of the last {PollWindow.ToString("#,0", CultureInfo.InvariantCulture)} events>",
            _ => throw new ArgumentException($"no query-language kind '{kind}'", nameof(kind)),
        };
        return withService ? asks + " and filter=service=\"<service>\"" : asks;
    }

    public static async Task<List<ListCase>> CasesAsync(string kind, DirectSql direct, IEventStore store, int seed, int count)
    {
        if (!IsKind(kind))
        {
            throw new ArgumentException($"no query-language kind '{kind}'", nameof(kind));
        }

        var random = new Random(seed);
        var factory = new EventFactory(seed);
        var withService = kind.EndsWith(ServiceSuffix, StringComparison.Ordinal);
        var baseKind = withService ? kind[..^ServiceSuffix.Length] : kind;
        string ServiceFilter(string service) => withService ? $"service=\"{service}\"" : "";
        var cases = new List<ListCase>(count);
        switch (baseKind)
        {
            case "filter-or":
                while (cases.Count < count)
                {
                    cases.Add(Case($"service=\"{factory.NextService()}\" AND (type=TYPE_INCIDENT OR type=TYPE_DRIFT) AND environment=ENVIRONMENT_PRODUCTION"));
                }

                break;
            case "filter-label" or "fulltext":
                var last = await direct.LastSequenceAsync();
                var seqs = Enumerable.Range(0, SampledEvents).Select(_ => random.NextInt64(1, last + 1)).ToHashSet();
                var sampled = await direct.EventsAtAsync(seqs);
                var fulltext = baseKind == "fulltext";
                var picked = sampled
                    .Where(e => e.Attributes.Labels.ContainsKey("version") && (!fulltext || e.Attributes.Type == Api.V1Alpha1.Type.Deployment))
                    .OrderBy(_ => random.Next())
                    .ToList();
                if (picked.Count == 0)
                {
                    throw new InvalidOperationException($"none of {sampled.Count} sampled events has a version label{(fulltext ? " and is a deployment" : "")}");
                }

                while (cases.Count < count)
                {
                    var e = picked[cases.Count % picked.Count];
                    var version = e.Attributes.Labels["version"];
                    cases.Add(fulltext
                        ? Case(filter: ServiceFilter(e.Attributes.Service), q: $"{e.Attributes.Service} v{version}")
                        : Case($"service=\"{e.Attributes.Service}\" AND labels.version=\"{version}\""));
                }

                break;
            case "fulltext-rare":
                // The services of the events that have the word, found with the store itself:
                // a service filter that leaves some of them.
                var withWord = await store.QueryAsync(new EventQuery(new EventCriteria(new AllOf([]), [EventFactory.RareWord]), EventOrder.NewestFirst, 100), CancellationToken.None);
                var services = withWord.Events.Select(e => e.Attributes.Service).Distinct().Order(StringComparer.Ordinal).ToList();
                if (services.Count == 0)
                {
                    throw new InvalidOperationException($"no event has '{EventFactory.RareWord}': the data was generated before it was added (regenerate it)");
                }

                while (cases.Count < count)
                {
                    cases.Add(Case(filter: ServiceFilter(services[random.Next(services.Count)]), q: EventFactory.RareWord));
                }

                break;
            case "fulltext-common" or "fulltext-absent" or "fulltext-prefix":
                var word = baseKind switch { "fulltext-common" => CommonWord, "fulltext-absent" => EventFactory.AbsentWord, _ => PrefixWord };
                while (cases.Count < count)
                {
                    cases.Add(Case(filter: ServiceFilter(factory.NextService()), q: word));
                }

                break;
            case "after-id":
                var latest = await direct.LatestAsync(PollWindow);
                while (cases.Count < count)
                {
                    var (id, seq) = latest[random.Next(latest.Count)];
                    cases.Add(Case(filter: ServiceFilter(factory.NextService()), afterId: id, afterSequence: seq));
                }

                break;
        }

        return cases;
    }

    /// <summary>
    /// Checks that ListEvents answers each request with exactly the page and total the store
    /// class gives in this process (and the count's relation, once the response has it), that
    /// the store's SQL run directly (when <paramref name="direct"/> can build it) finds the same
    /// page and a count that agrees (equal when exact, past it when the count limit was reached),
    /// and that after_id names the position the SQL side uses; returns what was asked and how
    /// many events the requests matched, for the report.
    /// </summary>
    public static async Task<JsonObject> CheckAsync(string kind, IEnumerable<ListCase> cases, GrpcClient client, DirectSql? direct, IEventStore store)
    {
        var totals = new List<long>();
        var atLeast = 0;
        ListCase? first = null;
        var relation = ListEventsResponse.Descriptor.FindFieldByName("total_count_relation");
        foreach (var c in cases)
        {
            first ??= c;
            var viaGrpc = await client.CallAsync(ListEvents, c.Request, ListEventsResponse.Parser);
            var page = await StoreAsync(store, c);
            var storeIds = page.Events.Select(e => e.Id).ToList();
            if (viaGrpc.TotalCount != page.TotalCount || !viaGrpc.Events.Select(e => e.Id).SequenceEqual(storeIds))
            {
                throw new InvalidOperationException($"ListEvents {c} returned {viaGrpc.TotalCount} / {viaGrpc.Events.Count} events, the store class {page.TotalCount} / {storeIds.Count}");
            }

            if (relation is not null)
            {
                var name = relation.EnumType.FindValueByNumber(Convert.ToInt32(relation.Accessor.GetValue(viaGrpc), CultureInfo.InvariantCulture))?.Name ?? "?";
                if (name.EndsWith("AT_LEAST", StringComparison.Ordinal) == page.TotalCountExact)
                {
                    throw new InvalidOperationException($"ListEvents {c} said its total {viaGrpc.TotalCount} is {name}; the store class says exact: {page.TotalCountExact}");
                }
            }

            if (direct is not null)
            {
                if (c.Request.AfterId.Length > 0 && await direct.FindSequenceAsync(c.Request.AfterId) != c.Query.Criteria.AfterSequence)
                {
                    throw new InvalidOperationException($"after_id {c.Request.AfterId} is not at seq {c.Query.Criteria.AfterSequence}");
                }

                var (counted, ids) = await direct.SearchIdsAsync(c.Query);
                var countAgrees = page.TotalCountExact ? counted == page.TotalCount : counted >= page.TotalCount;
                if (!countAgrees || !ids.SequenceEqual(storeIds))
                {
                    throw new InvalidOperationException($"ListEvents {c} returned {viaGrpc.TotalCount} ({(page.TotalCountExact ? "exact" : "at least")}) / {storeIds.Count} events, the SQL {counted} / {ids.Count}");
                }
            }

            totals.Add(page.TotalCount);
            atLeast += page.TotalCountExact ? 0 : 1;
        }

        if (first is null)
        {
            throw new InvalidOperationException($"no {kind} request was checked");
        }

        if (MatchesNothing(kind) ? totals.Any(t => t != 0) : totals.All(t => t == 0))
        {
            throw new InvalidOperationException(MatchesNothing(kind)
                ? $"a {kind} request matched {totals.Max()} events: the word is in the data"
                : $"none of the {totals.Count} {kind} requests checked matches an event: nothing was compared");
        }

        totals.Sort();
        return new JsonObject
        {
            ["asks"] = Describe(kind),
            ["first"] = first.ToString(),
            ["page_size"] = PageSize,
            ["count_limit"] = CountLimit,
            ["checked"] = totals.Count,
            ["compared_with"] = direct is null ? "the store class's" : "the store class's and the SQL's",
            ["matches_of_checked"] = new JsonObject { ["min"] = totals[0], ["median"] = totals[totals.Count / 2], ["max"] = totals[^1] },
            ["counts_at_least"] = atLeast,
        };
    }

    /// <summary>
    /// A request as SQL run directly: the store's after_id lookup first when there is one (as
    /// SearchCriteriaBuilder does before the query), then the statements the store builds.
    /// </summary>
    public static async Task<int> DirectAsync(DirectSql direct, ListCase c)
    {
        if (c.Request.AfterId.Length > 0)
        {
            _ = await direct.FindSequenceAsync(c.Request.AfterId);
        }

        return await direct.SearchAsync(c.Query);
    }

    /// <summary>A request as the store class in this process runs it: the after_id lookup, then the query.</summary>
    public static async Task<EventPage> StoreAsync(IEventStore store, ListCase c)
    {
        if (c.Request.AfterId.Length > 0)
        {
            _ = await store.FindSequenceAsync(c.Request.AfterId, CancellationToken.None);
        }

        return await store.QueryAsync(c.Query, CancellationToken.None);
    }

    private static ListCase Case(string filter, string q = "", string afterId = "", long? afterSequence = null)
    {
        var request = new ListEventsRequest { Filter = filter, Q = q, AfterId = afterId, PerPage = PageSize };

        // As SearchCriteriaBuilder builds ListEvents' criteria: no terms of the method's own, the
        // filter's tree when there is a filter, q's words, after_id's position.
        FilterNode[] terms = filter.Length > 0 ? [StoreInternals.ParseFilter(filter)] : [];
        var criteria = new EventCriteria(new AllOf(terms), StoreInternals.SplitWords(q), afterSequence);
        var order = afterSequence is null ? EventOrder.NewestFirst : EventOrder.CommitOrder;
        return new ListCase(request, new EventQuery(criteria, order, PageSize, CountLimit: CountLimit));
    }
}

/// <summary>A ListEvents request and the store query its criteria make.</summary>
internal sealed record ListCase(ListEventsRequest Request, EventQuery Query)
{
    public override string ToString() =>
        string.Join(" ", new[] { ("filter", Request.Filter), ("q", Request.Q), ("after_id", Request.AfterId) }.Where(p => p.Item2.Length > 0).Select(p => $"{p.Item1}={p.Item2}"));
}
