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
/// (newest first; commit order with after_id). The kinds, each what a platform team asks of
/// its events:
/// <list type="bullet">
/// <item><c>filter-or</c>, a three-term filter with an OR: one service's incidents and drift in
/// production. Services drawn with the data's Zipf popularity.</item>
/// <item><c>filter-label</c>, a label: the events of one release of a service (its version
/// label), the pair taken from a stored event.</item>
/// <item><c>fulltext</c>, q: a service and a release typed as one would search for a deployment
/// ("checkout v4.12.0", four words, each a prefix), taken from a stored deployment.</item>
/// <item><c>after-id</c>: a poller a little behind, after_id one of the last 1,000 events.</item>
/// </list>
/// The messages are drawn uniformly from a vocabulary of 52 words, so that any of those words is
/// in about half of the events: a q of message words matches hundreds of thousands of events,
/// and the exact total of a listing counts every one. The stored events are picked by seq with a
/// seeded random, so a seed gives the same requests over the same data.
/// </summary>
internal static class QueryLanguage
{
    public const string ListEvents = "/tracker.event.v1alpha1.EventService/ListEvents";
    public const int PageSize = 50;

    /// <summary>How far behind a poller is: its after_id is one of the last this many events.</summary>
    public const int PollWindow = 1000;

    /// <summary>How many stored events the label and full-text requests are taken from.</summary>
    private const int SampledEvents = 4000;

    public static bool IsKind(string kind) => kind is "filter-or" or "filter-label" or "fulltext" or "after-id";

    /// <summary>What each kind asks, for the report.</summary>
    public static string Describe(string kind) => kind switch
    {
        "filter-or" => "filter=service=\"<service>\" AND (type=TYPE_INCIDENT OR type=TYPE_DRIFT) AND environment=ENVIRONMENT_PRODUCTION",
        "filter-label" => "filter=service=\"<service>\" AND labels.version=\"<version>\" (of a stored event)",
        "fulltext" => "q=<service> v<version> (of a stored deployment)",
        "after-id" => $"after_id=<one of the last {PollWindow.ToString("#,0", CultureInfo.InvariantCulture)} events>",
        _ => throw new ArgumentException($"no query-language kind '{kind}'", nameof(kind)),
    };

    public static async Task<List<ListCase>> CasesAsync(string kind, DirectSql direct, int seed, int count)
    {
        var random = new Random(seed);
        var cases = new List<ListCase>(count);
        switch (kind)
        {
            case "filter-or":
                var factory = new EventFactory(seed);
                while (cases.Count < count)
                {
                    cases.Add(Case($"service=\"{factory.NextService()}\" AND (type=TYPE_INCIDENT OR type=TYPE_DRIFT) AND environment=ENVIRONMENT_PRODUCTION"));
                }

                break;
            case "filter-label" or "fulltext":
                var last = await direct.LastSequenceAsync();
                var seqs = Enumerable.Range(0, SampledEvents).Select(_ => random.NextInt64(1, last + 1)).ToHashSet();
                var sampled = await direct.EventsAtAsync(seqs);
                var fulltext = kind == "fulltext";
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
                        ? Case(filter: "", q: $"{e.Attributes.Service} v{version}")
                        : Case($"service=\"{e.Attributes.Service}\" AND labels.version=\"{version}\""));
                }

                break;
            case "after-id":
                var latest = await direct.LatestAsync(PollWindow);
                while (cases.Count < count)
                {
                    var (id, seq) = latest[random.Next(latest.Count)];
                    cases.Add(Case(filter: "", afterId: id, afterSequence: seq));
                }

                break;
            default:
                throw new ArgumentException($"no query-language kind '{kind}'", nameof(kind));
        }

        return cases;
    }

    /// <summary>
    /// Checks that ListEvents answers each request with exactly the page and total of its SQL,
    /// and that after_id names the position the SQL side uses; returns what was asked and how
    /// many events the requests matched, for the report.
    /// </summary>
    public static async Task<JsonObject> CheckAsync(string kind, IEnumerable<ListCase> cases, GrpcClient client, DirectSql direct)
    {
        var totals = new List<long>();
        ListCase? first = null;
        foreach (var c in cases)
        {
            first ??= c;
            var viaGrpc = await client.CallAsync(ListEvents, c.Request, ListEventsResponse.Parser);
            if (c.Request.AfterId.Length > 0 && await direct.FindSequenceAsync(c.Request.AfterId) != c.Query.Criteria.AfterSequence)
            {
                throw new InvalidOperationException($"after_id {c.Request.AfterId} is not at seq {c.Query.Criteria.AfterSequence}");
            }

            var (total, ids) = await direct.SearchIdsAsync(c.Query);
            if (viaGrpc.TotalCount != total || !viaGrpc.Events.Select(e => e.Id).SequenceEqual(ids))
            {
                throw new InvalidOperationException($"ListEvents {c} returned {viaGrpc.TotalCount} / {viaGrpc.Events.Count} events, the SQL {total} / {ids.Count}");
            }

            totals.Add(total);
        }

        if (first is null || totals.All(t => t == 0))
        {
            throw new InvalidOperationException($"none of the {totals.Count} {kind} requests checked matches an event: nothing was compared");
        }

        totals.Sort();
        return new JsonObject
        {
            ["asks"] = Describe(kind),
            ["first"] = first.ToString(),
            ["page_size"] = PageSize,
            ["checked"] = totals.Count,
            ["matches_of_checked"] = new JsonObject { ["min"] = totals[0], ["median"] = totals[totals.Count / 2], ["max"] = totals[^1] },
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
        return new ListCase(request, new EventQuery(criteria, order, PageSize, CountLimit: SearchOptions.DefaultCountLimit));
    }
}

/// <summary>A ListEvents request and the store query its criteria make.</summary>
internal sealed record ListCase(ListEventsRequest Request, EventQuery Query)
{
    public override string ToString() =>
        string.Join(" ", new[] { ("filter", Request.Filter), ("q", Request.Q), ("after_id", Request.AfterId) }.Where(p => p.Item2.Length > 0).Select(p => $"{p.Item1}={p.Item2}"));
}
