using System.Reflection;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;

namespace Tracker.Bench.Driver;

/// <summary>
/// The stores' own row writers, SQL builders and id minting, reached by reflection because
/// they are internal. The bench must not keep a copy of the schema or of the SQL: the data
/// generator writes rows with the code the stores write them with, and the "same SQL run
/// directly" baseline runs the very text the store builds. A rename in src fails here at once.
/// </summary>
internal static class StoreInternals
{
    private const BindingFlags Static = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static;

    private static readonly Assembly SqliteAssembly = typeof(SqliteEventStore).Assembly;
    private static readonly Assembly PostgresAssembly = typeof(PostgresEventStore).Assembly;
    private static readonly Assembly EventsAssembly = typeof(IEventStore).Assembly;

    /// <summary>SqliteEventStore.Columns: the column list of its INSERT.</summary>
    public static string SqliteColumns { get; } =
        (string)(typeof(SqliteEventStore).GetField("Columns", Static)?.GetRawConstantValue()
            ?? throw Missing("SqliteEventStore.Columns"));

    /// <summary>The INSERT the SQLite store runs for CreateEvent.</summary>
    public static string SqliteInsertSql { get; } =
        $"INSERT INTO events ({SqliteColumns}) VALUES ({string.Join(", ", SqliteColumns.Split(", ").Select(c => "$" + c))})";

    /// <summary>SqliteEventStore.AddColumns: binds every column but request_id from an event.</summary>
    public static Action<SqliteCommand, Event> SqliteAddColumns { get; } =
        Delegate<Action<SqliteCommand, Event>>(typeof(SqliteEventStore), "AddColumns");

    /// <summary>SqliteQueryBuilder.Build(query, count, page): the two statements of a query.</summary>
    public static Action<EventQuery, SqliteCommand, SqliteCommand> SqliteBuildQuery { get; } =
        Delegate<Action<EventQuery, SqliteCommand, SqliteCommand>>(SqliteAssembly.GetType("Tracker.Events.Sqlite.SqliteQueryBuilder", true)!, "Build");

    /// <summary>EventRow.ValueColumns of the PostgreSQL store (after id and request_id).</summary>
    public static string[] PostgresValueColumns { get; } =
        (string[])(PostgresType("EventRow").GetField("ValueColumns", Static)?.GetValue(null) ?? throw Missing("EventRow.ValueColumns"));

    /// <summary>EventRow.AddValues: one parameter per value column, computed from an event.</summary>
    public static Action<NpgsqlParameterCollection, Event> PostgresAddValues { get; } =
        Delegate<Action<NpgsqlParameterCollection, Event>>(PostgresType("EventRow"), "AddValues");

    /// <summary>EventQuerySql.Build(query): the one statement of a query.</summary>
    public static Func<EventQuery, NpgsqlCommand> PostgresBuildQuery { get; } =
        Delegate<Func<EventQuery, NpgsqlCommand>>(PostgresType("EventQuerySql"), "Build");

    /// <summary>EventIdentity.NewId(now): a UUIDv7 as the domain mints it.</summary>
    public static Func<DateTimeOffset, string> NewId { get; } =
        Delegate<Func<DateTimeOffset, string>>(EventsAssembly.GetType("Tracker.Events.Time.EventIdentity", true)!, "NewId");

    /// <summary>EventIdentity.NewEtag(): an etag as the domain mints it.</summary>
    public static Func<string> NewEtag { get; } =
        Delegate<Func<string>>(EventsAssembly.GetType("Tracker.Events.Time.EventIdentity", true)!, "NewEtag");

    /// <summary>The document bytes a store keeps for an event.</summary>
    public static byte[] Document(Event e) => e.ToByteArray();

    private static System.Type PostgresType(string name) =>
        PostgresAssembly.GetType("Tracker.Events.Postgres." + name, true)!;

    private static T Delegate<T>(System.Type type, string name)
        where T : Delegate =>
        (type.GetMethod(name, Static) ?? throw Missing($"{type.Name}.{name}")).CreateDelegate<T>();

    private static InvalidOperationException Missing(string member) =>
        new($"{member} is not in the store assembly any more; update bench/Tracker.Bench.Driver/StoreInternals.cs.");
}
