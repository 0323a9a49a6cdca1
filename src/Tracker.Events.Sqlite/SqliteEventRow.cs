using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The columns of an events row that come from the event itself (every column but request_id and
/// seq), and their values: what <see cref="EventKeys"/> and the spec of issue 11 say each field
/// holds. Text is '' when unset, numbers 0, start and end dates NULL.
/// </summary>
internal static class SqliteEventRow
{
    /// <summary>The columns migration 3 added: what the backfill fills for rows written before it.</summary>
    public static IReadOnlyList<string> SearchColumns { get; } =
        ["title", "message", "related_id", "reason", "updated_at_us", "severity", "code", "notification", "start_date_us", "end_date_us"];

    /// <summary>Every column <see cref="Bind"/> gives a parameter of the same name ($column).</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["id", "created_at_us", "event_time_us", "priority", "type", "status", "environment", "impact", "service", "source", "owner", "etag", "doc", .. SearchColumns, "aggregation_key", "seen_count"];

    /// <summary>Adds one parameter per column of <see cref="Columns"/>, named $column.</summary>
    public static void Bind(SqliteParameterCollection parameters, Event e)
    {
        var a = e.Attributes ?? EmptyAttributes;
        parameters.AddWithValue("$id", e.Id);
        parameters.AddWithValue("$created_at_us", EventKeys.CreatedAtMicros(e));
        parameters.AddWithValue("$event_time_us", EventKeys.EventTimeMicros(e));
        parameters.AddWithValue("$priority", (int)a.Priority);
        parameters.AddWithValue("$type", (int)a.Type);
        parameters.AddWithValue("$status", (int)a.Status);
        parameters.AddWithValue("$environment", (int)a.Environment);
        parameters.AddWithValue("$impact", (int)a.Impact);
        parameters.AddWithValue("$service", a.Service);
        parameters.AddWithValue("$source", a.Source);
        parameters.AddWithValue("$owner", a.Owner);
        parameters.AddWithValue("$etag", e.Etag);
        parameters.AddWithValue("$doc", e.ToByteArray());
        parameters.AddWithValue("$title", e.Title);
        parameters.AddWithValue("$message", a.Message);
        parameters.AddWithValue("$related_id", a.RelatedId);
        parameters.AddWithValue("$reason", a.Reason);
        parameters.AddWithValue("$updated_at_us", EventKeys.ToMicros(e.UpdatedAt));
        parameters.AddWithValue("$severity", (int)a.Severity);
        parameters.AddWithValue("$code", a.Code);
        parameters.AddWithValue("$notification", a.Notification ? 1 : 0);
        parameters.AddWithValue("$start_date_us", a.StartDate is { } start ? EventKeys.ToMicros(start) : DBNull.Value);
        parameters.AddWithValue("$end_date_us", a.EndDate is { } end ? EventKeys.ToMicros(end) : DBNull.Value);
        parameters.AddWithValue("$aggregation_key", e.AggregationKey);
        parameters.AddWithValue("$seen_count", e.Count);
    }

    /// <summary>"column = $column, ..." for an UPDATE of <paramref name="columns"/>.</summary>
    public static string Assignments(IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(c => $"{c} = ${c}"));

    private static readonly EventAttributes EmptyAttributes = new();
}
