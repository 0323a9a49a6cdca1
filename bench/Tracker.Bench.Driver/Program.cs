using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Bench.Driver;

// The bench driver, called by bench/run.sh. Each measuring command writes one JSON result
// (--result FILE) that `report` turns into bench/RESULTS.md.
if (args.Length == 0)
{
    Console.Error.WriteLine("""
        usage: driver COMMAND --option value ... [-- tool arguments]
          prepare  --out DIR                                   request bodies and the pgbench script
          migrate  --store sqlite:CS|postgres:CS               the store's own schema migration
          generate --store ... --count N [--seed S]            bulk-load N realistic events
          h2load   --count STORE | --calls URL [--pid P] --warmup S --duration S -- h2load args
          pgbench  --count STORE --warmup S --duration S -- pgbench args
          latency  --kind search|get|filter-or|filter-label|fulltext|after-id --grpc URL --store STORE [--pid P] [--concurrency C]
          explain  --kind search|filter-or|filter-label|fulltext|after-id --store STORE [--index I]
                                                               one query's SQL, plan and time (d, h)
          sqlite-raw   --cs CS [--batch N]                     raw Microsoft.Data.Sqlite insert loop
          store-create --store STORE [--concurrency C]         the store class in process
          startup  --server Tracker.Server.dll [--runs N]
          watch    --mode delivery|throughput|idle --grpc URL --pid P [--watchers W] [--rate R] [--metrics URL]
                                                               scenario i: WatchEvents
          notify   --grpc URL --http URL [--channels C] [--rate R] [--burn-in S] [--rounds N] [--drain S]
                                                               scenario k: webhook notifications
          rss      --pid P                                     VmRSS/VmHWM now
          report   --results DIR --out FILE [--analysis FILE] [--commands FILE] [--previous TSV]
        """);
    return 2;
}

var options = new Options(args.Skip(1));
JsonObject? result = null;
switch (args[0])
{
    case "prepare":
        await Prepare.RunAsync(options);
        break;
    case "migrate":
        await Generate.MigrateAsync(StoreTarget.Parse(options.Get("store")));
        break;
    case "generate":
        result = await Generate.RunAsync(options);
        break;
    case "h2load":
        result = await ExternalLoad.H2LoadAsync(options);
        break;
    case "pgbench":
        result = await ExternalLoad.PgbenchAsync(options);
        break;
    case "latency":
        result = await ReadLatency.RunAsync(options);
        break;
    case "explain":
        await Explain.RunAsync(options);
        break;
    case "sqlite-raw":
        result = await WriteBaselines.SqliteRawAsync(options);
        break;
    case "store-create":
        result = await WriteBaselines.StoreCreateAsync(options);
        break;
    case "watch":
        result = await WatchLoad.RunAsync(options);
        break;
    case "notify":
        result = await NotifyLoad.RunAsync(options);
        break;
    case "overload":
        result = await OverloadLoad.RunAsync(options);
        break;
    case "startup":
        result = await Startup.RunAsync(options);
        break;
    case "rss":
        var pid = int.Parse(options.Get("pid"), CultureInfo.InvariantCulture);
        result = new JsonObject
        {
            ["tool"] = "/proc/PID/status",
            ["rss_mb"] = Math.Round((RssSampler.ReadKb(pid, "VmRSS") ?? 0) / 1024.0, 1),
            ["hwm_mb"] = Math.Round((RssSampler.ReadKb(pid, "VmHWM") ?? 0) / 1024.0, 1),
            ["verified"] = true,
        };
        break;
    case "report":
        await Report.WriteAsync(options);
        return 0;
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

if (result is not null)
{
    var text = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    if (options.Find("result") is { } file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllTextAsync(file, text);
    }

    Console.WriteLine(text);
    if (result["verified"]?.GetValue<bool>() == false)
    {
        Console.Error.WriteLine("NOT VERIFIED: the independent count disagrees with the load tool, or calls failed.");
        return 1;
    }
}

return 0;
