using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

// Measures the web UI's first view (README, "Web UI"): for each page path, `runs` loads in a fresh
// browser context (empty cache, as a first visit), each timed three ways: by this tool, from the
// navigation to the 50th event row being visible (which adds Playwright's own round trips); and
// by the page's own performance marks, in milliseconds since the navigation started,
// "tracker:first-page" (the first page of events is in the DOM) and "tracker:first-page-painted"
// (the frame showing it has been made). --chromium picks the browser (default /usr/bin/chromium);
// --resources true prints each request and milestone of the first and last loads, --threads true
// the browser's busy threads during them (BrowserThreads). Each --target path (one of the --path
// values) has a target: its median first view at most --target-ms [1000] ms; a table at the end
// gives every page's median and p90 and whether its target is met.
//
//   dotnet Tracker.Bench.WebUi.dll --url http://127.0.0.1:18180 --runs 10 --result out.json \
//     --path "/" --path "/?service=orders&environment=production"
var options = Args.Parse(args);
var url = new Uri(options.Single("url"));
var runs = int.Parse(options.SingleOr("runs", "10"), CultureInfo.InvariantCulture);
var paths = options.All("path") is { Count: > 0 } given ? given : ["/"];
var chromium = options.SingleOr("chromium", "/usr/bin/chromium");
var targets = options.All("target");
var targetMs = double.Parse(options.SingleOr("target-ms", "1000"), CultureInfo.InvariantCulture);
if (targets.FirstOrDefault(t => !paths.Contains(t)) is { } stray)
{
    throw new ArgumentException($"--target {stray} is not one of the --path values");
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
var report = new JsonArray();
foreach (var path in paths)
{
    var wall = new List<double>();
    var marks = new List<double>();
    var painted = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = url.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var trace = (run == 0 || run == runs - 1) && options.SingleOr("threads", "false") == "true"
            ? await BrowserThreads.StartAsync(context, page)
            : null;
        var stopwatch = Stopwatch.StartNew();
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        // The first page: 50 rows, or every event when fewer match (html[data-ready] once rendered).
        await page.Locator("html[data-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        var rows = Math.Min(50, await page.Locator("li.event").CountAsync());
        if (rows > 0)
        {
            await page.Locator("li.event").Nth(rows - 1).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        }

        wall.Add(stopwatch.Elapsed.TotalMilliseconds);
        marks.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByName('tracker:first-page')[0]?.startTime ?? -1"));
        painted.Add(await PaintedMarkAsync(page));
        if (trace is not null)
        {
            Console.WriteLine($"  run {run + 1}, painted at {painted[run]:F0} ms; the browser's threads until then:");
            foreach (var line in await trace.StopAsync(painted[run]))
            {
                Console.WriteLine($"    {line}");
            }
        }

        var total = await page.Locator(".summary").TextContentAsync();
        if (run == 0)
        {
            Console.WriteLine($"{path}: {total}");
        }

        if ((run == 0 || run == runs - 1) && options.SingleOr("resources", "false") == "true")
        {
            // Where the first and the last load's time went, ms since navigation: each request's start
            // and end, the document's milestones, paints and the page's own marks.
            Console.WriteLine($"  run {run + 1}, {wall[run]:F0} ms wall:");
            Console.WriteLine(await page.EvaluateAsync<string>(
                "() => [...performance.getEntriesByType('resource').map(e => `  ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)} ms ${e.name.replace(location.origin, '')}`), " +
                "...performance.getEntriesByType('navigation').map(e => `  ${e.responseEnd.toFixed(0)} ms html received, ${e.domInteractive.toFixed(0)} ms interactive, ${e.domContentLoadedEventEnd.toFixed(0)} ms DOMContentLoaded`), " +
                "...[...performance.getEntriesByType('paint'), ...performance.getEntriesByType('mark')].map(e => `  ${e.startTime.toFixed(0)} ms ${e.name}`)].join(String.fromCharCode(10))"));
        }
    }

    var entry = new JsonObject
    {
        ["path"] = path,
        ["runs"] = runs,
        ["first_run_ms"] = Math.Round(wall[0], 1),
        ["wall_p50_ms"] = Math.Round(Percentile(wall, 0.5), 1),
        ["wall_p90_ms"] = Math.Round(Percentile(wall, 0.9), 1),
        ["wall_max_ms"] = Math.Round(wall.Max(), 1),
        ["mark_p50_ms"] = Math.Round(Percentile(marks, 0.5), 1),
        ["mark_max_ms"] = Math.Round(marks.Max(), 1),
        ["painted_first_run_ms"] = Math.Round(painted[0], 1),
        ["painted_p50_ms"] = Math.Round(Percentile(painted, 0.5), 1),
        ["painted_max_ms"] = Math.Round(painted.Max(), 1),
    };
    if (targets.Contains(path))
    {
        entry["target_median_ms"] = targetMs;
        entry["met"] = Percentile(wall, 0.5) < targetMs;
    }

    Console.WriteLine(entry.ToJsonString());
    report.Add(entry);
}

// The first view: from the navigation to the 50th event row visible, as this tool times it.
Console.WriteLine();
Console.WriteLine($"| page | loads | first view median | p90 | page's first-page mark, median | target | met |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var entry in report)
{
    var met = entry!["met"] is { } m ? (m.GetValue<bool>() ? "met" : "NOT MET") : "-";
    var target = entry["target_median_ms"] is { } t ? $"median < {t} ms" : "-";
    Console.WriteLine($"| {entry["path"]} | {entry["runs"]} | {entry["wall_p50_ms"]} ms | {entry["wall_p90_ms"]} ms | {entry["mark_p50_ms"]} ms | {target} | {met} |");
}

if (options.SingleOr("result", string.Empty) is { Length: > 0 } result)
{
    await File.WriteAllTextAsync(result, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

return 0;

// The page's "tracker:first-page-painted" mark, a frame or two after "tracker:first-page"; -1 from
// a page without it (a build from before the mark).
static async Task<double> PaintedMarkAsync(IPage page)
{
    try
    {
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('tracker:first-page-painted').length > 0", null, new PageWaitForFunctionOptions { Timeout = 2_000 });
        return await page.EvaluateAsync<double>("() => performance.getEntriesByName('tracker:first-page-painted')[0].startTime");
    }
    catch (TimeoutException)
    {
        return -1;
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
}

/// <summary>--name value pairs; a name may repeat.</summary>
internal sealed class Args(ILookup<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var pairs = new List<(string, string)>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            pairs.Add((args[i].TrimStart('-'), args[i + 1]));
        }

        return new Args(pairs.ToLookup(p => p.Item1, p => p.Item2));
    }

    public string Single(string name) => values[name].LastOrDefault() ?? throw new ArgumentException($"--{name} is required.");

    public string SingleOr(string name, string fallback) => values[name].LastOrDefault() ?? fallback;

    public List<string> All(string name) => [.. values[name]];
}
