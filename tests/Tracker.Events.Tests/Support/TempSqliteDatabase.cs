using Microsoft.Data.Sqlite;

namespace Tracker.Events.Tests.Support;

/// <summary>A SQLite file in its own temporary directory, deleted with the directory on dispose.</summary>
public sealed class TempSqliteDatabase : IDisposable
{
    public TempSqliteDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "tracker-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Directory, "db", "tracker.db");
        ConnectionString = $"Data Source={FilePath}";
    }

    /// <summary>The directory holding everything; the database's own directory does not exist yet.</summary>
    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal, -shm) open.
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
