using Microsoft.Data.Sqlite;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The one connection every write of a store goes through, kept open between transactions.
/// SQLite keeps a connection's page cache across transactions only while no other connection has
/// written; writes taking turns on pooled connections found each one's cache stale and read the
/// indexes' pages again on every commit (perf: pread and walFindFrame were most of the writer's
/// CPU, 2.3 ms per create). Kept by one writer, the pages stay cached, in a cache of
/// <see cref="CacheKibibytes"/> KiB instead of SQLite's default 2,000. Not thread-safe: the
/// store's write gate serialises its users. It keeps the connection's event writer too, whose
/// prepared statements serve every transaction. After a failure the connection is dropped, with
/// its writer, and the next write opens a new one.
/// </summary>
internal sealed class SqliteWriteConnection(SqliteConnectionFactory connections) : IDisposable
{
    /// <summary>The writer's page cache, in KiB (PRAGMA cache_size takes a negative number for KiB).</summary>
    public const int CacheKibibytes = 65_536;

    private SqliteConnection? _connection;
    private SqliteEventWriter? _eventWriter;

    /// <summary>The open write connection, opened on first use or after <see cref="Drop"/>.</summary>
    public async Task<SqliteConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = connection.CreateCommand();
            await using var commandDisposal = command.ConfigureAwait(false);
            command.CommandText = $"PRAGMA cache_size = -{CacheKibibytes}";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return _connection = connection;
    }

    /// <summary>
    /// The connection's event writer, joined to <paramref name="transaction"/>, a transaction of
    /// the connection <see cref="GetAsync"/> returned; the connection owns it: not to be disposed.
    /// </summary>
    public SqliteEventWriter EventWriter(SqliteTransaction transaction)
    {
        if (_eventWriter is null)
        {
            _eventWriter = new SqliteEventWriter(_connection ?? throw new InvalidOperationException("No write connection is open."), transaction);
        }
        else
        {
            _eventWriter.Join(transaction);
        }

        return _eventWriter;
    }

    /// <summary>Closes the connection after a failed write, so that the next write starts on a fresh one.</summary>
    public void Drop()
    {
        _eventWriter?.Dispose();
        _eventWriter = null;
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => Drop();
}
