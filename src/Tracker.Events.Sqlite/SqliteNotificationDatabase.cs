using System.Data.Common;
using Tracker.Events.Notifications;
using Tracker.Events.Notifications.Sql;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The notification tables in the event store's SQLite file (migration 6): reads on pooled
/// connections, writes through the event store's one write connection and write gate, so that
/// they queue with the events' writes instead of contending for SQLite's lock. One writer at a
/// time needs no row locks.
/// </summary>
internal sealed class SqliteNotificationDatabase(SqliteEventStore store) : NotificationDatabase
{
    /// <summary>A notification store over <paramref name="store"/>'s file.</summary>
    public static INotificationStore CreateStore(SqliteEventStore store) =>
        new SqlNotificationStore(new SqliteNotificationDatabase(store));

    public override string SkipLockedRows => string.Empty;

    public override string LockRows => string.Empty;

    // SQLite's || makes text of its operands' bytes as they are; the cast makes them a blob again.
    public override string ConcatBytes(string first, string second) => $"CAST(({first} || {second}) AS BLOB)";

    public override Task MigrateAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public override Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) =>
        store.ReadAsync(connection => read(connection), cancellationToken);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        store.WriteAsync((connection, transaction) => write(connection, transaction), cancellationToken);
}
