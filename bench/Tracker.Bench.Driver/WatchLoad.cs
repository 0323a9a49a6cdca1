using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario i (README, "Watching events"), three measures against a running server through
/// Grpc.Net.Client: creates by the generated EventService client, watches by
/// <see cref="IdOnlyWatch"/>, which decodes only each change's event id:
/// <list type="bullet">
/// <item><c>delivery</c>: W watchers on one service's changes while creates arrive at R per
/// second (paced, 128 in flight at most); each (watcher, event) pair gives one sample, the time
/// from the create's acknowledgement at the client to that watcher receiving it (negative values,
/// a change that outran its acknowledgement, count as 0); arrivals are matched with their
/// acknowledgements after the run, so a reader never waits. Verified when every watcher got every
/// event exactly once. <c>--decode full</c> decodes every message with the generated client, as
/// an application would. With <c>--metrics URL</c>, the server's own <c>tracker.watch.lag</c>
/// histogram (commit to the message written on each watcher's stream) over the same measured
/// part, scraped when the warm-up ends and after the last arrival (<see cref="ServerHistogram"/>),
/// which leaves out the driver's wait for a core.</item>
/// <item><c>throughput</c>: CreateEvent with 64 calls in flight for D seconds with no watcher,
/// then with W watchers of those creates attached (each reading every change), taking turns over
/// R rounds; the ratio of the two, and how many watchers the server ended for falling behind.</item>
/// <item><c>idle</c>: the server's RSS before and after opening N watchers that nothing
/// matches, after a settle time.</item>
/// </list>
/// </summary>
internal static class WatchLoad
{
    // Enough for 1,000 creates/s at 100 ms each; 32 capped the rate at ~600/s on SQLite.
    private const int MaxCreatesInFlight = 128;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var address = new Uri(options.Get("grpc"));
        var pid = int.Parse(options.Get("pid"), CultureInfo.InvariantCulture);
        return options.Get("mode") switch
        {
            "delivery" => await DeliveryAsync(address, options.Find("metrics") is { } metrics ? new Uri(metrics) : null, options.Int("watchers", 100), options.Int("rate", 1000), options.Int("warmup", 5), options.Int("duration", 15), (options.Find("decode") ?? "id") switch
            {
                "id" => false,
                "full" => true,
                var decode => throw new ArgumentException($"no decode '{decode}': id or full"),
            }),
            "throughput" => await ThroughputAsync(address, pid, options.Int("watchers", 100), options.Int("warmup", 5), options.Int("duration", 5), options.Int("rounds", 3)),
            "idle" => await IdleAsync(address, pid, options.Int("watchers", 1000)),
            var mode => throw new ArgumentException($"no watch mode '{mode}': delivery, throughput or idle"),
        };
    }

    private const string WatchLagFamily = "tracker_watch_lag_seconds";

    private static async Task<JsonObject> DeliveryAsync(Uri address, Uri? metrics, int watcherCount, int rate, int warmupSeconds, int seconds, bool fullDecode)
    {
        var service = "bench-watch-" + Guid.NewGuid().ToString("N")[..8];
        using var pool = new ChannelPool(address, watcherCount + MaxCreatesInFlight);
        using var stop = new CancellationTokenSource();
        var acknowledged = new ConcurrentDictionary<string, long>();
        var measuredFrom = long.MaxValue;
        var arrivals = new List<(string Id, long At)>[watcherCount];
        var readers = new Task[watcherCount];
        var marker = await pool.Client(0).CreateEventAsync(Create(service, "marker"));
        for (var w = 0; w < watcherCount; w++)
        {
            var index = w;
            var request = new WatchEventsRequest { Filter = $"service=\"{service}\"", AfterId = marker.Id };
            arrivals[index] = new(1 << 16);
            readers[index] = Task.Run(async () =>
            {
                try
                {
                    // Only the arrival is taken here; it is matched with its acknowledgement after the run.
                    await foreach (var id in WatchedIdsAsync(pool, index, request, fullDecode, stop.Token))
                    {
                        arrivals[index].Add((id, Stopwatch.GetTimestamp()));
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                {
                }
            });
        }

        // Paced creates: one every 1/rate s, at most MaxCreatesInFlight in flight.
        var created = new List<string>();
        var inFlight = new SemaphoreSlim(MaxCreatesInFlight);
        var pending = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var total = TimeSpan.FromSeconds(warmupSeconds + seconds);
        using var http = new HttpClient();
        Task<ServerHistogram>? lagBefore = null;
        long next = 0;
        while (clock.Elapsed < total)
        {
            // One reading of the clock: read twice, the wait could turn negative in between.
            var wait = interval * next++ - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (clock.Elapsed >= TimeSpan.FromSeconds(warmupSeconds) && measuredFrom == long.MaxValue)
            {
                Volatile.Write(ref measuredFrom, Stopwatch.GetTimestamp());
                lagBefore = metrics is null ? null : ServerHistogram.ScrapeAsync(http, metrics, WatchLagFamily);
            }

            await inFlight.WaitAsync();
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    var e = await pool.Client((int)(next % pool.Count)).CreateEventAsync(Create(service, "change"));
                    acknowledged[e.Id] = Stopwatch.GetTimestamp();
                    lock (created)
                    {
                        created.Add(e.Id);
                    }
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(pending);
        var achievedRate = created.Count / clock.Elapsed.TotalSeconds;

        // Every watcher gets every event: wait (bounded) for the last ones to arrive.
        var deadline = Stopwatch.StartNew();
        while (arrivals.Any(a => a.Count < created.Count) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var serverLag = lagBefore is null ? null : (await ServerHistogram.ScrapeAsync(http, metrics!, WatchLagFamily)).Since(await lagBefore);

        // One sample per (watcher, event) acknowledged in the measured part; a change that
        // outran its acknowledgement counts as 0.
        var all = new LatencySamples();
        foreach (var (id, arrived) in arrivals.SelectMany(a => a))
        {
            if (acknowledged.TryGetValue(id, out var ack) && ack >= measuredFrom)
            {
                all.Add(Math.Max(0, Stopwatch.GetElapsedTime(ack, arrived).TotalMilliseconds));
            }
        }

        var createdSet = created.ToHashSet();
        var exactlyOnce = arrivals.All(a => a.Count == created.Count && a.Select(x => x.Id).ToHashSet().SetEquals(createdSet));
        return new JsonObject
        {
            ["tool"] = "driver",
            ["mode"] = "delivery",
            ["watchers"] = watcherCount,
            ["target_rate"] = rate,
            ["decode"] = fullDecode ? "full" : "id",
            ["achieved_rate"] = Math.Round(achievedRate, 1),
            ["events"] = created.Count,
            ["latency"] = all.Summary(seconds),
            ["server_watch_lag"] = serverLag,
            ["verified"] = exactlyOnce,
        };
    }

    private static async Task<JsonObject> ThroughputAsync(Uri address, int pid, int watcherCount, int warmupSeconds, int seconds, int rounds)
    {
        using var pool = new ChannelPool(address, Math.Max(watcherCount, 64));
        var without = new List<double>();
        var with = new List<double>();
        var ended = 0;
        for (var round = 0; round < rounds; round++)
        {
            without.Add(await CreatesPerSecondAsync(pool, warmupSeconds, seconds));
            using var stop = new CancellationTokenSource();
            var watchers = Enumerable.Range(0, watcherCount).Select(w => DrainAsync(pool.Invoker(w), "service=\"bench-throughput\"", stop.Token)).ToArray();
            await Task.Delay(500);
            with.Add(await CreatesPerSecondAsync(pool, warmupSeconds, seconds));
            await stop.CancelAsync();
            ended += (await Task.WhenAll(watchers)).Count(endedByServer => endedByServer);
        }

        return new JsonObject
        {
            ["tool"] = "driver",
            ["mode"] = "throughput",
            ["watchers"] = watcherCount,
            ["rounds"] = rounds,
            ["without_watchers_per_second"] = Math.Round(without.Sum() / rounds, 0),
            ["with_watchers_per_second"] = Math.Round(with.Sum() / rounds, 0),
            ["each_round_without"] = new JsonArray([.. without.Select(v => JsonValue.Create(Math.Round(v, 0)))]),
            ["each_round_with"] = new JsonArray([.. with.Select(v => JsonValue.Create(Math.Round(v, 0)))]),
            ["watchers_ended_by_the_server"] = ended,
            ["rss_end_mb"] = Math.Round((RssSampler.ReadKb(pid, "VmRSS") ?? 0) / 1024.0, 1),
            ["verified"] = without.All(v => v > 0) && with.All(v => v > 0),
        };
    }

    /// <summary>
    /// The event ids of a watch's changes as they arrive, decoded by <see cref="IdOnlyWatch"/>, or
    /// with <paramref name="fullDecode"/> by the generated client, as an application would.
    /// </summary>
    private static async IAsyncEnumerable<string> WatchedIdsAsync(ChannelPool pool, int index, WatchEventsRequest request, bool fullDecode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (fullDecode)
        {
            using var call = pool.Client(index).WatchEvents(request, cancellationToken: cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                yield return call.ResponseStream.Current.Event.Id;
            }
        }
        else
        {
            using var call = IdOnlyWatch.Open(pool.Invoker(index), request, cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                yield return call.ResponseStream.Current;
            }
        }
    }

    /// <summary>CreateEvent with 64 calls in flight: the completed calls per second over the measured part.</summary>
    private static async Task<double> CreatesPerSecondAsync(ChannelPool pool, int warmupSeconds, int seconds)
    {
        var end = Stopwatch.GetTimestamp() + (long)((warmupSeconds + seconds) * (double)Stopwatch.Frequency);
        var from = Stopwatch.GetTimestamp() + (long)(warmupSeconds * (double)Stopwatch.Frequency);
        long measured = 0;
        var workers = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var client = pool.Client(i);
            while (Stopwatch.GetTimestamp() < end)
            {
                await client.CreateEventAsync(Create("bench-throughput", "create"));
                if (Stopwatch.GetTimestamp() >= from)
                {
                    Interlocked.Increment(ref measured);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return measured / (double)seconds;
    }

    private static async Task<JsonObject> IdleAsync(Uri address, int pid, int watcherCount)
    {
        using var pool = new ChannelPool(address, watcherCount);
        await pool.Client(0).CreateEventAsync(Create("bench-idle", "warm"));
        await Task.Delay(2000);
        GC.Collect();
        var before = RssSampler.ReadKb(pid, "VmRSS") ?? 0;
        using var stop = new CancellationTokenSource();
        var watchers = Enumerable.Range(0, watcherCount).Select(w => DrainAsync(pool.Invoker(w), $"service=\"nothing-{w}\"", stop.Token)).ToArray();
        await Task.Delay(5000);
        var after = RssSampler.ReadKb(pid, "VmRSS") ?? 0;
        var ended = watchers.Count(t => t.IsCompleted);
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
        return new JsonObject
        {
            ["tool"] = "driver",
            ["mode"] = "idle",
            ["watchers"] = watcherCount,
            ["rss_before_mb"] = Math.Round(before / 1024.0, 1),
            ["rss_with_watchers_mb"] = Math.Round(after / 1024.0, 1),
            ["kb_per_watcher"] = Math.Round((after - before) / (double)watcherCount, 1),
            ["verified"] = ended == 0,
        };
    }

    /// <summary>
    /// Reads a watch until cancelled; true when the server ended it first (a watcher that could not
    /// keep up is ended with RESOURCE_EXHAUSTED, or its stream reset while its window was full).
    /// </summary>
    private static async Task<bool> DrainAsync(CallInvoker invoker, string filter, CancellationToken stop)
    {
        using var call = IdOnlyWatch.Open(invoker, new WatchEventsRequest { Filter = filter }, stop);
        try
        {
            while (await call.ResponseStream.MoveNext(stop))
            {
            }

            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
        {
            return false;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable)
        {
            return true;
        }
    }

    private static CreateEventRequest Create(string service, string title) => new()
    {
        Title = title,
        Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = service },
    };
}
