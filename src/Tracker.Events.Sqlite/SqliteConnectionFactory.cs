using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Opens connections to the database file with the settings every connection needs:
/// synchronous=FULL (an acknowledged write survives a power cut), a busy timeout (wait for
/// another writer instead of failing), and WAL (readers never block the writer), which is a
/// property of the file and set once. Each database handle gets them when first opened; the
/// pool hands it out again with them. The file's directory is created on first use.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    /// <summary>The longest a statement waits for another writer's lock, unless Default Timeout is shorter.</summary>
    public const int MaxBusyTimeoutMilliseconds = 5000;

    private static readonly object Configured = new();

    private readonly string _connectionString;
    private readonly string? _directory;
    private readonly int _busyTimeoutMilliseconds;

    // Weak: a handle the pool closes drops out with it.
    private readonly ConditionalWeakTable<sqlite3, object> _configuredHandles = new();
    private volatile bool _prepared;

    public SqliteConnectionFactory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        _connectionString = builder.ToString();
        _directory = DirectoryOf(builder);

        // Microsoft.Data.Sqlite also retries a busy statement until Default Timeout, so the
        // shorter of the two bounds the wait.
        _busyTimeoutMilliseconds = (int)Math.Min(MaxBusyTimeoutMilliseconds, builder.DefaultTimeout * 1000L);
    }

    public string? DatabaseDirectory => _directory;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_prepared && _directory is not null)
        {
            Directory.CreateDirectory(_directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Pooled connections keep their settings: only a new database handle needs them.
            if (!_configuredHandles.TryGetValue(connection.Handle!, out _))
            {
                var pragmas = _prepared
                    ? $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = FULL;"
                    : $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = pragmas;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                _configuredHandles.AddOrUpdate(connection.Handle!, Configured);
                _prepared = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The directory of a file database; null for in-memory or URI data sources.</summary>
    private static string? DirectoryOf(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || source.Length == 0 || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetDirectoryName(Path.GetFullPath(source));
    }
}
