namespace Tracker.Grpc.Transcoding;

/// <summary>The outcome of looking a request up in the route table.</summary>
internal readonly record struct RouteMatch(TranscodingRoute? Route, string[] Values, IReadOnlyList<string> AllowedMethods)
{
    public bool PathKnown => Route is not null || AllowedMethods.Count > 0;
}

/// <summary>
/// Every transcoded route, built once at start-up. Of the routes whose template matches a path,
/// one with a custom verb beats one without, then the more specific template wins (literal over
/// "*" over "**", segment by segment from the left), then the first bound.
/// </summary>
internal sealed class TranscodingRouteTable
{
    private readonly IReadOnlyList<TranscodingRoute> _routes;

    public TranscodingRouteTable(IReadOnlyList<TranscodingRoute> routes)
    {
        _routes = routes;
    }

    public IReadOnlyList<TranscodingRoute> Routes => _routes;

    public RouteMatch Match(string httpMethod, string rawPath)
    {
        TranscodingRoute? best = null;
        string[] bestValues = [];
        var allowed = new List<string>();
        foreach (var route in _routes)
        {
            var values = route.Matcher.Match(rawPath);
            if (values is null)
            {
                continue;
            }

            if (!string.Equals(route.HttpMethod, httpMethod, StringComparison.OrdinalIgnoreCase))
            {
                if (!allowed.Contains(route.HttpMethod))
                {
                    allowed.Add(route.HttpMethod);
                }

                continue;
            }

            if (best is null || Compare(route, best) > 0)
            {
                best = route;
                bestValues = values;
            }
        }

        return best is null ? new RouteMatch(null, [], allowed) : new RouteMatch(best, bestValues, []);
    }

    private static int Compare(TranscodingRoute a, TranscodingRoute b)
    {
        var verb = (a.Pattern.Verb is not null).CompareTo(b.Pattern.Verb is not null);
        if (verb != 0)
        {
            return verb;
        }

        var x = a.Matcher.Precedence;
        var y = b.Matcher.Precedence;
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }

        return x.Count.CompareTo(y.Count);
    }
}
