using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Tracker.Bench.Driver;

/// <summary>
/// Writes bench/RESULTS.md from the JSON results of one run: the machine, a table of every
/// target (bench/RESULTS.md, "Targets") with its figure, its baseline, the ratio, the same figure in an
/// earlier run (--previous, bench/previous-homemade-runtime.tsv) and whether it is met, the
/// per-stage figures that locate a shortfall, how each run was verified, the hand-written
/// analysis (bench/analysis.md) and the exact commands.
/// </summary>
internal static class Report
{
    public static async Task WriteAsync(Options options)
    {
        var directory = options.Get("results");
        var results = Directory.GetFiles(directory, "*.json")
            .Select(f => (Name: Path.GetFileNameWithoutExtension(f), Result: JsonNode.Parse(File.ReadAllText(f))!.AsObject()))
            .GroupBy(r => r.Name.Split(".r")[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Merge(g.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => r.Result).ToList()), StringComparer.Ordinal);
        JsonObject? R(string name) => results.GetValueOrDefault(name);
        var machine = R("machine") ?? new JsonObject();
        var previousFile = options.Find("previous");
        var previous = previousFile is null ? null : PreviousRun.Load(previousFile);
        var text = new StringBuilder();

        text.AppendLine("# Benchmark results");
        text.AppendLine();
        text.AppendLine($"Written by `bash bench/run.sh` on {S(machine, "date")} from commit `{S(machine, "commit")}`. Every figure is");
        text.AppendLine("compared with a baseline measured in the same run on the same machine (issue 6).");
        if (machine["scenarios"] is { } scenarios && (scenarios.ToString() != S(machine, "all_scenarios") || S(machine, "stores") != "sqlite postgres"))
        {
            text.AppendLine($"**A partial run**: only scenarios {scenarios} (BENCH_SCENARIOS), reads on {S(machine, "stores")} (BENCH_STORES),");
            text.AppendLine($"over {Thousands(S(R("d-generate-sqlite") ?? R("d-generate-postgres"), "stored"))} generated events.");
        }

        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| cores (nproc) | {S(machine, "cores")} |");
        text.AppendLine($"| memory | {S(machine, "memory_mb")} MB |");
        text.AppendLine($"| CPU | {S(machine, "cpu")} |");
        text.AppendLine($"| kernel | {S(machine, "kernel")} |");
        text.AppendLine($"| .NET SDK | {S(machine, "dotnet")} |");
        text.AppendLine($"| PostgreSQL | {S(machine, "postgres")} (fsync, synchronous_commit and full_page_writes on) |");
        text.AppendLine($"| load tool | {S(machine, "h2load")}, pgbench |");
        text.AppendLine($"| load average when the run started | {S(machine, "load_average_at_start")} (the 2 cores are shared with other work) |");
        text.AppendLine();
        text.AppendLine($"Each load run: a warm-up run, then a measured run of fixed duration; throughput comparisons take turns in rounds ({R("a-grpc-postgres")?["rounds"]?.AsArray().Count ?? 1} rounds, {Num(R("a-grpc-postgres"), "duration_s")} s measured in all per side).");
        text.AppendLine("64 concurrent calls are h2load `-t 1 -c 8 -m 8` (8 HTTP/2 connections of 8 streams); pgbench uses `-c 64 -j 2`.");
        text.AppendLine();

        text.AppendLine("## Targets");
        text.AppendLine();
        text.AppendLine("The targets of issue 6, with those issue 10 set for the move to Grpc.AspNetCore: a >= 1.5x,");
        text.AppendLine("b >= 0.8x, c >= 0.85x, d's search <= 2x its SQL on both stores, g <= 1.5 s; and issue 11's for the query");
        text.AppendLine("language (h): each kind of ListEvents query at most 20 ms p99 and at most 2x its SQL, on both stores.");
        if (previous is not null)
        {
            text.AppendLine($"\"{previous.Label}\" is the same figure (and its ratio to the baseline of that run) in the last run");
            text.AppendLine($"on Tracker's home-made gRPC runtime, on the same machine; `{previousFile!.Replace('\\', '/')}` says where it comes from.");
            text.AppendLine("Compare the ratios rather than the absolute figures: the shared machine moves both sides of a ratio together.");
        }

        text.AppendLine();
        TargetRow(text, previous, "", "scenario", "Tracker", "baseline", "ratio", previous?.Label, "target", "met");
        text.AppendLine(string.Concat(Enumerable.Repeat("|---", previous is null ? 7 : 8)) + "|");
        Throughput(text, previous, "a", "gRPC CreateEvent, PostgreSQL, 64 concurrent (events/s)", R("a-grpc-postgres"), "pgbench single-row INSERT, 64 clients (tps)", R("a-pgbench"), 1.5);
        Throughput(text, previous, "a", "gRPC CreateEvent, PostgreSQL, 64 concurrent (events/s)", R("a-grpc-postgres"), "PostgresEventStore.CreateAsync in process, 64 concurrent callers", R("a-store-postgres"), 0.8);
        Throughput(text, previous, "b", "REST CreateEvent, PostgreSQL, 64 concurrent (events/s)", R("b-rest-postgres"), "gRPC CreateEvent, same store and concurrency", R("a-grpc-postgres"), 0.8);
        Throughput(text, previous, "c", "no-op unary gRPC method on Grpc.AspNetCore (requests/s)", R("c-noop-tracker"), "plain Kestrel HTTP/2 endpoint, same bytes", R("c-noop-kestrel"), 0.85);
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            var search = R($"d-search-{store}");
            var get = R($"d-get-{store}");
            var name = store == "sqlite" ? "SQLite" : "PostgreSQL";
            var events = R($"d-generate-{store}")?["stored"]?.ToString() ?? "?";
            if (search is not null)
            {
                var p99 = D(search["tracker"], "p99_ms");
                var sql = D(search["sql"], "p99_ms");
                var ratio = p99 / sql;
                TargetRow(text, previous, "d", $"SearchEvents p99 over {Thousands(events)} events, {name}", $"{p99:0.00} ms", $"the store's SQL run directly: {sql:0.00} ms", $"{ratio:0.00}x", Before(previous, $"d-search-{store}", " ms"), "<= 20 ms and <= 2x", Met(p99 <= 20 && ratio <= 2));
            }

            if (get is not null)
            {
                var p99 = D(get["tracker"], "p99_ms");
                var sql = D(get["sql"], "p99_ms");
                TargetRow(text, previous, "d", $"GetEvent p99, {name}", $"{p99:0.00} ms", $"the store's SQL run directly: {sql:0.00} ms", $"{p99 / sql:0.0}x", Before(previous, $"d-get-{store}", " ms"), "<= 5 ms", Met(p99 <= 5));
            }
        }

