using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario k (README, "Notifications"): webhook notifications against a running server started
/// with Notifications:AllowPrivateTargets and Notifications:AllowHttp. Creates are paced at R per
/// second (at most 128 in flight) through Grpc.Net.Client, in rounds that take turns (with, then
/// without; without, then with; ...), so both sides meet the same moments of a shared machine:
/// <list type="bullet">
/// <item>with: C webhook channels made over REST (<c>POST /api/v1alpha1/channels</c>, filter
/// <c>title:*</c>, which every event matches) pointing at a <see cref="WebhookReceiver"/> in this
/// process; after the creates, the driver waits (bounded) until every created event has reached
/// every channel, then deletes the channels. Each request received for an event created in the
/// measured part gives one sample: its arrival minus the payload's change_time (the commit). Each
/// (channel, event) pair must arrive exactly once: pairs never received are missing, repeats are
/// duplicates. The server's own <c>tracker.notifications.attempt.lag</c> (commit to the first
/// attempt's start) is scraped from /metrics when the warm-up ends and after the wait.</item>
/// <item>without: the same paced creates with no channel.</item>
/// </list>
/// The figure of each side is the creates acknowledged in its measured part per second, and their
/// latency.
/// </summary>
internal static class NotifyLoad
{
    private const int MaxCreatesInFlight = 128;
    private const string AttemptLagFamily = "tracker_notifications_attempt_lag_seconds";

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var grpc = new Uri(options.Get("grpc"));
        var rest = new Uri(options.Get("http"));
        var metrics = new Uri(rest, "/metrics");
        var channelCount = options.Int("channels", 10);
        var rate = options.Int("rate", 200);
        var burnIn = options.Int("burn-in", 30);
        var warmup = options.Int("warmup", 3);
        var seconds = options.Int("duration", 5);
        var rounds = options.Int("rounds", 3);
        var drainLimit = TimeSpan.FromSeconds(options.Int("drain", 120));

        await using var receiver = await WebhookReceiver.StartAsync();
        using var pool = new ChannelPool(grpc, MaxCreatesInFlight);
        using var http = new HttpClient { BaseAddress = rest };
        var with = new List<PacedRun>();
        var without = new List<PacedRun>();
        var toReceiver = new LatencySamples();
        var attemptLag = ServerHistogram.Empty();
        long expected = 0, received = 0, duplicates = 0, missing = 0, unreadable = 0;
        var drainSeconds = new List<double>();
        var webhookIds = new HashSet<string>(StringComparer.Ordinal);
        var receiptsWithoutId = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var roundWarmup = round == 1 ? burnIn : warmup;
            var sides = round % 2 == 1 ? new[] { true, false } : [false, true];
            foreach (var withChannels in sides)
            {
                var service = $"bench-notify-{Guid.NewGuid().ToString("N")[..8]}";
                if (!withChannels)
                {
                    without.Add(await PacedRun.RunAsync(pool, service, rate, roundWarmup, seconds, onMeasuredPart: null));
                    continue;
                }

                var names = Enumerable.Range(1, channelCount).Select(n => $"bench-k{round}-{n}").ToList();
                foreach (var name in names)
                {
                    await CreateChannelAsync(http, name, receiver.Url);
                }

                var firstReceipt = receiver.Count;
                Task<ServerHistogram>? lagBefore = null;
                var run = await PacedRun.RunAsync(pool, service, rate, roundWarmup, seconds, () => lagBefore = ServerHistogram.ScrapeAsync(http, metrics, AttemptLagFamily));
                with.Add(run);

                // Every created event to every channel, or the bound.
                var ids = run.Created.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                var arrivals = new Dictionary<(string Channel, string Id), int>();
                var receipts = new List<Receipt>();
                var drain = Stopwatch.StartNew();
                var seen = firstReceipt;
                while (true)
                {
                    var fresh = receiver.Since(seen);
                    seen += fresh.Count;
                    foreach (var receipt in fresh.Where(r => r.Channel is not null && names.Contains(r.Channel) && r.EventId is not null && ids.Contains(r.EventId)))
                    {
                        receipts.Add(receipt);
                        arrivals[(receipt.Channel!, receipt.EventId!)] = arrivals.GetValueOrDefault((receipt.Channel!, receipt.EventId!)) + 1;
                    }

                    unreadable += fresh.Count(r => r.EventId is null);
                    if (arrivals.Count == names.Count * ids.Count || drain.Elapsed > drainLimit)
                    {
                        break;
                    }

                    await Task.Delay(200);
                }

                drainSeconds.Add(Math.Round(drain.Elapsed.TotalSeconds, 1));

                // A repeat sent late still counts: a short look after everything arrived.
                await Task.Delay(1000);
                foreach (var receipt in receiver.Since(seen).Where(r => r.Channel is not null && names.Contains(r.Channel) && r.EventId is not null && ids.Contains(r.EventId)))
                {
                    receipts.Add(receipt);
                    arrivals[(receipt.Channel!, receipt.EventId!)] = arrivals.GetValueOrDefault((receipt.Channel!, receipt.EventId!)) + 1;
                }

                if (lagBefore is not null)
                {
                    attemptLag = attemptLag.Plus((await ServerHistogram.ScrapeAsync(http, metrics, AttemptLagFamily)).Minus(await lagBefore));
                }

                foreach (var name in names)
                {
                    await DeleteChannelAsync(http, name);
                }

                var measured = run.Created.Where(c => c.InMeasuredPart).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var receipt in receipts)
                {
                    if (measured.Contains(receipt.EventId!) && receipt.ChangeTime is { } committed)
                    {
                        toReceiver.Add(Math.Max(0, (receipt.At - committed).TotalMilliseconds));
                    }

                    if (receipt.WebhookId is { } id)
                    {
                        webhookIds.Add(id);
                    }
                    else
                    {
                        receiptsWithoutId++;
                    }
                }

