using System.Text;
using CsCheck;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;
using Tracker.Events.Watching;
using Xunit;

namespace Tracker.Events.Tests.Querying;

/// <summary>
/// Both dialects spell every tree: a random expression written as an AIP-160 filter (or a
/// MongoDB-style query) by <see cref="QuerySyntaxPrinter"/> and parsed back selects exactly the
/// events the tree selects, judged by <see cref="ReferenceEvaluator"/> over random events. The
/// cases come from <see cref="PropertySeed"/>: fixed, or TRACKER_PROPERTY_SEED.
/// </summary>
public sealed class QuerySyntaxRoundTripPropertyTests
{
    private const int EventSets = 20;
    private const int TreesPerSet = 150;
    private const int MaxReported = 3;

    [Fact]
    public void FilterParser_PrintedTree_SelectsTheSameEvents() =>
        AssertRoundTrips("AIP-160 filter", QuerySyntaxPrinter.Filter, FilterParser.Parse);

    [Fact]
    public void MongoQueryParser_PrintedTree_SelectsTheSameEvents() =>
        AssertRoundTrips("MongoDB-style query", QuerySyntaxPrinter.Mongo, MongoQueryParser.Parse);

    private static void AssertRoundTrips(string dialect, Func<FilterNode, Random, string> print, Func<string, FilterParseResult> parse)
    {
        var seed = PropertySeed.Value;
        var failures = new List<string>();
        var cases = 0;
        for (var set = 0; set < EventSets && failures.Count < MaxReported; set++)
        {
            var pcg = new PCG((uint)set, seed);
            var events = QueryGenerators.Events(60, 120).Draw(pcg);
            var trees = QueryGenerators.Expression(events, depth: 4, QuerySyntaxPrinter.CanPrint)
                .Where(t => FilterShrinker.Leaves(t) <= 40);
            for (var i = 0; i < TreesPerSet && failures.Count < MaxReported; i++)
            {
                var tree = trees.Draw(pcg);
                var printSeed = (int)pcg.Next();
                cases++;
                if (Problem(tree, events, print, parse, printSeed) is null)
                {
                    continue;
                }

                var least = FilterShrinker.Shrink(tree, t => Problem(t, events, print, parse, printSeed) is not null);
                failures.Add(
                    $"{PropertySeed.Rerun(seed)}; event set {set}, tree {i}\n" +
                    $"  tree:   {FilterText.Print(least)}\n" +
                    Problem(least, events, print, parse, printSeed) +
                    $"  (before shrinking: {FilterText.Print(tree)})");
            }
        }

        Assert.True(failures.Count == 0, $"The {dialect} printed from a tree does not select what the tree selects ({cases} cases):\n\n" + string.Join("\n\n", failures));
    }

    /// <summary>Why the printed tree fails to round-trip, or null when it selects the same events.</summary>
    private static string? Problem(FilterNode tree, IReadOnlyList<Api.V1Alpha1.Event> events, Func<FilterNode, Random, string> print, Func<string, FilterParseResult> parse, int printSeed)
    {
        var text = print(tree, new Random(printSeed));
        var parsed = parse(text);
        if (parsed.Error is { } error)
        {
            return $"  text:   {text}\n  error:  {error.Description}\n";
        }

        var expected = events.Where(e => EventMatcher.Holds(tree, e)).ToHashSet();
        var actual = events.Where(e => EventMatcher.Holds(parsed.Node!, e)).ToHashSet();
        if (expected.SetEquals(actual))
        {
            return null;
        }

        var report = new StringBuilder();
        report.Append($"  text:   {text}\n  parsed: {FilterText.Print(parsed.Node!)}\n");
        foreach (var e in expected.Except(actual).Take(2))
        {
            report.Append($"  only the tree selects {EventText.Describe(e)}\n");
        }

        foreach (var e in actual.Except(expected).Take(2))
        {
            report.Append($"  only the parsed tree selects {EventText.Describe(e)}\n");
        }

        return report.ToString();
    }
}