        foreach (var (kind, what) in QueryKinds)
        {
            foreach (var store in new[] { "sqlite", "postgres" })
            {
                if (R($"h-{kind}-{store}") is { } r)
                {
                    var p99 = D(r["tracker"], "p99_ms");
                    var sql = D(r["sql"], "p99_ms");
                    TargetRow(text, previous, "h", $"ListEvents p99, {what}, {StoreName(store)}", $"{p99:0.00} ms", $"{SqlPathName(r)}: {sql:0.00} ms", $"{p99 / sql:0.00}x", "(new)", QueryTarget, Met(QueryTargetMet(p99, sql)));
                }
            }
        }

        // The raw loop into the same schema (full text, side rows, change log), 64 events per commit, taking turns with gRPC.
        Throughput(text, previous, "e", "gRPC CreateEvent, SQLite, 64 concurrent (events/s)", R("e-grpc-sqlite"), "raw Microsoft.Data.Sqlite loop, 64 events per commit, same schema", R("e-raw64-sqlite"), 0.5);
        WatchRows(text, previous, results);
        OverloadRows(text, previous, results);
        NotifyRows(text, previous, results);
        var memory = MemoryRows(results);
        var worst = memory.Count == 0 ? double.NaN : memory.Max(m => m.Mb);
        TargetRow(text, previous, "f", "server RSS, highest of every load and after loading the events", $"{worst:0} MB", "", "", Before(previous, "f", " MB"), "<= 250 MB", Met(worst <= 250));
        if (R("g-startup") is { } startup)
        {
            var fresh = startup["new_database"]!;
            var existing = startup["existing_database"]!;
            var max = Math.Max(D(fresh, "ready_max_ms"), D(existing, "ready_max_ms"));
            var before = previous is null ? null : $"{previous["g-new-median"].Figure} / {previous["g-existing-median"].Figure} ms ({previous["g-slowest"].Figure} ms)";
            TargetRow(text, previous, "g", $"start-up to ready, SQLite: median new file / existing file (slowest of {S(startup, "runs")} runs each)", $"{D(fresh, "ready_median_ms"):0} / {D(existing, "ready_median_ms"):0} ms ({max:0} ms)", "", "", before, "<= 1500 ms", Met(max <= 1500));
        }

        text.AppendLine();
        text.AppendLine("## Where the time goes: the same work without parts of Tracker");
        text.AppendLine();
        text.AppendLine("CPU per event (or call), in milliseconds of one core, read from /proc during the measured runs:");
        text.AppendLine("the server process, PostgreSQL's processes, the load tool, the driver (where the work runs in it),");
        text.AppendLine("and everything else on the machine. With 2 cores, 2000 ms of CPU per second is all there is.");
        text.AppendLine();
        text.AppendLine("| work | events/s or calls/s | latency | CPU ms per event: server / PostgreSQL / load tool / driver / others | cores busy (by others) |");
        text.AppendLine("|---|---|---|---|---|");
        Stage(text, "pgbench, single-row INSERT, 64 clients", R("a-pgbench"));
        Stage(text, "PostgresEventStore.CreateAsync in process, 64 concurrent callers (no HTTP/2, no gRPC)", R("a-store-postgres"));
        Stage(text, "gRPC CreateEvent on PostgreSQL through Tracker, 64 concurrent", R("a-grpc-postgres"));
        Stage(text, "REST CreateEvent on PostgreSQL through Tracker, 64 concurrent", R("b-rest-postgres"));
        Stage(text, "raw Microsoft.Data.Sqlite loop, one commit per event", R("e-raw-sqlite"));
        Stage(text, "raw Microsoft.Data.Sqlite loop, 64 events per commit (what group commit allows)", R("e-raw64-sqlite"));
        Stage(text, "gRPC CreateEvent on SQLite through Tracker, 64 concurrent", R("e-grpc-sqlite"));
        Stage(text, "no-op unary method on Grpc.AspNetCore", R("c-noop-tracker"));
        Stage(text, "plain Kestrel endpoint returning the same bytes", R("c-noop-kestrel"));
        text.AppendLine();