                expected += (long)names.Count * ids.Count;
                received += receipts.Count;
                duplicates += arrivals.Values.Sum(n => (long)n - 1);
                missing += (long)names.Count * ids.Count - arrivals.Count;
            }
        }

        var withRate = with.Average(r => r.PerSecond);
        var withoutRate = without.Average(r => r.PerSecond);
        return new JsonObject
        {
            ["tool"] = "driver",
            ["mode"] = "notify",
            ["channels"] = channelCount,
            ["target_rate"] = rate,
            ["rounds"] = rounds,
            ["duration_s"] = seconds * rounds,
            ["with_channels_per_second"] = Math.Round(withRate, 1),
            ["without_channels_per_second"] = Math.Round(withoutRate, 1),
            ["each_round_with"] = new JsonArray([.. with.Select(r => JsonValue.Create(Math.Round(r.PerSecond, 1)))]),
            ["each_round_without"] = new JsonArray([.. without.Select(r => JsonValue.Create(Math.Round(r.PerSecond, 1)))]),
            ["create_latency_with"] = Combined(with).Summary(seconds * rounds),
            ["create_latency_without"] = Combined(without).Summary(seconds * rounds),
            ["commit_to_receiver"] = toReceiver.Summary(seconds * rounds),
            ["server_attempt_lag"] = attemptLag.Summary(),
            ["events"] = with.Sum(r => r.Created.Count),
            ["deliveries_expected"] = expected,
            ["deliveries_received"] = received,
            ["missing"] = missing,
            ["duplicates"] = duplicates,
            ["distinct_webhook_ids"] = webhookIds.Count,
            ["receipts_without_webhook_id"] = receiptsWithoutId,
            ["unreadable_bodies"] = unreadable,
            ["drain_seconds"] = new JsonArray([.. drainSeconds.Select(s => JsonValue.Create(s))]),
            // Nothing committed may be lost; repeats are allowed (receivers dedupe by webhook-id) and reported.
            ["verified"] = missing == 0 && expected > 0,
        };
    }

    private static LatencySamples Combined(List<PacedRun> runs)
    {
        var all = new LatencySamples();
        foreach (var run in runs)
        {
            all.AddRange(run.Latency);
        }

        return all;
    }

    private static async Task CreateChannelAsync(HttpClient http, string name, Uri target)
    {
        using var response = await http.PostAsJsonAsync("/api/v1alpha1/channels", new JsonObject
        {
            ["name"] = name,
            ["kind"] = "CHANNEL_KIND_WEBHOOK",
            ["url"] = target.ToString(),
            ["filter"] = "title:*",
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/v1alpha1/channels ({name}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task DeleteChannelAsync(HttpClient http, string name)
    {
        using var response = await http.DeleteAsync($"/api/v1alpha1/channels/{name}");
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"DELETE /api/v1alpha1/channels/{name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>
/// CreateEvent paced at a fixed rate (one every 1/rate s, at most 128 in flight) for a warm-up
/// and a measured part: each create's id and whether it was sent in the measured part, and the
/// creates per second and latency of the measured part.
/// </summary>
internal sealed class PacedRun
{
    private const int MaxInFlight = 128;

    private PacedRun(List<(string Id, bool InMeasuredPart)> created, double perSecond, LatencySamples latency)
    {
        Created = created;
        PerSecond = perSecond;
        Latency = latency;
    }

    public List<(string Id, bool InMeasuredPart)> Created { get; }

    /// <summary>Creates acknowledged in the measured part, per second of it.</summary>
    public double PerSecond { get; }

    /// <summary>The measured part's creates, sent to acknowledged (ms).</summary>
    public LatencySamples Latency { get; }

    /// <param name="onMeasuredPart">Called once, when the warm-up ends.</param>
    public static async Task<PacedRun> RunAsync(ChannelPool pool, string service, int rate, int warmupSeconds, int seconds, Action? onMeasuredPart)
    {
        var created = new List<(string, bool)>();
        var latency = new LatencySamples();
        var inFlight = new SemaphoreSlim(MaxInFlight);
        var pending = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var warmup = TimeSpan.FromSeconds(warmupSeconds);
        var total = warmup + TimeSpan.FromSeconds(seconds);
        var clock = Stopwatch.StartNew();
        long acknowledgedInMeasuredPart = 0;
        var measuring = false;
        long next = 0;
        while (clock.Elapsed < total)
        {
            var wait = interval * next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (!measuring && clock.Elapsed >= warmup)
            {
                measuring = true;
                onMeasuredPart?.Invoke();
            }

            var inMeasuredPart = measuring;
            var index = next++;
            await inFlight.WaitAsync();
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    var e = await pool.Client((int)(index % pool.Count)).CreateEventAsync(new CreateEventRequest
                    {
                        Title = "notify",
                        Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = service },
                    });
                    var acknowledgedAt = clock.Elapsed;
                    lock (created)
                    {
                        created.Add((e.Id, inMeasuredPart));
                        if (inMeasuredPart)
                        {
                            latency.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                        }

                        if (acknowledgedAt >= warmup && acknowledgedAt < total)
                        {
                            acknowledgedInMeasuredPart++;
                        }
                    }
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(pending);
        return new PacedRun(created, acknowledgedInMeasuredPart / (double)seconds, latency);
    }
}
