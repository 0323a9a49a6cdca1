using System.Text.Json;
using Microsoft.Playwright;

/// <summary>
/// Where the browser's time went during one load (<c>--threads true</c>): a Chrome trace taken
/// over the DevTools protocol, summed per browser thread as the time its top-level tasks
/// ("RunTask", recorded with the DevTools timeline categories) ran, from the navigation's start to a point in ms since it. On two cores, this
/// tells the page's own renderer from the browser's other processes that share them.
/// </summary>
internal sealed class BrowserThreads
{
    private static readonly string[] Categories = ["disabled-by-default-devtools.timeline", "devtools.timeline", "blink.user_timing", "loading", "__metadata"];

    private readonly ICDPSession _session;
    private readonly List<JsonElement> _events = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BrowserThreads(ICDPSession session)
    {
        _session = session;
        session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            foreach (var item in data!.Value.GetProperty("value").EnumerateArray())
            {
                _events.Add(item.Clone());
            }
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => _complete.TrySetResult();
    }

    /// <summary>Starts a trace of the context's browser, before the page navigates.</summary>
    public static async Task<BrowserThreads> StartAsync(IBrowserContext context, IPage page)
    {
        var threads = new BrowserThreads(await context.NewCDPSessionAsync(page));
        await threads._session.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = Categories },
        });
        return threads;
    }

    /// <summary>Ends the trace; lines "busy N ms: thread (process)", busiest first, up to <paramref name="untilMs"/>.</summary>
    public async Task<IReadOnlyList<string>> StopAsync(double untilMs)
    {
        await _session.SendAsync("Tracing.end");
        await _complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var start = _events.Where(e => Name(e) == "navigationStart").Select(e => e.GetProperty("ts").GetInt64()).DefaultIfEmpty(0).Min();
        var processes = _events.Where(e => Name(e) == "process_name")
            .GroupBy(e => e.GetProperty("pid").GetInt32())
            .ToDictionary(g => g.Key, g => g.First().GetProperty("args").GetProperty("name").GetString());
        var threads = _events.Where(e => Name(e) == "thread_name")
            .GroupBy(Thread)
            .ToDictionary(g => g.Key, g => g.First().GetProperty("args").GetProperty("name").GetString());
        var busy = new Dictionary<(int Pid, int Tid), double>();
        foreach (var task in _events.Where(e => Name(e) == "RunTask" && e.TryGetProperty("dur", out _)))
        {
            var at = (task.GetProperty("ts").GetInt64() - start) / 1000.0;
            if (at >= 0 && at <= untilMs)
            {
                busy[Thread(task)] = busy.GetValueOrDefault(Thread(task)) + task.GetProperty("dur").GetInt64() / 1000.0;
            }
        }

        return busy.Where(b => b.Value >= 5).OrderByDescending(b => b.Value)
            .Select(b => $"busy {b.Value,6:F0} ms: {threads.GetValueOrDefault(b.Key) ?? "?"} ({processes.GetValueOrDefault(b.Key.Pid) ?? "?"})")
            .ToList();
    }

    private static string? Name(JsonElement e) => e.GetProperty("name").GetString();

    private static (int Pid, int Tid) Thread(JsonElement e) => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32());
}
