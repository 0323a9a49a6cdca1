namespace Tracker.Events.Telemetry;

/// <summary>
/// One kind of event store call, as OpenTelemetry's database conventions name it:
/// <c>db.operation.name</c>, <c>db.collection.name</c> (the table it works on, when there is one)
/// and the span name <c>{db.operation.name} {db.collection.name}</c>.
/// </summary>
internal sealed class StoreOperation
{
    private const string Events = "events";
    private const string Changes = "event_changes";

    public static readonly StoreOperation Migrate = new("migrate", null);
    public static readonly StoreOperation Create = new("create", Events);
    public static readonly StoreOperation CreateOrFold = new("create_or_fold", Events);
    public static readonly StoreOperation Get = new("get", Events);
    public static readonly StoreOperation Replace = new("replace", Events);
    public static readonly StoreOperation Delete = new("delete", Events);
    public static readonly StoreOperation Query = new("query", Events);
    public static readonly StoreOperation FindSequence = new("find_sequence", Events);
    public static readonly StoreOperation ReadChanges = new("read_changes", Changes);
    public static readonly StoreOperation GetChangeLogBounds = new("get_change_log_bounds", Changes);
    public static readonly StoreOperation PurgeChanges = new("purge_changes", Changes);
    public static readonly StoreOperation DeleteExpired = new("delete_expired", Events);
    public static readonly StoreOperation Ping = new("ping", null);

    private StoreOperation(string name, string? collection)
    {
        Name = name;
        Collection = collection;
        SpanName = collection is null ? name : $"{name} {collection}";
    }

    public string Name { get; }

    public string? Collection { get; }

    public string SpanName { get; }
}
