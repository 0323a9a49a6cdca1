namespace Tracker.Events.Storage;

/// <summary>
/// How the stores reach a field: a closed set of shapes, each of which the SQL back end
/// (<see cref="Sql.SqlFilterCompiler"/> and <see cref="Sql.SqlOrder"/>) and every dialect implement once. A new field of an
/// existing shape needs no SQL of its own. Both stores use the same column names.
/// </summary>
public abstract record FieldStorage
{
    private protected FieldStorage()
    {
    }

    /// <summary>Whether the field holds many values (a list, resources, labels): a comparison holds when any one does.</summary>
    public virtual bool Many => false;
}

/// <summary>
/// A NOT NULL column of the events table: text ('' when unset) or a number (0 when unset).
/// <paramref name="AlwaysSet"/>: the field is set on every stored event (created_at, updated_at).
/// </summary>
public sealed record ColumnStorage(string Column, bool AlwaysSet = false) : FieldStorage;

/// <summary>A timestamp column that is NULL when the field is unset (end_date): comparisons are false then, and it sorts first.</summary>
public sealed record OptionalTimeColumnStorage(string Column) : FieldStorage;

/// <summary>
/// The event time (start_date, else created_at) in <paramref name="Column"/>, which comparisons
/// and orders read; <paramref name="SetColumn"/> is NULL when start_date itself is unset, which presence reads.
/// </summary>
public sealed record EventTimeStorage(string Column, string SetColumn) : FieldStorage;

/// <summary>
/// A repeated string field: in SQLite the rows of event_repeated_values whose field is
/// <paramref name="Name"/>, in PostgreSQL the jsonb array column <paramref name="Name"/> (GIN indexed).
/// </summary>
public sealed record RepeatedTextStorage(string Name) : FieldStorage
{
    public override bool Many => true;
}

/// <summary>One member of attributes.resources: SQLite's event_resources column, PostgreSQL's key in each object of the resources column.</summary>
public sealed record ResourceMemberStorage(string Member) : FieldStorage
{
    public override bool Many => true;
}

/// <summary>attributes.labels, compared by key: SQLite's event_labels rows, PostgreSQL's labels jsonb object.</summary>
public sealed record LabelMapStorage : FieldStorage
{
    public override bool Many => true;
}
