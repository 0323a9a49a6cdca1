namespace Tracker.Events.Postgres;

/// <summary>One schema change, applied once, in version order, recorded in schema_migrations.</summary>
internal sealed record PostgresMigration(int Version, string Name, string Sql);

/// <summary>
/// The schema, as the ordered list of its changes. Append new versions; never edit one that
/// has shipped.
/// </summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<PostgresMigration> All { get; } =
    [
        new(1, "events table and its indexes", """
            CREATE TABLE events (
                id            text COLLATE "C" PRIMARY KEY,
                request_id    text COLLATE "C" UNIQUE,
                created_at_us bigint NOT NULL,
                event_time_us bigint NOT NULL,
                priority      integer NOT NULL,
                type          integer NOT NULL,
                status        integer NOT NULL,
                environment   integer NOT NULL,
                impact        integer NOT NULL,
                service       text COLLATE "C" NOT NULL,
                source        text COLLATE "C" NOT NULL,
                owner         text COLLATE "C" NOT NULL,
                etag          text COLLATE "C" NOT NULL,
                document      bytea NOT NULL
            );

            -- One per order: keyset paging walks (sort key, id) in either direction.
            CREATE INDEX events_order_created_at ON events (created_at_us, id);
            CREATE INDEX events_order_event_time ON events (event_time_us, id);
            CREATE INDEX events_order_priority ON events (priority, id);

            -- One per search filter, ending in the default order (newest first) so that a
            -- filtered first page is read straight from the index.
            CREATE INDEX events_filter_type ON events (type, created_at_us, id);
            CREATE INDEX events_filter_priority ON events (priority, created_at_us, id);
            CREATE INDEX events_filter_status ON events (status, created_at_us, id);
            CREATE INDEX events_filter_environment ON events (environment, created_at_us, id);
            CREATE INDEX events_filter_impact ON events (impact, created_at_us, id);
            CREATE INDEX events_filter_service ON events (service, created_at_us, id);
            CREATE INDEX events_filter_source ON events (source, created_at_us, id);
            CREATE INDEX events_filter_owner ON events (owner, created_at_us, id);
            """),
        new(2, "covering indexes for a service's events in a time range", """
            -- The commonest search (a service, maybe a type, a date range) answered from the
            -- index alone: the count, and the page's ids before its 50 documents are read.
            CREATE INDEX events_search_service_type_time ON events (service, type, event_time_us) INCLUDE (created_at_us, id);
            CREATE INDEX events_search_service_time ON events (service, event_time_us) INCLUDE (created_at_us, id);
            """),
    ];
}
