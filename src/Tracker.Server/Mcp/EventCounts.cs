using System.Text.Json.Nodes;
using Tracker.Api.V1Alpha1;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Server.Mcp;

/// <summary>
/// The count_events tool's tally: the events a search matches, by type, by service and by both.
/// The store has no grouped count, so the tally pages through SearchEvents (the API's listing,
/// with its validation and scope) 1,000 events at a time, newest first, and stops after
/// <see cref="MaxCounted"/> events; <c>complete</c> says whether every match was counted, and
/// <c>total</c> is the search's own total_count (exact, or a lower bound past the server's
/// Tracker:Search:CountLimit).
/// </summary>
internal sealed class EventCounts
{
    /// <summary>The most events one call counts: the server's default count limit.</summary>
    public const int MaxCounted = 10_000;

    private const int PageSize = 1000;

    private readonly Dictionary<(EventType Type, string Service), int> _byTypeAndService = [];
    private long _total;
    private TotalCountRelation _relation;
    private int _counted;
    private bool _complete;

    public static async Task<EventCounts> CountAsync(EventServiceCalls calls, SearchEventsRequest request, CancellationToken cancellationToken)
    {
        var counts = new EventCounts();
        request.PageSize = PageSize;
        while (true)
        {
            var page = await calls.SearchAsync(request, cancellationToken).ConfigureAwait(false);
            if (request.PageToken.Length == 0)
            {
                (counts._total, counts._relation) = (page.TotalCount, page.TotalCountRelation);
            }

            var room = MaxCounted - counts._counted;
            foreach (var found in page.Events.Take(room))
            {
                var key = (found.Attributes?.Type ?? EventType.Unspecified, found.Attributes?.Service ?? string.Empty);
                counts._byTypeAndService[key] = counts._byTypeAndService.GetValueOrDefault(key) + 1;
                counts._counted++;
            }

            var more = page.NextPageToken.Length > 0 || page.Events.Count > room;
            if (!more || counts._counted >= MaxCounted)
            {
                counts._complete = !more;
                return counts;
            }

            request.PageToken = page.NextPageToken;
        }
    }

    public JsonObject ToJson()
    {
        var byType = new JsonObject();
        foreach (var (type, count) in Sum(pair => pair.Type))
        {
            byType[ProtoEnumArgument<EventType>.NameOf(type)] = count;
        }

        var byService = new JsonObject();
        foreach (var (service, count) in Sum(pair => pair.Service))
        {
            byService[service] = count;
        }

        var both = new JsonArray();
        foreach (var ((type, service), count) in _byTypeAndService.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Type).ThenBy(p => p.Key.Service, StringComparer.Ordinal))
        {
            both.Add(new JsonObject { ["type"] = ProtoEnumArgument<EventType>.NameOf(type), ["service"] = service, ["count"] = count });
        }

        return new JsonObject
        {
            ["total"] = _total,
            ["totalRelation"] = ProtoEnumArgument<TotalCountRelation>.NameOf(_relation),
            ["counted"] = _counted,
            ["complete"] = _complete,
            ["byType"] = byType,
            ["byService"] = byService,
            ["byTypeAndService"] = both,
        };
    }

    private IEnumerable<(TKey Key, int Count)> Sum<TKey>(Func<(EventType Type, string Service), TKey> key)
        where TKey : notnull =>
        _byTypeAndService.GroupBy(pair => key(pair.Key), pair => pair.Value)
            .Select(group => (group.Key, group.Sum()))
            .OrderByDescending(pair => pair.Item2)
            .ThenBy(pair => pair.Key);
}
