using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tracker.Events.Storage;

namespace Tracker.Bench.Driver;

/// <summary>
/// Prints, for one request of a scenario h kind (or d's search), the SQL the store builds (with its parameter
/// values), the database's plan of it (SQLite: EXPLAIN QUERY PLAN of each statement;
/// PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)), and how long the statements took, run once cold and
/// once again. For looking into a figure of scenario h; measures nothing for the report.
/// </summary>
internal static class Explain
{
    public static async Task RunAsync(Options options)
    {
        var kind = options.Get("kind");
        var store = StoreTarget.Parse(options.Get("store"));
        var index = options.Int("index", 0);
        await using var direct = DirectSql.Open(store);
        EventQuery query;
        if (kind == "search")
        {
            var search = ReadLatency.SearchQueries(seed: 7, count: index + 1)[index];
            Console.WriteLine($"-- search #{index}: SearchEvents {search.Request}");
            query = search.Query;
        }
        else
        {
            await using var storeClass = StoreClass.Open(store);
            var chosen = (await QueryLanguage.CasesAsync(kind, direct, storeClass.Store, seed: 11, count: index + 1))[index];
            Console.WriteLine($"-- {kind} #{index}: ListEvents {chosen}");
            query = chosen.Query;
        }

        if (store.IsSqlite)
        {
            await SqliteAsync(store.ConnectionString, query);
        }
        else
        {
            await PostgresAsync(store.ConnectionString, query);
        }

        for (var run = 1; run <= 2; run++)
        {
            var clock = Stopwatch.StartNew();
            var (total, ids) = await direct.SearchIdsAsync(query);
            Console.WriteLine($"-- run {run}: {clock.Elapsed.TotalMilliseconds:0.00} ms, total {total}, page {ids.Count}");
        }
    }

    private static async Task SqliteAsync(string connectionString, EventQuery query)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        await using var page = connection.CreateCommand();
        (StoreInternals.SqliteBuildQuery ?? throw StoreInternals.Missing("SqlitePageQuery.Build(query, count, page)"))(query, count, page);
        foreach (var (name, statement) in new[] { ("count", count), ("page", page) })
        {
            Console.WriteLine($"-- {name}: {statement.CommandText}");
            Console.WriteLine($"--   with {string.Join(", ", statement.Parameters.Cast<SqliteParameter>().Select(p => $"{p.ParameterName} = {Show(p.Value)}"))}");
            var plan = statement.CommandText;
            statement.CommandText = "EXPLAIN QUERY PLAN " + plan;
            await using (var reader = await statement.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    // id, parent, notused, detail: indent by depth as the sqlite3 shell does.
                    Console.WriteLine($"{reader.GetInt64(0),4} {reader.GetInt64(1),4}  {reader.GetString(3)}");
                }
            }

            statement.CommandText = plan;
        }
    }

    private static async Task PostgresAsync(string connectionString, EventQuery query)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var statement = (StoreInternals.PostgresBuildQuery ?? throw StoreInternals.Missing("PostgresPageQuery.Build(query)"))(query);
        statement.Connection = connection;
        Console.WriteLine($"-- {statement.CommandText}");
        Console.WriteLine($"--   with {string.Join(", ", statement.Parameters.Select((p, i) => $"${i + 1} = {Show(p.Value)}"))}");
        statement.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + statement.CommandText;
        await using var reader = await statement.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine(reader.GetString(0));
        }
    }

    private static string Show(object? value) => value switch
    {
        byte[] bytes => "x'" + Convert.ToHexStringLower(bytes) + "' (" + Encoding.UTF8.GetString(bytes) + ")",
        string s => "'" + s + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "NULL",
    };
}
