using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tracker.Bench.Driver;

/// <summary>
/// Runs a load tool (h2load or pgbench) twice, a warm-up then the measured run, and checks its
/// count of successes against an independent one taken around the measured run: the events the
/// store gained (counted with SQL), or the calls the server says it answered (GET /calls).
/// </summary>
internal static partial class ExternalLoad
{
    public static async Task<JsonObject> H2LoadAsync(Options options)
    {
        var warmup = options.Seconds("warmup", 5);
        var duration = options.Seconds("duration", 15);
        var counter = Counter(options);
        var args = options.Rest;

        await RunAsync("h2load", [.. args, "-D", Format(warmup)]);
        var before = await SettledAsync(counter);
        await using var rss = RssSampler.Start(PidOf(options));
        string[] measured = [.. args, "-D", Format(duration)];
        var cpu = CpuMeter.Start(PidOf(options));
        var walBefore = await WalSyncsAsync(options);
        var output = await RunAsync("h2load", measured);
        var after = await counter();
        var walSyncs = await WalSyncsAsync(options) - walBefore;

        var requests = RequestsLine().Match(output);
        var codes = StatusCodesLine().Match(output);
        var finished = FinishedLine().Match(output);
        var latency = LatencyLine().Match(output);
        if (!requests.Success || !codes.Success || !finished.Success)
        {
            throw new InvalidOperationException("h2load printed no summary:\n" + output);
        }

        long N(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var seconds = ToSeconds(finished.Groups["time"].Value);
        var succeeded = N(requests, "succeeded");
        var started = N(requests, "started");
        var failures = N(requests, "failed") + N(requests, "errored") + N(requests, "timeout") + N(codes, "s3") + N(codes, "s4") + N(codes, "s5");
        var gained = after - before;

        // The server finishes calls h2load stopped waiting for at the end: gained may exceed
        // succeeded by the calls in flight, never fall short of it.
        var verified = failures == 0 && gained >= succeeded && gained <= started;
        var result = new JsonObject
        {
            ["tool"] = "h2load",
            ["command"] = "h2load " + string.Join(' ', measured.Select(Quote)),
            ["warmup_s"] = warmup,
            ["duration_s"] = Math.Round(seconds, 3),
            ["succeeded"] = succeeded,
            ["failed"] = failures,
            ["per_second"] = Math.Round(succeeded / seconds, 1),
            ["independent_count"] = gained,
            ["verified"] = verified,
            ["latency_mean_ms"] = latency.Success ? ToMilliseconds(latency.Groups["mean"].Value) : null,
            ["latency_max_ms"] = latency.Success ? ToMilliseconds(latency.Groups["max"].Value) : null,
        };
        result["cpu"] = cpu.Stop(succeeded, seconds);
        if (walSyncs is { } syncs and > 0)
        {
            result["wal_syncs"] = syncs;
            result["events_per_wal_sync"] = Math.Round((double)gained / syncs, 2);
        }

        if (rss is not null)
        {
            result["rss"] = await rss.StopAsync();
        }

        return result;
    }

    public static async Task<JsonObject> PgbenchAsync(Options options)
    {
        var warmup = options.Seconds("warmup", 5);
        var duration = options.Seconds("duration", 15);
        var counter = Counter(options);
        var args = options.Rest;

        await RunAsync("pgbench", [.. args, "-T", Format(warmup)]);
        var before = await counter();
        string[] measured = [.. args, "-T", Format(duration)];
        var cpu = CpuMeter.Start(null);
        var walBefore = await WalSyncsAsync(options);
        var output = await RunAsync("pgbench", measured);
        var after = await counter();
        var walSyncs = await WalSyncsAsync(options) - walBefore;

        var processed = ProcessedLine().Match(output);
        var tps = TpsLine().Match(output);
        var latency = PgLatencyLine().Match(output);
        var failedLine = PgFailedLine().Match(output);
        if (!processed.Success || !tps.Success)
        {
            throw new InvalidOperationException("pgbench printed no summary:\n" + output);
        }

        var transactions = long.Parse(processed.Groups["n"].Value, CultureInfo.InvariantCulture);
        var failed = failedLine.Success ? long.Parse(failedLine.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
        var gained = after - before;
        return new JsonObject
        {
            ["tool"] = "pgbench",
            ["command"] = "pgbench " + string.Join(' ', measured.Select(Quote)),
            ["warmup_s"] = warmup,
            ["duration_s"] = duration,
            ["succeeded"] = transactions,
            ["failed"] = failed,
            ["per_second"] = double.Parse(tps.Groups["tps"].Value, CultureInfo.InvariantCulture),
            ["independent_count"] = gained,
            ["verified"] = failed == 0 && gained == transactions,
            ["latency_mean_ms"] = latency.Success ? double.Parse(latency.Groups["ms"].Value, CultureInfo.InvariantCulture) : null,
            ["cpu"] = cpu.Stop(transactions, duration),
            ["wal_syncs"] = walSyncs,
            ["events_per_wal_sync"] = walSyncs is > 0 ? Math.Round((double)gained / walSyncs.Value, 2) : null,
        };
    }

    /// <summary>
    /// The counter once it stops moving: the calls a warm-up's h2load stopped waiting for are
    /// still committed by the server after it exits (up to one per stream in flight, 64), and
    /// counted into the measured run they would exceed what it started.
    /// </summary>
    private static async Task<long> SettledAsync(Func<Task<long>> counter)
    {
        var last = await counter();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100);
            var now = await counter();
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private static Func<Task<long>> Counter(Options options)
    {
        if (options.Find("calls") is { } callsUrl)
        {
            return async () =>
            {
                using var http = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = new Version(2, 0), DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
                return long.Parse(await http.GetStringAsync(callsUrl), CultureInfo.InvariantCulture);
            };
        }

        var store = StoreTarget.Parse(options.Get("count"));
        return store.CountAsync;
    }

    /// <summary>PostgreSQL's count of WAL flushes (pg_stat_wal, cluster-wide): events per flush is the group commit achieved.</summary>
    private static async Task<long?> WalSyncsAsync(Options options)
    {
        if (options.Find("count") is not { } count || !count.StartsWith("postgres:", StringComparison.Ordinal))
        {
            return null;
        }

        await using var connection = new Npgsql.NpgsqlConnection(StoreTarget.Parse(count).ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT wal_sync FROM pg_stat_wal", connection);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static int? PidOf(Options options) => options.Find("pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null;

    private static async Task<string> RunAsync(string tool, string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}:\n{output}");
        }

        return output;
    }

    private static string Format(double seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string arg) => arg.Any(c => c is ' ' or '\'' or ';') ? "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : arg;

    private static double ToSeconds(string text) => ToMilliseconds(text) / 1000;

    private static double ToMilliseconds(string text)
    {
        var m = DurationText().Match(text);
        var value = double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
        return m.Groups["u"].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => throw new FormatException(text),
        };
    }

    [GeneratedRegex(@"requests: (?<total>\d+) total, (?<started>\d+) started, (?<done>\d+) done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"status codes: (?<s2>\d+) 2xx, (?<s3>\d+) 3xx, (?<s4>\d+) 4xx, (?<s5>\d+) 5xx")]
    private static partial Regex StatusCodesLine();

    [GeneratedRegex(@"finished in (?<time>[\d.]+(?:us|ms|s)),")]
    private static partial Regex FinishedLine();

    [GeneratedRegex(@"time for request:\s+(?<min>[\d.]+(?:us|ms|s))\s+(?<max>[\d.]+(?:us|ms|s))\s+(?<mean>[\d.]+(?:us|ms|s))")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^(?<v>[\d.]+)(?<u>us|ms|s)$")]
    private static partial Regex DurationText();

    [GeneratedRegex(@"number of transactions actually processed: (?<n>\d+)")]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"number of failed transactions: (?<n>\d+)")]
    private static partial Regex PgFailedLine();

    [GeneratedRegex(@"tps = (?<tps>[\d.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = (?<ms>[\d.]+) ms")]
    private static partial Regex PgLatencyLine();
}
