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
/// directly" baseline runs the very text the store builds, from the expression tree and words
/// the domain's own parsers make of a request. A rename in src fails here at once.
/// </summary>
internal static class StoreInternals
{
    private const BindingFlags Static = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static;

    private static readonly Assembly SqliteAssembly = typeof(SqliteEventStore).Assembly;
    private static readonly Assembly PostgresAssembly = typeof(PostgresEventStore).Assembly;
    private static readonly Assembly EventsAssembly = typeof(IEventStore).Assembly;

    private const BindingFlags Instance = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance;

    private static readonly System.Type ViolationsType = EventsAssembly.GetType("Tracker.Events.Validation.Violations", true)!;

    private static readonly MethodInfo FilterParse =
        EventsAssembly.GetType("Tracker.Events.Querying.FilterParser", true)!.GetMethod("Parse", Static, [typeof(string)]) ?? throw Missing("FilterParser.Parse(string)");

    private static readonly MethodInfo SplitWordsMethod =
        EventsAssembly.GetType("Tracker.Events.Querying.FullTextWords", true)!.GetMethod("Split", Static, [typeof(string), ViolationsType]) ?? throw Missing("FullTextWords.Split(string, Violations)");

    private static readonly System.Type SqliteWriterType = SqliteAssembly.GetType("Tracker.Events.Sqlite.SqliteEventWriter", true)!;

