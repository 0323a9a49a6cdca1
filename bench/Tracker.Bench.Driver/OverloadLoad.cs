using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario j (README, "Limits"): the server's overload protection. Over S generated events, a
/// ListEvents with a filter (<see cref="Filter"/>, 50 per page, with its exact total_count: a few
/// milliseconds of the server's CPU, so that the server and not this client is what saturates
/// on a shared two-core machine) is called by closed-loop callers through Grpc.Net.Client, first
/// by N callers (the sustainable load, within Limits:MaxConcurrentRequests), then by 10 x N, each
/// caller calling again as soon as its call ends, refused or not (a runaway script that ignores
/// Retry-After). Reported per
/// phase: the calls served and their latency, the calls refused (RESOURCE_EXHAUSTED) and how
/// fast, any other outcome, the server's peak RSS, and with --metrics the server's own durations
/// of served and refused calls (<see cref="ServerDurations"/>). Verified when nothing but OK and
/// RESOURCE_EXHAUSTED came back.
/// </summary>
internal static class OverloadLoad
{
    public const string Filter = "priority<=PRIORITY_P2 OR type=TYPE_INCIDENT";

    private const string Route = "/tracker.event.v1alpha1.EventService/ListEvents";

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var address = new Uri(options.Get("grpc"));
        var pid = int.Parse(options.Get("pid"), CultureInfo.InvariantCulture);
        var callers = options.Int("callers", 64);
        var factor = options.Int("factor", 10);
        var warmup = options.Int("warmup", 5);
        var seconds = options.Int("duration", 15);
        var metrics = options.Find("metrics") is { } scrape ? new Uri(scrape) : null;

        await SeedAsync(address, options.Int("seed", 20_000));

        await PhaseAsync(address, pid, callers, warmup, metrics);
        var normal = await PhaseAsync(address, pid, callers, seconds, metrics);
        var overload = await PhaseAsync(address, pid, callers * factor, seconds, metrics);
        var verified = normal["other"]!.GetValue<long>() == 0 && overload["other"]!.GetValue<long>() == 0;
        return new JsonObject
        {
            ["tool"] = $"Grpc.Net.Client, closed-loop ListEvents filter={Filter}, per_page=50",
            ["callers"] = callers,
            ["factor"] = factor,
            ["server_cpus"] = options.Find("server-cpus") ?? "any",
            ["normal"] = normal,
            ["overload"] = overload,
            ["verified"] = verified,
        };
    }

    private static async Task<JsonObject> PhaseAsync(Uri address, int pid, int callers, int seconds, Uri? metrics)
    {
        using var http = new HttpClient();
        var before = metrics is null ? null : await ServerDurations.ScrapeAsync(http, metrics, Route);
        using var pool = new ChannelPool(address, callers);
        var served = new LatencySamples[callers];
        var refused = new LatencySamples[callers];
        var other = new long[callers];
        var rss = RssSampler.Start(pid)!;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, callers).Select(index => Task.Run(async () =>
        {
            served[index] = new LatencySamples();
            refused[index] = new LatencySamples();
            var client = pool.Client(index);
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await client.ListEventsAsync(new ListEventsRequest { PerPage = 50, Filter = Filter });
                    served[index].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    refused[index].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException)
                {
                    other[index]++;
                }
            }
        })).ToArray();
        await Task.WhenAll(loops);
        var memory = await rss.StopAsync();
        var after = metrics is null ? null : await ServerDurations.ScrapeAsync(http, metrics, Route);

        var servedAll = new LatencySamples();
        var refusedAll = new LatencySamples();
        foreach (var samples in served)
        {
            servedAll.AddRange(samples);
        }

        foreach (var samples in refused)
        {
            refusedAll.AddRange(samples);
        }

        return new JsonObject
        {
            ["callers"] = callers,
            ["seconds"] = seconds,
            ["served"] = servedAll.Summary(seconds),
            ["refused"] = refusedAll.Summary(seconds),
            ["other"] = other.Sum(),
            ["server"] = memory,
            ["server_served"] = after?.Since(before!, "OK"),
            ["server_refused"] = after?.Since(before!, "RESOURCE_EXHAUSTED"),
        };
    }

    /// <summary>Creates <paramref name="count"/> generated events, 32 calls at a time.</summary>
    private static async Task SeedAsync(Uri address, int count)
    {
        var factory = new EventFactory(13);
        var times = factory.EventTimesMicros(count);
        var requests = times.Select(time => factory.Next(time)).Select(e => new CreateEventRequest { Title = e.Title, Attributes = e.Attributes, Links = e.Links }).ToArray();
        using var pool = new ChannelPool(address, 32);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                await pool.Client(worker).CreateEventAsync(requests[i]);
            }
        })));
    }
}
