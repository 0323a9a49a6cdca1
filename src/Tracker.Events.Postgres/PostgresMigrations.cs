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
        new(3, "every field searchable, full text, commit positions", """
            -- The commit counter. An inserting transaction takes its events' seq from this one
            -- row and holds the row's lock until it commits, so an event committed later always
            -- has a larger seq, whichever connection or replica wrote it; a sequence would not
            -- do, as its values are taken at insert, not at commit.
            CREATE TABLE event_sequence (
                only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                last_value bigint NOT NULL
            );
            INSERT INTO event_sequence (last_value) VALUES (0);

            -- Constant defaults: adding the columns rewrites no row. The rows already there are
            -- filled from their documents by PostgresSearchBackfill, which finds them by their
            -- seq still being NULL; every row written from now on has one.
            ALTER TABLE events
                ADD COLUMN seq           bigint,
                ADD COLUMN updated_at_us bigint NOT NULL DEFAULT 0,
                ADD COLUMN title         text COLLATE "C" NOT NULL DEFAULT '',
                ADD COLUMN message       text COLLATE "C" NOT NULL DEFAULT '',
                ADD COLUMN related_id    text COLLATE "C" NOT NULL DEFAULT '',
                ADD COLUMN reason        text COLLATE "C" NOT NULL DEFAULT '',
                ADD COLUMN severity      integer NOT NULL DEFAULT 0,
                ADD COLUMN code          integer NOT NULL DEFAULT 0,
                ADD COLUMN notification  integer NOT NULL DEFAULT 0,
                ADD COLUMN start_date_us bigint,
                ADD COLUMN end_date_us   bigint,
                ADD COLUMN stake_holders jsonb NOT NULL DEFAULT '[]',
                ADD COLUMN notifications jsonb NOT NULL DEFAULT '[]',
                ADD COLUMN resources     jsonb NOT NULL DEFAULT '[]',
                ADD COLUMN labels        jsonb NOT NULL DEFAULT '{}',
                ADD COLUMN search_words  text NOT NULL DEFAULT '';

            CREATE UNIQUE INDEX events_seq ON events (seq);
            CREATE INDEX events_backfill_pending ON events (created_at_us, id) WHERE seq IS NULL;

            CREATE INDEX events_filter_severity ON events (severity, created_at_us, id);
            CREATE INDEX events_time_type ON events (type, event_time_us, id);
            CREATE INDEX events_time_status ON events (status, event_time_us, id);
            CREATE INDEX events_time_environment ON events (environment, event_time_us, id);
            CREATE INDEX events_time_severity ON events (severity, event_time_us, id);

            -- Words as lexemes (see PostgresSearchWords); labels with jsonb_ops for both "key present"
            -- (?) and "key = value" (@>); the arrays with jsonb_path_ops, which serves @>.
            CREATE INDEX events_words ON events USING gin (array_to_tsvector(string_to_array(search_words, ' ')));
            CREATE INDEX events_labels ON events USING gin (labels);
            CREATE INDEX events_resources ON events USING gin (resources jsonb_path_ops);
            CREATE INDEX events_stake_holders ON events USING gin (stake_holders jsonb_path_ops);
            CREATE INDEX events_notifications ON events USING gin (notifications jsonb_path_ops);
            """),
        new(4, "the change log that WatchEvents reads, and folding repeats (issue 12)", """
            -- One row per committed create, update or delete, at the position its statement took
            -- from event_sequence (a create's is the event's seq): the counter's row lock, held
            -- to commit, makes positions follow the commit order across replicas. document is
            -- the event after the change; for a delete, as it was last stored; previous_document,
            -- for an update, the event before it. change_type is the ChangeType number.
            CREATE TABLE event_changes (
                seq               bigint      PRIMARY KEY,
                change_type       integer     NOT NULL,
                document          bytea       NOT NULL,
                changed_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
                previous_document bytea
            );
            -- The newest position purged: resuming from before it would miss changes.
            ALTER TABLE event_sequence ADD COLUMN purged_through bigint NOT NULL DEFAULT 0;

            -- Wakes the watchers of every replica (LISTEN tracker_event_changes) once per
            -- writing statement; PostgreSQL delivers it at commit, and not on rollback.
            CREATE FUNCTION notify_event_changes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('tracker_event_changes', '');
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER event_changes_notify AFTER INSERT ON event_changes
                FOR EACH STATEMENT EXECUTE FUNCTION notify_event_changes();

            -- Folding repeats: the newest event of a key is the one an occurrence may fold into.
            ALTER TABLE events ADD COLUMN aggregation_key text NOT NULL DEFAULT '';
            -- Event.count, for filter and order_by: 0 in the rows written before, as in their documents.
            ALTER TABLE events ADD COLUMN seen_count integer NOT NULL DEFAULT 0;
            CREATE INDEX events_aggregation_key ON events (aggregation_key, seq) WHERE aggregation_key <> '';
            -- The request ids of the creates folded into an event, so that a retry is not counted twice.
            CREATE TABLE folded_requests (
                request_id text PRIMARY KEY,
                event_id   text NOT NULL
            );

            -- A platform team's commonest filter, a service's incidents or drifts in one
            -- environment, counted from the index alone (bench h: 272 ms of SQL at 1M events).
            CREATE INDEX events_search_service_type_environment_time ON events (service, type, environment, event_time_us) INCLUDE (created_at_us, id);
            """),
        new(5, "retention finds expired events by type and last change (issue 13)", """
            -- Each type's events, oldest change first: retention reads the expired ones of a type
            -- from the start of its range, a batch at a time. Rows not yet backfilled (seq NULL)
            -- hold updated_at_us 0 until then, and are left out.
            CREATE INDEX events_expiry_type_updated_at ON events (type, updated_at_us) WHERE seq IS NOT NULL;
            """),
        new(6, "attributes.arguments, the MWS events API's list of strings, filterable", """
            -- As stake_holders: an array of strings ('[]' in the rows written before, when no
            -- server took arguments), and @> served by a GIN index.
            ALTER TABLE events ADD COLUMN arguments jsonb NOT NULL DEFAULT '[]';
            CREATE INDEX events_arguments ON events USING gin (arguments jsonb_path_ops);
            """),
        new(7, "notifications: channels, the router's position and the delivery log", """
            -- A channel: its protobuf bytes as given (secret included, health not), and columns
            -- for what is filtered and for its health, in microseconds since the Unix epoch.
            CREATE TABLE channels (
                name             text COLLATE "C" PRIMARY KEY,
                document         bytea NOT NULL,
                etag             text COLLATE "C" NOT NULL,
                disabled         boolean NOT NULL,
                failing_since_us bigint,
                last_success_us  bigint,
                last_failure_us  bigint,
                last_error       text NOT NULL DEFAULT ''
            );
            -- The change-log position the router has routed through. It starts at the last
            -- position given out when this step runs: a database upgraded to notifications does
            -- not notify the changes committed before. Replicas route by compare-and-set on it.
            CREATE TABLE notification_router (
                id             integer PRIMARY KEY CHECK (id = 1),
                routed_through bigint NOT NULL
            );
            INSERT INTO notification_router (id, routed_through) SELECT 1, last_value FROM event_sequence;
            -- One message to one channel, the delivery log and the dispatchers' outbox. seq is
            -- the change's position (NULL for a test message); state the DeliveryState number;
            -- attempts the encoding of a Delivery holding only its attempts.
            CREATE TABLE deliveries (
                id                 text COLLATE "C" PRIMARY KEY,
                channel            text COLLATE "C" NOT NULL,
                seq                bigint,
                change_type        integer NOT NULL,
                event_id           text COLLATE "C" NOT NULL,
                changed_at_us      bigint NOT NULL,
                created_at_us      bigint NOT NULL,
                state              integer NOT NULL,
                next_attempt_at_us bigint,
                lease_owner        text COLLATE "C",
                lease_until_us     bigint,
                attempt_count      integer NOT NULL,
                is_test            boolean NOT NULL,
                attempts           bytea NOT NULL,
                payload            bytea NOT NULL
            );
            -- A change reaches a channel once, however often it is routed.
            CREATE UNIQUE INDEX deliveries_change ON deliveries (channel, seq) WHERE NOT is_test;
            -- The delivery log, newest first.
            CREATE INDEX deliveries_channel ON deliveries (channel, id);
            -- The dispatchers' work: pending messages by due time.
            CREATE INDEX deliveries_pending ON deliveries (next_attempt_at_us, seq) WHERE state = 1;
            """),
        new(8, "full text: the words of a service's events read from an index", """
            -- A full-text count tests the words of each row its filters match; from the heap that
            -- is a page read per row (about 200 ms for 19,000 rows of one service at 1,000,000
            -- events), from this index a few hundred pages. Its rows hold search_words, so only
            -- rows whose words fit in an index row are in it (at most 1,500 bytes, with a service
            -- and an id of 128 characters each under btree's 2,704 bytes); the rare longer rows
            -- are found through the second index. PostgresSearchWords.Covered writes the split.
            CREATE INDEX events_service_search_words ON events (service, created_at_us, id) INCLUDE (search_words)
                WHERE octet_length(search_words) <= 1500;
            CREATE INDEX events_long_search_words ON events (created_at_us, id) WHERE octet_length(search_words) > 1500;
            -- Without statistics on octet_length the planner guesses a third of the rows on each
            -- side, and then ANDs a bitmap of the whole first index into a type filter's plan
            -- (1.2 s instead of 0.3 s at 1,000,000 events); with them it knows nearly every row
            -- is covered. ANALYZE gathers them now rather than at autovacuum's next pass.
            CREATE STATISTICS events_words_bytes ON (octet_length(search_words)) FROM events;
            ANALYZE events;
            """),
    ];
}