        text.AppendLine("## Reads over the generated events (scenario d)");
        text.AppendLine();
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            if (R($"d-generate-{store}") is { } generated)
            {
                var copy = generated["copy_seconds"] is { } c ? $" (COPY {c} s, then VACUUM ANALYZE and CHECKPOINT)" : "";
                text.AppendLine($"- Generated {Thousands(S(generated, "stored"))} events into {store} in {S(generated, "seconds")} s{copy}, {S(generated, "per_second")} events/s.");
            }
        }

        if (results.Keys.Any(k => k.StartsWith("d-search-", StringComparison.Ordinal) || k.StartsWith("d-get-", StringComparison.Ordinal)))
        {
            text.AppendLine();
            text.AppendLine("Calls are paired: each request goes to Tracker (gRPC, over HTTP/2 from the driver) and, right");
            text.AppendLine("after or right before, as the store's own SQL to the database from the same driver, so both");
            text.AppendLine("see the same requests and the same moments of the shared machine. One call at a time.");
            text.AppendLine("Before timing, Tracker's first pages are checked equal to the SQL's (ids and total). Neither path");
            text.AppendLine("decodes what it reads (the driver checks grpc-status and takes the response bytes; the SQL path");
            text.AppendLine("reads the document bytes). A third path, timed after, paired with the SQL again, splits Tracker's");
            text.AppendLine("share: the store class called in the driver's process (its pooled connection and the same SQL;");
            text.AppendLine("GetEvent decodes its document; a search page comes back with its documents still encoded, which");
            text.AppendLine("Tracker then decodes and the gRPC runtime encodes again), so Tracker minus the store class is");
            text.AppendLine("HTTP/2, gRPC, the domain and that decoding and encoding.");
            text.AppendLine();
            text.AppendLine("| call | store | path | calls | mean | p50 | p90 | p99 | p99.9 | max |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var kind in new[] { "search", "get" })
            {
                foreach (var store in new[] { "sqlite", "postgres" })
                {
                    if (R($"d-{kind}-{store}") is { } r)
                    {
                        LatencyRow(text, kind, store, "Tracker (gRPC)", r["tracker"]!);
                        LatencyRow(text, kind, store, "SQL directly", r["sql"]!);
                        if (r["store_class"] is { } inProcess)
                        {
                            LatencyRow(text, kind, store, "store class in process (timed after)", inProcess);
                            LatencyRow(text, kind, store, "SQL directly, paired with the store class", r["sql_paired_with_store_class"]!);
                        }
                    }
                }
            }

            text.AppendLine();
        }
        else
        {
            text.AppendLine();
        }

        QueryLanguageSection(text, results);

        text.AppendLine("## Memory (scenario f)");
        text.AppendLine();
        text.AppendLine("Resident set of the server process, sampled from /proc/PID/status (VmRSS) every 100 ms during each");
        text.AppendLine("load; VmHWM is the kernel's high-water mark for the process.");
        text.AppendLine();
        text.AppendLine("| server under | RSS max | VmHWM |");
        text.AppendLine("|---|---|---|");
        foreach (var (label, mb, hwm) in memory)
        {
            text.AppendLine($"| {label} | {mb:0.0} MB | {hwm:0.0} MB |");
        }

        text.AppendLine();
        text.AppendLine("## Verification of every run");
        text.AppendLine();
        text.AppendLine("h2load counts a gRPC call answered with HTTP 200 as a success whatever its grpc-status, so each load");
        text.AppendLine("run is checked against a count taken independently: the events the store gained (SQL count(*) before");
        text.AppendLine("and after the measured run), or the calls the server itself counted. The store may gain up to the");
        text.AppendLine("calls in flight when the tool stopped, never fewer than the tool's successes. The driver's own calls");
        text.AppendLine("read grpc-status on every call.");
        text.AppendLine();
        text.AppendLine("| run | successes (tool) | failures | independent count | verified |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var (name, r) in results.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name == "machine" || r["unavailable"] is not null)
            {
                continue;
            }

            var successes = r["succeeded"]?.ToString() ?? r["tracker"]?["calls"]?.ToString() ?? r["events"]?.ToString() ?? "";
            var failures = r["failed"]?.ToString() ?? r["tracker_errors"]?.ToString() ?? "";
            var independent = r["independent_count"]?.ToString() ?? "";
            if (r["what"]?.ToString().Contains("in process", StringComparison.Ordinal) == true)
            {
                independent += " stored over warm-up and measured run together, each call's event counted";
            }
            else if (r["stored"] is { } stored)
            {
                independent = $"count(*) = {stored}";
            }
            else if (r["checked_equal_to_sql"] is { } c)
            {
                independent = r["kind"]?.ToString() == "get"
                    ? $"first {c} events equal to the asked ids; grpc-status of every call"
                    : $"first {c} pages equal to {r["checked_against"]?.ToString() ?? "the SQL's"} (ids, total); grpc-status of every call";
            }
            else if (r["what"]?.ToString().StartsWith("raw", StringComparison.Ordinal) == true)
            {
                independent = "the driver's own loop: every insert and commit returned";
            }
            else if (r["rss_mb"] is not null || r["new_database"] is not null)
            {
                independent = "not a load run";
            }
            text.AppendLine($"| {name} | {successes} | {failures} | {independent} | {(r["verified"]?.GetValue<bool>() == true ? "yes" : "NO")} |");
        }

        foreach (var (name, r) in results.Where(p => p.Value["unavailable"] is not null))
        {
            text.AppendLine();
            text.AppendLine($"Not measured, {name}: {S(r, "unavailable")}.");
        }

        if (options.Find("analysis") is { } analysis && File.Exists(analysis))
        {
            text.AppendLine();
            text.Append(await File.ReadAllTextAsync(analysis));
        }

        if (options.Find("commands") is { } commands && File.Exists(commands))
        {
            text.AppendLine();
            text.Append((await File.ReadAllTextAsync(commands)).Replace("# Exact commands of the last run (bench/run.sh)", "## Exact commands", StringComparison.Ordinal));
        }

        await File.WriteAllTextAsync(options.Get("out"), text.ToString());
    }

    /// <summary>
    /// Rounds of one load run (name.r1, name.r2, ...) as one result: successes over the summed
    /// measured time, every round verified, the highest memory of any round.
    /// </summary>
    private static JsonObject Merge(List<JsonObject> rounds)
    {
        if (rounds.Count == 1)
        {
            return rounds[0];
        }

        var merged = (JsonObject)rounds[0].DeepClone();
        double Sum(string name) => rounds.Sum(r => D(r, name));
        var seconds = Sum("duration_s");
        merged["rounds"] = new JsonArray(rounds.Select(r => (JsonNode)D(r, "per_second")).ToArray());
        merged["duration_s"] = Math.Round(seconds, 3);
        merged["succeeded"] = Sum("succeeded");
        if (rounds.All(r => r["failed"] is not null))
        {
            merged["failed"] = Sum("failed");
        }
        merged["per_second"] = Math.Round(Sum("succeeded") / seconds, 1);
        if (rounds.All(r => r["independent_count"] is not null))
        {
            merged["independent_count"] = Sum("independent_count");
        }

        if (rounds.All(r => r["wal_syncs"] is not null) && rounds.All(r => r["independent_count"] is not null))
        {
            merged["wal_syncs"] = Sum("wal_syncs");
            merged["events_per_wal_sync"] = Math.Round(Sum("independent_count") / Sum("wal_syncs"), 2);
        }

        if (rounds.All(r => r["latency_mean_ms"] is not null))
        {
            merged["latency_mean_ms"] = Math.Round(rounds.Average(r => D(r, "latency_mean_ms")), 3);
        }

        merged["verified"] = rounds.All(r => r["verified"]?.GetValue<bool>() == true);
        if (rounds.All(r => r["cpu"] is not null))
        {
            var work = Sum("succeeded");
            double Weighted(Func<JsonNode, double> value) => rounds.Sum(r => value(r["cpu"]!) * D(r, "succeeded")) / work;
            double Timed(Func<JsonNode, double> value) => rounds.Sum(r => value(r["cpu"]!) * D(r, "duration_s")) / seconds;
            var parties = new[] { "server", "postgres", "load_tool", "driver", "others" };
            var perUnit = new JsonObject();
            foreach (var party in parties)
            {
                perUnit[party] = Math.Round(Weighted(c => D(c["cpu_ms_per_unit"], party)), 4);
            }

            merged["cpu"] = new JsonObject
            {
                ["cpu_ms_per_unit"] = perUnit,
                ["cores_busy"] = Math.Round(Timed(c => D(c, "cores_busy")), 2),
                ["cores_busy_by_others"] = Math.Round(Timed(c => D(c, "cores_busy_by_others")), 2),
            };
        }
        var rss = rounds.Select(r => r["rss"]).OfType<JsonNode>().ToList();
        if (rss.Count > 0)
        {
            merged["rss"] = new JsonObject
            {
                ["rss_max_mb"] = rss.Max(r => D(r, "rss_max_mb")),
                ["hwm_mb"] = rss.Max(r => D(r, "hwm_mb")),
            };
        }

        return merged;
    }

    private static void Throughput(StringBuilder text, PreviousRun? previous, string id, string what, JsonObject? tracker, string baselineName, JsonObject? baseline, double target)
    {
        var before = Before(previous, id, "");
        var wanted = $">= {target.ToString("0.0#", CultureInfo.InvariantCulture)}x";
        if (tracker is null || tracker["unavailable"] is not null || baseline is null)
        {
            var why = tracker?["unavailable"]?.ToString() ?? "not measured";
            TargetRow(text, previous, id, what, why, baselineName, "", before, wanted, "not measured");
            return;
        }

        var ratio = D(tracker, "per_second") / D(baseline, "per_second");
        TargetRow(text, previous, id, what, $"{D(tracker, "per_second"):0}", $"{baselineName}: {D(baseline, "per_second"):0}", $"{ratio:0.00}x", before, wanted, Met(ratio >= target));
    }

    /// <summary>A row of the Targets table; the earlier run's cell only when there is an earlier run.</summary>
    /// <summary>Scenario i (README, "Watching events"): delivery p99 and throughput with watchers on each store, memory of idle watchers.</summary>
    private static void WatchRows(StringBuilder text, PreviousRun? previous, Dictionary<string, JsonObject> results)
    {
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            if (results.GetValueOrDefault($"i-delivery-{store}") is { } delivery)
            {
                var p99 = D(delivery["latency"], "p99_ms");
                TargetRow(text, previous, "i", $"WatchEvents: create acknowledged to arrival, p99, {S(delivery, "watchers")} watchers at {S(delivery, "achieved_rate")} creates/s, {StoreName(store)}", $"{p99:0.0} ms", "", "", "(new)", "<= 50 ms, every change once", Met(p99 <= 50 && delivery["verified"]?.GetValue<bool>() == true));
                if (delivery["server_watch_lag"] is { } lag)
                {
                    // The server's own histogram: commit to written on each watcher's stream, without the driver's wait for a core.
                    var figure = D(lag, "count") > 0 ? $"{S(lag, "p99")} (p50 {S(lag, "p50")})" : "no measurement: tracker.watch.lag is not exported by this build";
                    TargetRow(text, previous, "i", $"the same in the server's tracker.watch.lag (commit to written on each watcher's stream; histogram bucket bounds), p99, {StoreName(store)}", figure, $"client: {p99:0.0} ms", "", "(new)", "<= 50 ms at 1,000 creates/s with 100 watchers", Met(BucketBoundMs(lag["p99"]) <= 50));
                }
            }

            if (results.GetValueOrDefault($"i-throughput-{store}") is { } throughput)
            {
                var with = D(throughput, "with_watchers_per_second");
                var without = D(throughput, "without_watchers_per_second");
                TargetRow(text, previous, "i", $"CreateEvent with {S(throughput, "watchers")} watchers attached, 64 concurrent (events/s), {StoreName(store)}", $"{with:0}", $"no watcher: {without:0}", $"{with / without:0.00}x", "(new)", ">= 0.8x", Met(with / without >= 0.8));
            }
        }

        if (results.GetValueOrDefault("i-idle") is { } idle)
        {
            TargetRow(text, previous, "i", $"server RSS with {S(idle, "watchers")} idle watchers, SQLite", $"{D(idle, "rss_with_watchers_mb"):0.0} MB ({D(idle, "kb_per_watcher"):0.0} KB each)", $"before they connected: {D(idle, "rss_before_mb"):0.0} MB", "", "(new)", "little (measured)", "measured");
        }
    }

    /// <summary>
    /// Scenario j (README, "Limits"): at 10x the callers, the calls admitted stay within 2x their normal
    /// p99 (the queue adds at most its length over the slots' worth of waiting), the rest are
    /// refused within 10 ms, and the server's peak memory stays within 1.5x of the normal load's.
    /// </summary>
    private static void OverloadRows(StringBuilder text, PreviousRun? previous, Dictionary<string, JsonObject> results)
    {
        if (results.GetValueOrDefault("j-overload") is not { } overload)
        {
            return;
        }

        var normal = overload["normal"]!;
        var flood = overload["overload"]!;
        var callers = $"{S(normal, "callers")} -> {S(flood, "callers")} callers";
        var servedP99 = D(flood["served"], "p99_ms");
        var normalP99 = D(normal["served"], "p99_ms");
        TargetRow(text, previous, "j", $"ListEvents served at 10x the callers ({callers}), p99 (served/s)", $"{servedP99:0.0} ms ({D(flood["served"], "per_second"):0}/s)", $"normal: {normalP99:0.0} ms ({D(normal["served"], "per_second"):0}/s)", $"{servedP99 / normalP99:0.00}x", "(new)", "<= 2x, nothing but OK and RESOURCE_EXHAUSTED", Met(servedP99 / normalP99 <= 2 && overload["verified"]?.GetValue<bool>() == true));
        var refusedP99 = D(flood["refused"], "p99_ms");
        var refusedFigure = D(flood["refused"], "calls") > 0 ? $"{refusedP99:0.0} ms ({D(flood["refused"], "per_second"):0}/s)" : "none refused: the limits were not reached";
        TargetRow(text, previous, "j", $"ListEvents refused at 10x the callers, p99 (refused/s), as the client saw it", refusedFigure, "", "", "(new)", "<= 10 ms", Met(refusedP99 <= 10));
        if (flood["server_refused"] is { } serverRefused && normal["server_served"] is { } serverNormal && flood["server_served"] is { } serverServed)
        {
            // The server's own histogram: what it spent on a call, without the client's wait for its core.
            TargetRow(text, previous, "j", $"the same in the server's request duration (server on cpu {S(overload, "server_cpus")}; histogram bucket bounds): served p99, refused p99", $"{S(serverServed, "p99")}, {S(serverRefused, "p99")}", $"normal served: {S(serverNormal, "p99")}", "", "(new)", "refused <= 10 ms", Met(BucketBoundMs(serverRefused["p99"]) <= 10));
        }

        var rss = D(flood["server"], "rss_max_mb");
        var normalRss = D(normal["server"], "rss_max_mb");
        TargetRow(text, previous, "j", "server peak RSS at 10x the callers", $"{rss:0} MB", $"normal: {normalRss:0} MB", $"{rss / normalRss:0.00}x", "(new)", "<= 1.5x", Met(rss / normalRss <= 1.5));
    }

    /// <summary>
    /// Scenario k (README, "Notifications"): 10 webhook channels that every event matches, creates
    /// paced at 200/s, on each store: commit to the receiver, p99 at most 200 ms; the server's own
    /// commit-to-first-attempt histogram beside it; creates with the channels at least 0.9x those
    /// without; and every event reaching every channel, none lost (repeats reported).
    /// </summary>
    private static void NotifyRows(StringBuilder text, PreviousRun? previous, Dictionary<string, JsonObject> results)
    {
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            if (results.GetValueOrDefault($"k-notify-{store}") is not { } k)
            {
                continue;
            }

            var channels = S(k, "channels");
            var toReceiver = k["commit_to_receiver"];
            var p99 = D(toReceiver, "p99_ms");
            var lag = k["server_attempt_lag"];
            var serverLag = D(lag, "count") > 0 ? $"{S(lag, "p99")} (p50 {S(lag, "p50")})" : "not exported by this build";
            TargetRow(text, previous, "k", $"notifications: commit to webhook received, p99 (p50), {channels} channels at {S(k, "with_channels_per_second")} creates/s, {StoreName(store)}", $"{p99:0.0} ms ({D(toReceiver, "p50_ms"):0.0} ms)", $"server's commit to first attempt (tracker.notifications.attempt.lag, bucket bounds), p99: {serverLag}", "", "(new)", "<= 200 ms", Met(p99 <= 200 && D(toReceiver, "calls") > 0));
            var with = D(k, "with_channels_per_second");
            var without = D(k, "without_channels_per_second");
            TargetRow(text, previous, "k", $"CreateEvent paced at {S(k, "target_rate")}/s with {channels} webhook channels (creates/s, p99), {StoreName(store)}", $"{with:0.0} ({D(k["create_latency_with"], "p99_ms"):0.0} ms)", $"no channel: {without:0.0} ({D(k["create_latency_without"], "p99_ms"):0.0} ms)", $"{with / without:0.00}x", "(new)", ">= 0.9x", Met(with / without >= 0.9));
            TargetRow(text, previous, "k", $"every created event to each of the {channels} channels: missing, duplicates ({S(k, "deliveries_expected")} expected), {StoreName(store)}", $"{S(k, "missing")} missing, {S(k, "duplicates")} duplicates", "", "", "(new)", "none missing, repeats reported", Met(D(k, "missing") == 0));
        }
    }

    /// <summary>The milliseconds of a bucket bound written "&lt;= 5 ms" (<see cref="ServerDurations"/>); infinity when there is none.</summary>
    private static double BucketBoundMs(JsonNode? bound) =>
        bound?.GetValue<string>() is { } text && text.StartsWith("<= ", StringComparison.Ordinal) && text.EndsWith(" ms", StringComparison.Ordinal)
            ? double.Parse(text[3..^3], System.Globalization.CultureInfo.InvariantCulture)
            : double.PositiveInfinity;

    private static void TargetRow(StringBuilder text, PreviousRun? previous, string id, string what, string figure, string baseline, string ratio, string? before, string target, string met)
    {
        var cells = new List<string> { id, what, figure, baseline, ratio };
        if (previous is not null)
        {
            cells.Add(before ?? "");
        }

        cells.Add(target);
        cells.Add(met);
        text.AppendLine(string.Concat(cells.Select(c => c.Length == 0 ? "| " : $"| {c} ")) + "|");
    }

    /// <summary>The earlier run's figure for a row, with its ratio when it had one: "10790 (1.69x)".</summary>
    private static string? Before(PreviousRun? previous, string key, string unit)
    {
        if (previous is null)
        {
            return null;
        }

        var row = previous[key];
        return row.Ratio is null ? $"{row.Figure}{unit}" : $"{row.Figure}{unit} ({row.Ratio}x)";
    }

    private static void Stage(StringBuilder text, string what, JsonObject? result)
    {
        if (result is null || result["unavailable"] is not null)
        {
            return;
        }

        var latency = result["latency"] ?? result["commit"];
        var detail = latency is not null
            ? $"mean {D(latency, "mean_ms"):0.00} ms, p99 {D(latency, "p99_ms"):0.00} ms"
            : result["latency_mean_ms"] is { } mean ? $"mean {mean} ms" : "";
        var rounds = result["rounds"] is JsonArray r ? $" (rounds: {string.Join(", ", r.Select(x => D(x, null)).Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})" : "";
        var cpu = result["cpu"];
        var perUnit = cpu?["cpu_ms_per_unit"];
        var cpuText = perUnit is null ? "" : $"{D(perUnit, "server"):0.000} / {D(perUnit, "postgres"):0.000} / {D(perUnit, "load_tool"):0.000} / {D(perUnit, "driver"):0.000} / {D(perUnit, "others"):0.000}";
        var busy = cpu is null ? "" : $"{D(cpu, "cores_busy"):0.00} ({D(cpu, "cores_busy_by_others"):0.00})";
        if (result["events_per_wal_sync"] is { } perSync)
        {
            detail += $"; {perSync} events per WAL flush";
        }

        text.AppendLine($"| {what} | {D(result, "per_second"):0}{rounds} | {detail} | {cpuText} | {busy} |");
    }

    private static void LatencyRow(StringBuilder text, string kind, string store, string path, JsonNode s) =>
        text.AppendLine($"| {(kind == "search" ? "SearchEvents" : "GetEvent")} | {store} | {path} | {S(s, "calls")} | {D(s, "mean_ms"):0.00} | {D(s, "p50_ms"):0.00} | {D(s, "p90_ms"):0.00} | {D(s, "p99_ms"):0.00} | {D(s, "p999_ms"):0.00} | {D(s, "max_ms"):0.00} |");

    private static List<(string Label, double Mb, double Hwm)> MemoryRows(Dictionary<string, JsonObject> results)
    {
        var rows = new List<(string, double, double)>();
        var labels = new (string Key, string Label)[]
        {
            ("c-noop-tracker", "no-op gRPC load (bench host on Grpc.AspNetCore)"),
            ("a-grpc-postgres", "gRPC CreateEvent load, PostgreSQL"),
            ("b-rest-postgres", "REST CreateEvent load, PostgreSQL"),
            ("e-grpc-sqlite", "gRPC CreateEvent load, SQLite"),
            ("d-search-sqlite", "SearchEvents load over the generated events, SQLite"),
            ("d-get-sqlite", "GetEvent load over the generated events, SQLite"),
            ("d-search-postgres", "SearchEvents load over the generated events, PostgreSQL"),
            ("d-get-postgres", "GetEvent load over the generated events, PostgreSQL"),
        };
        labels = [.. labels, .. new[] { "sqlite", "postgres" }.SelectMany(store => QueryKinds.Select(k => ($"h-{k.Kind}-{store}", $"ListEvents, {k.What}, {StoreName(store)}")))];
        foreach (var (key, label) in labels)
        {
            if (results.GetValueOrDefault(key)?["rss"] is { } rss)
            {
                rows.Add((label, D(rss, "rss_max_mb"), D(rss, "hwm_mb")));
            }
        }

        foreach (var store in new[] { "sqlite", "postgres" })
        {
            if (results.GetValueOrDefault($"f-loaded-{store}") is { } loaded)
            {
                rows.Add(($"after serving the reads over the generated events, {store} (at rest)", D(loaded, "rss_mb"), D(loaded, "hwm_mb")));
            }
        }

        return rows;
    }

    /// <summary>Scenario h's kinds of query (the driver's --kind), as the report names them.</summary>
    private static readonly (string Kind, string What)[] QueryKinds = QueryLanguage.Kinds.Select(kind => (kind, QueryKindName(kind))).ToArray();

    private static string QueryKindName(string kind)
    {
        var withService = kind.EndsWith(QueryLanguage.ServiceSuffix, StringComparison.Ordinal);
        var name = (withService ? kind[..^QueryLanguage.ServiceSuffix.Length] : kind) switch
        {
            "filter-or" => "three-term filter with an OR (service, types, environment)",
            "filter-label" => "label filter (service and version)",
            "fulltext" => "full text, a deployment (q=<service> v<version>)",
            "fulltext-common" => $"full text, a common word (q={QueryLanguage.CommonWord})",
            "fulltext-rare" => $"full text, a rare word (q={EventFactory.RareWord})",
            "fulltext-absent" => $"full text, a word no event has (q={EventFactory.AbsentWord})",
            "fulltext-prefix" => $"full text, a two-letter prefix (q={QueryLanguage.PrefixWord})",
            "after-id" => "after_id poll",
            _ => kind,
        };
        return withService ? name + " + service filter" : name;
    }

    /// <summary>
    /// Scenario h's target (README, "Benchmarks"): at most 20 ms at p99, and at most twice the
    /// same SQL run directly or that SQL plus 1.5 ms, whichever is larger (below a millisecond a
    /// gRPC call's fixed cost, some 0.6 ms here, outweighs any ratio).
    /// </summary>
    private const string QueryTarget = "<= 20 ms and <= max(2x SQL, SQL + 1.5 ms)";

    private static bool QueryTargetMet(double trackerP99, double sqlP99) =>
        trackerP99 <= 20 && trackerP99 <= Math.Max(2 * sqlP99, sqlP99 + 1.5);

    private static string SqlPathName(JsonNode r) =>
        r["sql_path"]?.ToString() == "store class" ? "the store class in process" : "the store's SQL run directly";

    private static string StoreName(string store) => store == "sqlite" ? "SQLite" : "PostgreSQL";

    /// <summary>Scenario h: what each kind asks, how many events it matched, and its latency against its SQL.</summary>
    private static void QueryLanguageSection(StringBuilder text, Dictionary<string, JsonObject> results)
    {
        var runs = QueryKinds
            .SelectMany(k => new[] { "sqlite", "postgres" }.Select(store => (k.Kind, k.What, Store: store, Result: results.GetValueOrDefault($"h-{k.Kind}-{store}"))))
            .Where(r => r.Result is not null)
            .ToList();
        if (runs.Count == 0)
        {
            return;
        }

        text.AppendLine("## h. Query language");
        text.AppendLine();
        text.AppendLine("ListEvents over gRPC with `filter`, `q` or `after_id` (README, \"Searching\"), a page of 50 (per_page,");
        text.AppendLine($"its total counted up to the server's default limit, {QueryLanguage.CountLimit:#,0}), paired call by call with the same request run");
        text.AppendLine("as the store's SQL, as in scenario d. The SQL is what the store builds from the criteria the domain");
        text.AppendLine("makes of the request (the filter's expression tree from its parser, q's words as the domain splits");
        text.AppendLine("them, after_id's commit position, the same count limit); for after_id, both paths first look the");
        text.AppendLine("event's position up with the store's statement. Where the store no longer builds its query as");
        text.AppendLine("statements the driver can run (SQL side \"store class\" below), the SQL side is the store class");
        text.AppendLine("in the driver's process: the store's own SQL and plan choice, without gRPC. Before timing, the first");
        text.AppendLine("pages of up to 20 distinct requests are checked equal to the store class's and to the SQL's (ids, total, and");
        text.AppendLine("whether the total is exact); the word no event has must match nothing. What each kind asks");
        text.AppendLine("(services drawn with the data's popularity; the label and deployment requests taken from stored");
        text.AppendLine($"events; `{QueryLanguage.CommonWord}` is in about half of the events, `{QueryLanguage.PrefixWord}` starts a word of about 85% of them,");
        text.AppendLine($"`{EventFactory.RareWord}` is in {EventFactory.RareWordEvents} events, `{EventFactory.AbsentWord}` in none), and how many events the checked requests matched");
        text.AppendLine("(least / median / most; a total at the count limit is a lower bound):");
        text.AppendLine();
        foreach (var (kind, what) in QueryKinds)
        {
            if (runs.FirstOrDefault(r => r.Kind == kind).Result is { } first)
            {
                var matches = string.Join("; ", runs.Where(r => r.Kind == kind).Select(r =>
                {
                    var m = r.Result!["queries"]?["matches_of_checked"];
                    return $"{StoreName(r.Store)} {S(m, "min")} / {S(m, "median")} / {S(m, "max")}";
                }));
                text.AppendLine($"- **{what}** (`{kind}`): `{S(first["queries"], "asks")}`, e.g. `{S(first["queries"], "first")}`. Matches: {matches}.");
            }
        }

        text.AppendLine();
        text.AppendLine($"Target: {QueryTarget}, Tracker's p99 of the whole gRPC call against the SQL side's p99.");
        text.AppendLine();
        text.AppendLine("| query | store | calls | Tracker p50 | Tracker p99 | SQL side | SQL p50 | SQL p99 | p99 ratio | allowed p99 | store class p99 (its SQL p99) | met |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (kind, what, store, r) in runs)
        {
            var tracker = r!["tracker"];
            var sql = r["sql"];
            var p99 = D(tracker, "p99_ms");
            var sqlP99 = D(sql, "p99_ms");
            var allowed = Math.Min(20, Math.Max(2 * sqlP99, sqlP99 + 1.5));
            text.AppendLine($"| {what} | {StoreName(store)} | {S(tracker, "calls")} | {D(tracker, "p50_ms"):0.00} ms | {p99:0.00} ms | {r["sql_path"]?.ToString() ?? "statements"} | {D(sql, "p50_ms"):0.00} ms | {sqlP99:0.00} ms | {p99 / sqlP99:0.00}x | {allowed:0.00} ms | {D(r["store_class"], "p99_ms"):0.00} ms ({D(r["sql_paired_with_store_class"], "p99_ms"):0.00} ms) | {Met(QueryTargetMet(p99, sqlP99))} |");
        }

        text.AppendLine();
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string S(JsonNode? node, string name) => node?[name]?.ToString() ?? "?";

    private static double D(JsonNode? node, string? name) =>
        (name is null ? node : node?[name]) is { } value ? double.Parse(value.ToString(), CultureInfo.InvariantCulture) : double.NaN;

    private static string Num(JsonNode? node, string name) => node?[name]?.ToString() ?? "?";

    private static string Thousands(string number) =>
        long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n.ToString("#,0", CultureInfo.InvariantCulture) : number;
}
