using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tracker.Bench.Driver;

/// <summary>A store named as "sqlite:CONNECTION STRING" or "postgres:CONNECTION STRING".</summary>
internal sealed record StoreTarget(string Kind, string ConnectionString)
{
    public static StoreTarget Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : text[..colon];
        if (kind is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"a store is sqlite:CS or postgres:CS, not '{text}'");
        }

        return new StoreTarget(kind, text[(colon + 1)..]);
    }

    public bool IsSqlite => Kind == "sqlite";

    /// <summary>How many events the store holds, counted with SQL.</summary>
    public async Task<long> CountAsync()
    {
        if (IsSqlite)
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM events";
            return (long)(await command.ExecuteScalarAsync() ?? 0L);
        }

        await using var pg = new NpgsqlConnection(ConnectionString);
        await pg.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM events", pg);
        return (long)(await count.ExecuteScalarAsync() ?? 0L);
    }
}
