using Microsoft.Data.Sqlite;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Decides which SQLite failures mean "the store cannot serve now" (UNAVAILABLE to clients)
/// rather than a bug: a busy or locked database, I/O errors, a full disk, a file that cannot
/// be opened or is not a database.
/// </summary>
internal static class SqliteFaults
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int NoMem = 7;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Protocol = 15;
    private const int NotADb = 26;

    public static bool IsUnavailable(Exception e) => e switch
    {
        SqliteException s => (s.SqliteErrorCode & 0xFF) is Busy or Locked or NoMem or ReadOnly or IoErr or Corrupt or Full or CantOpen or Protocol or NotADb,
        IOException or UnauthorizedAccessException => true,
        _ => false,
    };

    public static StoreUnavailableException Unavailable(Exception e) =>
        new("The SQLite event store cannot be used now.", e);
}