    /// <summary>
    /// The SQLite store's SqliteEventWriter on a write transaction: what CreateEvent runs for each
    /// event (the seq from the counter, the row, its full-text row, its side rows and its
    /// change-log row). Like the store's write connection, it keeps its prepared statements for
    /// the later transactions it joins.
    /// </summary>
    public static SqliteRowWriter OpenSqliteWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        var writer = (IAsyncDisposable)(Activator.CreateInstance(SqliteWriterType, Instance, null, [connection, transaction], null)
            ?? throw Missing("SqliteEventWriter(connection, transaction)"));
        var insert = (SqliteWriterType.GetMethod("InsertAsync", Instance) ?? throw Missing("SqliteEventWriter.InsertAsync"))
            .CreateDelegate<Func<Event, string?, CancellationToken, Task<long>>>(writer);
        var join = (SqliteWriterType.GetMethod("Join", Instance) ?? throw Missing("SqliteEventWriter.Join"))
            .CreateDelegate<Action<SqliteTransaction>>(writer);
        return new SqliteRowWriter(insert, join, writer);
    }

    /// <summary>
    /// SqlitePageQuery.Build(query, count, page): the two statements of a query; null when the
    /// store no longer builds its query this way (the SQL side of scenarios d and h then times
    /// the store class in process instead, and says so).
    /// </summary>
    public static Action<EventQuery, SqliteCommand, SqliteCommand>? SqliteBuildQuery { get; } =
        TryDelegate<Action<EventQuery, SqliteCommand, SqliteCommand>>(SqliteAssembly.GetType("Tracker.Events.Sqlite.SqlitePageQuery"), "Build");

    /// <summary>PostgresEventRow.ValueColumns of the PostgreSQL store (after id and request_id).</summary>
    public static string[] PostgresValueColumns { get; } =
        (string[])(PostgresType("PostgresEventRow").GetField("ValueColumns", Static)?.GetValue(null) ?? throw Missing("PostgresEventRow.ValueColumns"));

    /// <summary>PostgresEventRow.AddValues: one parameter per value column, computed from an event.</summary>
    public static Action<NpgsqlParameterCollection, Event> PostgresAddValues { get; } =
        Delegate<Action<NpgsqlParameterCollection, Event>>(PostgresType("PostgresEventRow"), "AddValues");

    /// <summary>PostgresPageQuery.Build(query): the one statement of a query; null as <see cref="SqliteBuildQuery"/>.</summary>
    public static Func<EventQuery, NpgsqlCommand>? PostgresBuildQuery { get; } =
        TryDelegate<Func<EventQuery, NpgsqlCommand>>(PostgresAssembly.GetType("Tracker.Events.Postgres.PostgresPageQuery"), "Build");

    /// <summary>EventIdentity.NewId(now): a UUIDv7 as the domain mints it.</summary>
    public static Func<DateTimeOffset, string> NewId { get; } =
        Delegate<Func<DateTimeOffset, string>>(EventsAssembly.GetType("Tracker.Events.Time.EventIdentity", true)!, "NewId");

    /// <summary>EventIdentity.NewEtag(): an etag as the domain mints it.</summary>
    public static Func<string> NewEtag { get; } =
        Delegate<Func<string>>(EventsAssembly.GetType("Tracker.Events.Time.EventIdentity", true)!, "NewEtag");

    /// <summary>
    /// FilterParser.Parse(text): the expression tree the domain builds from an AIP-160 filter, as
    /// ListEvents hands it to the store; throws with the parser's message if the text is refused.
    /// </summary>
    public static FilterNode ParseFilter(string filter)
    {
        var parsed = FilterParse.Invoke(null, [filter]) ?? throw Missing("FilterParser.Parse's result");
        var result = parsed.GetType();
        if (result.GetProperty("Error")?.GetValue(parsed) is { } error)
        {
            throw new ArgumentException($"filter '{filter}' {error.GetType().GetProperty("Description")?.GetValue(error)}");
        }

        return (FilterNode)(result.GetProperty("Node")?.GetValue(parsed) ?? throw Missing("FilterParseResult.Node"));
    }

    /// <summary>FullTextWords.Split(q): the words of a full-text query as the domain splits them.</summary>
    public static IReadOnlyList<string> SplitWords(string q)
    {
        var violations = Activator.CreateInstance(ViolationsType, nonPublic: true) ?? throw Missing("Violations()");
        var words = (IReadOnlyList<string>)(SplitWordsMethod.Invoke(null, [q, violations]) ?? throw Missing("FullTextWords.Split's result"));
        if (ViolationsType.GetProperty("Any")?.GetValue(violations) is true)
        {
            throw new ArgumentException($"q '{q}' is refused by FullTextWords.Split");
        }

        return words;
    }

    /// <summary>The document bytes a store keeps for an event.</summary>
    public static byte[] Document(Event e) => e.ToByteArray();

    private static System.Type PostgresType(string name) =>
        PostgresAssembly.GetType("Tracker.Events.Postgres." + name, true)!;

    private static T Delegate<T>(System.Type type, string name)
        where T : Delegate =>
        (type.GetMethod(name, Static) ?? throw Missing($"{type.Name}.{name}")).CreateDelegate<T>();

    // Null when the type or a static method of that name and shape is gone.
    private static T? TryDelegate<T>(System.Type? type, string name)
        where T : Delegate
    {
        var parameters = typeof(T).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        var method = type?.GetMethod(name, Static, parameters);
        return method is not null && method.ReturnType == typeof(T).GetMethod("Invoke")!.ReturnType ? method.CreateDelegate<T>() : null;
    }

    public static InvalidOperationException Missing(string member) =>
        new($"{member} is not in the store assembly any more; update bench/Tracker.Bench.Driver/StoreInternals.cs.");
}

/// <summary>The SQLite store's writer on one transaction at a time: inserts events as CreateEvent does.</summary>
internal sealed class SqliteRowWriter(Func<Event, string?, CancellationToken, Task<long>> insert, Action<SqliteTransaction> join, IAsyncDisposable writer) : IAsyncDisposable
{
    /// <summary>Writes a new event without a request id; returns its seq.</summary>
    public Task<long> InsertAsync(Event e) => insert(e, null, CancellationToken.None);

    /// <summary>Moves the writer and its prepared statements to a later transaction on the same connection.</summary>
    public void Join(SqliteTransaction transaction) => join(transaction);

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
