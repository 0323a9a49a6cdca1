using System.Globalization;
using Google.Protobuf;
using Npgsql;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// Writes the request bodies the load tools send (list.grpc: scenario j's ListEvents) and the
/// pgbench script of scenario a: one
/// single-row INSERT of the row the PostgreSQL store writes for the same CreateEvent (its columns
/// and values come from the store's PostgresEventRow), with a time-ordered UUID id as Tracker mints,
/// the current time as created_at, a fresh etag, a seq from the store's commit counter, and the
/// same ON CONFLICT DO NOTHING.
/// </summary>
internal static class Prepare
{
    public static async Task RunAsync(Options options)
    {
        var directory = options.Get("out");
        Directory.CreateDirectory(directory);
        var request = EventFactory.CreateRequest();
        await File.WriteAllBytesAsync(Path.Combine(directory, "create.grpc"), GrpcClient.Frame(request));
        await File.WriteAllTextAsync(Path.Combine(directory, "create.json"), JsonFormatter.Default.Format(request));
        await File.WriteAllBytesAsync(Path.Combine(directory, "noop.grpc"), [0x00, 0x00, 0x00, 0x00, 0x04, 0x0a, 0x02, 0x6f, 0x6b]);
        await File.WriteAllBytesAsync(Path.Combine(directory, "list.grpc"), GrpcClient.Frame(new ListEventsRequest { PerPage = 50, Filter = OverloadLoad.Filter }));
        await File.WriteAllTextAsync(Path.Combine(directory, "pgbench-insert.sql"), PgbenchScript(request));
    }

    private static string PgbenchScript(CreateEventRequest request)
    {
        var stored = EventFactory.StoredFrom(request, DateTimeOffset.UtcNow);
        using var scratch = new NpgsqlCommand();
        StoreInternals.PostgresAddValues(scratch.Parameters, stored);
        var columns = StoreInternals.PostgresValueColumns;
        var values = new List<string>();
        for (var i = 0; i < columns.Length; i++)
        {
            values.Add(columns[i] switch
            {
                "created_at_us" => "(extract(epoch from clock_timestamp()) * 1000000)::bigint",
                "etag" => "substr(md5(random()::text), 1, 16)",
                _ => Literal(scratch.Parameters[i].Value),
            });
        }

        // A UUID whose first 48 bits are the time in milliseconds, like UUIDv7: inserts land at
        // the right edge of the primary key, as Tracker's do.
        const string id = "overlay(gen_random_uuid()::text placing lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') from 1 for 12)";

        // The seq comes from the store's commit counter, taken in the inserting statement as the
        // store's batched INSERT takes it (one number here, a range there).
        return "WITH counter AS (UPDATE event_sequence SET last_value = last_value + 1 RETURNING last_value) " +
            $"INSERT INTO events (id, request_id, {string.Join(", ", columns)}, seq) VALUES ({id}, NULL, {string.Join(", ", values)}, (SELECT last_value FROM counter)) ON CONFLICT DO NOTHING;\n";
    }

    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        // jsonb values are JSON text: in VALUES, a quoted literal takes its column's type.
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        byte[] bytes => "'\\x" + Convert.ToHexStringLower(bytes) + "'::bytea",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"no literal for {value.GetType()}"),
    };
}
