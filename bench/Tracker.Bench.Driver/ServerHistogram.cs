using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tracker.Bench.Driver;

/// <summary>
/// One histogram of the server's own, summed over its series, scraped from GET /metrics
/// (Prometheus text) before and after a measured part: how many measurements it took in between
/// and their p50 and p99, each the upper bound of the bucket it falls in ("&lt;= 50 ms"). Used for
/// the server's <c>tracker.watch.lag</c> (scenario i) and <c>tracker.notifications.attempt.lag</c>
/// (scenario k), which leave out the client's own wait for a core.
/// </summary>
internal sealed partial class ServerHistogram
{
    private readonly Dictionary<double, double> _buckets;

    private ServerHistogram(Dictionary<double, double> buckets) => _buckets = buckets;

    /// <summary>The cumulative buckets of <paramref name="family"/> (the Prometheus name, "tracker_watch_lag_seconds"), all series added up.</summary>
    public static async Task<ServerHistogram> ScrapeAsync(HttpClient http, Uri metrics, string family)
    {
        var text = await http.GetStringAsync(metrics);
        var buckets = new Dictionary<double, double>();
        var prefix = family + "_bucket{";
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal) || BucketLine().Match(line) is not { Success: true } match)
            {
                continue;
            }

            var le = match.Groups["le"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["le"].Value, CultureInfo.InvariantCulture);
            buckets[le] = buckets.GetValueOrDefault(le) + double.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        }

        return new ServerHistogram(buckets);
    }

    /// <summary>Whether the server exports the histogram at all (it has a series once something was measured).</summary>
    public bool Exported => _buckets.Count > 0;

    /// <summary>The measurements between <paramref name="before"/> and this scrape: count, p50 and p99 bucket bounds.</summary>
    public JsonObject Since(ServerHistogram before) => Minus(before).Summary();

    /// <summary>The counts this scrape gained over <paramref name="before"/>, bucket by bucket.</summary>
    public ServerHistogram Minus(ServerHistogram before) =>
        new(_buckets.ToDictionary(b => b.Key, b => b.Value - before._buckets.GetValueOrDefault(b.Key)));

    /// <summary>Two measured parts' counts added up, bucket by bucket.</summary>
    public ServerHistogram Plus(ServerHistogram other) =>
        new(_buckets.Keys.Union(other._buckets.Keys).ToDictionary(le => le, le => _buckets.GetValueOrDefault(le) + other._buckets.GetValueOrDefault(le)));

    /// <summary>No measurement: what <see cref="Plus"/> starts from.</summary>
    public static ServerHistogram Empty() => new([]);

    /// <summary>Count, p50 and p99 (bucket bounds) of the counts held.</summary>
    public JsonObject Summary()
    {
        var cumulative = _buckets.OrderBy(b => b.Key).ToArray();
        var count = cumulative.Length == 0 ? 0 : cumulative[^1].Value;
        string At(double q) => count == 0 ? "" : cumulative.First(b => b.Value >= q * count).Key is var le && double.IsPositiveInfinity(le) ? "+Inf" : $"<= {le * 1000:0.#} ms";
        return new JsonObject { ["exported"] = Exported, ["count"] = count, ["p50"] = At(0.5), ["p99"] = At(0.99) };
    }

    [GeneratedRegex("le=\"(?<le>[^\"]+)\"\\} (?<count>\\S+)")]
    private static partial Regex BucketLine();
}
