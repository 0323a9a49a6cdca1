using System.Data.Common;

namespace Tracker.Events.Notifications.Sql;

/// <summary>
/// What one store does its own way for <see cref="SqlNotificationStore"/>: how a connection is
/// had and a write transaction opened, which failures become
/// <see cref="Storage.StoreUnavailableException"/>, and the few SQL phrases that differ. The
/// statements name their parameters "@name", which Microsoft.Data.Sqlite and Npgsql both take.
/// </summary>
public abstract class NotificationDatabase
{
    /// <summary>
    /// What ends the lease's choice of rows: PostgreSQL's "FOR UPDATE SKIP LOCKED", so that two
    /// replicas leasing at once never take the same row; empty where writes never overlap.
    /// </summary>
    public abstract string SkipLockedRows { get; }

    /// <summary>What ends a read of rows the transaction then rewrites ("FOR UPDATE"); empty where writes never overlap.</summary>
    public abstract string LockRows { get; }

    /// <summary>The bytes of <paramref name="first"/> followed by those of <paramref name="second"/>, both SQL expressions.</summary>
    public abstract string ConcatBytes(string first, string second);

    /// <summary>Brings the store's schema, which holds the notification tables, up to date; safe to run again.</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="read"/> on an open connection, outside any write transaction.</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="write"/> in a write transaction, committed when it returns.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken);
}
