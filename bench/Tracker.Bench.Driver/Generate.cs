using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;

namespace Tracker.Bench.Driver;

/// <summary>Creates a store's schema, or fills it with generated events (scenario d's data).</summary>
internal static class Generate
{
    public static async Task MigrateAsync(StoreTarget store)
    {
        if (store.IsSqlite)
        {
            using var sqlite = new SqliteEventStore(store.ConnectionString);
            await sqlite.MigrateAsync(CancellationToken.None);
            return;
        }

        await using var dataSource = PostgresConnectionFactory.Create(store.ConnectionString);
        await new PostgresEventStore(dataSource, NullLogger<PostgresEventStore>.Instance).MigrateAsync(CancellationToken.None);
    }

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var store = StoreTarget.Parse(options.Get("store"));
        var count = options.Int("count", 1_000_000);
        var seed = options.Int("seed", 2025);
        var loaded = store.IsSqlite
            ? await BulkLoaders.LoadSqliteAsync(store.ConnectionString, count, seed)
            : await BulkLoaders.LoadPostgresAsync(store.ConnectionString, count, seed);
        var stored = await store.CountAsync();
        return new JsonObject
        {
            ["tool"] = "driver",
            ["store"] = store.Kind,
            ["events"] = count,
            ["stored"] = stored,
            ["seconds"] = Math.Round(loaded.Seconds, 1),
            ["copy_seconds"] = loaded.CopySeconds is { } copy ? Math.Round(copy, 1) : null,
            ["per_second"] = Math.Round(count / loaded.Seconds, 0),
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["verified"] = stored == count,
        };
    }
}
