namespace Tracker.Events.Sqlite;

/// <summary>
/// The schema, as numbered steps applied in order and recorded in schema_migrations. A step is
/// never edited once released; a change is a new step.
/// </summary>
internal static class SqliteMigrations
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "events table", """
            CREATE TABLE events (
                id            TEXT    NOT NULL PRIMARY KEY,
                request_id    TEXT    UNIQUE,
                created_at_us INTEGER NOT NULL,
                event_time_us INTEGER NOT NULL,
                priority      INTEGER NOT NULL,
                type          INTEGER NOT NULL,
                status        INTEGER NOT NULL,
                environment   INTEGER NOT NULL,
                impact        INTEGER NOT NULL,
                service       TEXT    NOT NULL,
                source        TEXT    NOT NULL,
                owner         TEXT    NOT NULL,
                etag          TEXT    NOT NULL,
                doc           BLOB    NOT NULL
            );
            -- One index per sort order, with the id that breaks ties (keyset paging).
            CREATE INDEX events_by_created_at ON events (created_at_us, id);
            CREATE INDEX events_by_event_time ON events (event_time_us, id);
            CREATE INDEX events_by_priority ON events (priority, id);
            -- The search filters, each with the event time that date ranges narrow.
            CREATE INDEX events_by_service ON events (service, event_time_us);
            CREATE INDEX events_by_type ON events (type, event_time_us);
            CREATE INDEX events_by_status ON events (status, event_time_us);
            CREATE INDEX events_by_environment ON events (environment, event_time_us);
            CREATE INDEX events_by_source ON events (source, event_time_us);
            CREATE INDEX events_by_owner ON events (owner, event_time_us);
            """),
        new(2, "covering indexes for a service's events in a time range", """
            -- The commonest search (a service, maybe a type, a date range) answered from the
            -- index alone: the count, and the page's rows before their documents are read.
            CREATE INDEX events_by_service_type_time ON events (service, type, event_time_us, created_at_us, id);
            CREATE INDEX events_by_service_time ON events (service, event_time_us, created_at_us, id);
            DROP INDEX events_by_service;
            """),
    ];
}
