using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tracker.Events.Notifications;
using Tracker.Events.Notifications.Sql;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// The notification tables in the event store's schema (migration 7), on the store's pooled
/// data source, which replicas share: the lease skips rows another replica has locked, and
/// rows read to be rewritten are locked. Failures that mean PostgreSQL cannot serve now become
/// <see cref="StoreUnavailableException"/> and clear the pool's idle connections; a read whose
/// pooled connection had died gets one more try on a new one.
/// </summary>
internal sealed class PostgresNotificationDatabase(NpgsqlDataSource dataSource, PostgresEventStore store, ILogger logger) : NotificationDatabase
{
    private const string Operation = "a notification store call";

    /// <summary>A notification store in <paramref name="store"/>'s schema, over <paramref name="dataSource"/>.</summary>
    public static INotificationStore CreateStore(NpgsqlDataSource dataSource, PostgresEventStore store, ILogger logger) =>
        new SqlNotificationStore(new PostgresNotificationDatabase(dataSource, store, logger));

    public override string SkipLockedRows => "FOR UPDATE SKIP LOCKED";

    public override string LockRows => "FOR UPDATE";

    public override string ConcatBytes(string first, string second) => $"({first} || {second})";

    public override Task MigrateAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var connectionDisposal = connection.ConfigureAwait(false);
                return await read(connection).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && PostgresFaults.IsUnavailable(exception))
            {
                dataSource.Clear();
                if (attempt == 1 && PostgresFaults.IsBrokenConnection(exception))
                {
                    PostgresLog.RetryingOnNewConnection(logger, exception, Operation);
                    continue;
                }

                throw Unavailable(exception);
            }
        }
    }

    // Not retried: had the commit landed before the connection broke, a retry would repeat it.
    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionDisposal = transaction.ConfigureAwait(false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && PostgresFaults.IsUnavailable(exception))
        {
            dataSource.Clear();
            throw Unavailable(exception);
        }
    }

    private StoreUnavailableException Unavailable(Exception exception)
    {
        PostgresLog.Unavailable(logger, exception, Operation);
        return new StoreUnavailableException("PostgreSQL is unavailable.", exception);
    }
}
