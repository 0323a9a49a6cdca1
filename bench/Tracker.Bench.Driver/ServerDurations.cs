using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tracker.Bench.Driver;

/// <summary>
/// The server's own view of a phase: its <c>http.server.request.duration</c> histogram for one
/// gRPC method, per <c>rpc.response.status_code</c>, scraped from GET /metrics before and after,
/// so that what the server spent on a call is told apart from the client's wait for a core.
/// Percentiles are the upper bound of the histogram bucket they fall in.
/// </summary>
internal sealed partial class ServerDurations
{
    private readonly Dictionary<(string Status, double Le), double> _buckets;

    private ServerDurations(Dictionary<(string Status, double Le), double> buckets) => _buckets = buckets;

    public static async Task<ServerDurations> ScrapeAsync(HttpClient http, Uri metrics, string route)
    {
        var text = await http.GetStringAsync(metrics);
        var buckets = new Dictionary<(string, double), double>();
        foreach (var line in text.Split('\n'))
        {
            var match = BucketLine().Match(line);
            if (!match.Success || !line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal))
            {
                continue;
            }

            var le = match.Groups["le"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["le"].Value, CultureInfo.InvariantCulture);
            var key = (match.Groups["status"].Value, le);
            buckets[key] = buckets.GetValueOrDefault(key) + double.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        }

        return new ServerDurations(buckets);
    }

    /// <summary>Calls of <paramref name="status"/> between <paramref name="before"/> and this scrape: count, p50 and p99 bucket bounds.</summary>
    public JsonObject Since(ServerDurations before, string status)
    {
        var cumulative = _buckets.Where(b => b.Key.Status == status)
            .Select(b => (b.Key.Le, Count: b.Value - before._buckets.GetValueOrDefault(b.Key)))
            .OrderBy(b => b.Le)
            .ToArray();
        var calls = cumulative.Length == 0 ? 0 : cumulative[^1].Count;
        string At(double q) => calls == 0 ? "" : cumulative.First(b => b.Count >= q * calls).Le is var le && double.IsPositiveInfinity(le) ? "+Inf" : $"<= {le * 1000:0.#} ms";
        return new JsonObject { ["calls"] = calls, ["p50"] = At(0.5), ["p99"] = At(0.99) };
    }

    [GeneratedRegex("^http_server_request_duration_seconds_bucket\\{.*rpc_response_status_code=\"(?<status>[A-Z_]+)\".*le=\"(?<le>[^\"]+)\"\\} (?<count>\\S+)")]
    private static partial Regex BucketLine();
}
