namespace Tracker.Server.Transport;

/// <summary>
/// The query parameter names of the APIs Tracker's users come from (oVirt's events collection,
/// Kubernetes-style event listing, the MWS events API, common paging conventions), each with the
/// Tracker parameters that do its job. An unknown parameter that is one of these gets the advice
/// in its error, limited to the parameters the route has (ListDeliveries has page_size but no
/// per_page). The README's table "Unknown parameters and fields" shows the same.
/// </summary>
internal static class NeighbourParameterNames
{
    private static readonly Dictionary<string, Use[]> Uses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["limit"] = [new("per_page", "per_page (page-number paging)"), new("page_size", "page_size (token paging)")],
        ["max"] = [new("per_page", "per_page")],
        ["offset"] = [new("page", "page (1-based, with per_page)")],
        ["from"] = [new("after_id", "after_id (the id of the last event seen)")],
        ["sort"] = [new("order_by", "order_by (e.g. order_by=start_date desc)")],
        ["search"] = [new("filter", "filter (an AIP-160 expression)"), new("q", "q (full text)")],
        ["component"] = [new("source", "source"), new("filter", "filter=source=\"...\" (Tracker calls the component source)")],
        ["namespace"] = [new("filter", "filter=resources.namespace=\"...\"")],
    };

    /// <summary>"use X or Y" for a neighbour's name whose Tracker parameters <paramref name="route"/> has; null otherwise.</summary>
    public static string? Advice(string name, RestRoute route)
    {
        if (!Uses.TryGetValue(name, out var uses))
        {
            return null;
        }

        var usable = uses.Where(u => route.ResolveQuery(u.Parameter) is not null).Select(u => u.Text).ToList();
        return usable.Count == 0 ? null : "use " + string.Join(" or ", usable) + " instead";
    }

    private sealed record Use(string Parameter, string Text);
}
