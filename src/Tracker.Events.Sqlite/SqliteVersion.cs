using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The oldest SQLite the store runs on, checked when it migrates: 3.42.0. Full-text pages walk
/// FTS5 in rowid order with a rowid bound (<see cref="SqliteFullTextPlan"/>); before 3.42.0,
/// FTS5 could return wrong rows for ORDER BY rowid DESC with a rowid bound (SQLite's release
/// notes for 3.42.0). The SQLite is the one bundled with Microsoft.Data.Sqlite
/// (SQLitePCLRaw's e_sqlite3) unless the host supplies another.
/// </summary>
internal static class SqliteVersion
{
    public static readonly Version Minimum = new(3, 42, 0);

    /// <summary>Throws <see cref="InvalidOperationException"/> when the connection's SQLite is older than <see cref="Minimum"/>.</summary>
    public static async Task RequireAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Transaction = transaction;
        command.CommandText = "SELECT sqlite_version()";
        Require((string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="version"/> ("3.41.2") is older than <see cref="Minimum"/>.</summary>
    public static void Require(string version)
    {
        var parts = version.Split('.');
        var parsed = new Version(
            Part(parts, 0, version), Part(parts, 1, version), parts.Length > 2 ? Part(parts, 2, version) : 0);
        if (parsed < Minimum)
        {
            throw new InvalidOperationException(
                $"SQLite {version} is too old for Tracker's SQLite store: it needs {Minimum} or later (FTS5 returned wrong rows for ORDER BY rowid DESC with a rowid bound before 3.42.0). "
                + "Use the SQLite bundled with Microsoft.Data.Sqlite (SQLitePCLRaw.bundle_e_sqlite3) rather than the system's.");
        }
    }

    private static int Part(string[] parts, int index, string version) =>
        index < parts.Length && int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"SQLite reported the version \"{version}\", which is not major.minor.patch.");
}
