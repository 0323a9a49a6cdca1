using System.Net.Sockets;
using Npgsql;

namespace Tracker.Events.Postgres;

/// <summary>
/// Tells the failures that mean "PostgreSQL cannot serve now" (the caller may retry later)
/// from bugs and bad data, which must surface as they are.
/// </summary>
internal static class PostgresFaults
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient || IsUnavailableState(pg.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || IsNetworkFailure(npgsql.InnerException),
        _ => IsNetworkFailure(exception),
    };

    /// <summary>
    /// Whether an open connection died under the call (PostgreSQL restarted or dropped it), as
    /// opposed to a new connection being refused: only then is a fresh connection worth a try.
    /// </summary>
    public static bool IsBrokenConnection(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is "57P01" or "57P02" || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is IOException,
        _ => exception is IOException,
    };

    private static bool IsNetworkFailure(Exception? exception) =>
        exception is SocketException or IOException or TimeoutException;

    // 08: connection exception; 53: insufficient resources (53300 too many connections);
    // 57P01..57P05: admin/crash shutdown, cannot connect now, idle timeouts.
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P", StringComparison.Ordinal);
}
