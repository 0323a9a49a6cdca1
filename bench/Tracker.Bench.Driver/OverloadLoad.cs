using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario j (issue 13, item 3): the server's overload protection. ListEvents (10 per page) is
/// called by closed-loop callers through Grpc.Net.Client, first by N callers (the sustainable
/// load, within Limits:MaxConcurrentRequests), then by 10 x N, each caller calling again as soon
/// as its call ends, refused or not (a runaway script that ignores Retry-After). Reported per
/// phase: the calls served and their latency, the calls refused (RESOURCE_EXHAUSTED) and how
/// fast, any other outcome, and the server's peak RSS. Verified when nothing but OK and
/// RESOURCE_EXHAUSTED came back.
/// </summary>
internal static class OverloadLoad
{
    public static async Task<JsonObject> RunAsync(Options options)
    {
        var address = new Uri(options.Get("grpc"));
        var pid = int.Parse(options.Get("pid"), CultureInfo.InvariantCulture);
        var callers = options.Int("callers", 64);
        var factor = options.Int("factor", 10);
        var warmup = options.Int("warmup", 5);
        var seconds = options.Int("duration", 15);

        using (var seed = new ChannelPool(address, 1))
        {
            for (var i = 0; i < 100; i++)
            {
                await seed.Client(0).CreateEventAsync(new CreateEventRequest { Title = $"overload seed {i}", Attributes = new EventAttributes { Type = Tracker.Api.V1Alpha1.Type.Deployment, Service = "bench-overload" } });
            }
        }

        await PhaseAsync(address, pid, callers, warmup);
        var normal = await PhaseAsync(address, pid, callers, seconds);
        var overload = await PhaseAsync(address, pid, callers * factor, seconds);
        var verified = normal["other"]!.GetValue<long>() == 0 && overload["other"]!.GetValue<long>() == 0;
        return new JsonObject
        {
            ["tool"] = "Grpc.Net.Client, closed-loop ListEvents",
            ["callers"] = callers,
            ["factor"] = factor,
            ["normal"] = normal,
            ["overload"] = overload,
            ["verified"] = verified,
        };
    }

    private static async Task<JsonObject> PhaseAsync(Uri address, int pid, int callers, int seconds)
    {
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
                    await client.ListEventsAsync(new ListEventsRequest { PerPage = 10 });
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
        };
    }
}
