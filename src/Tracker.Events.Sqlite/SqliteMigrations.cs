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
        new(3, "every field searchable, commit positions and full text (issue 11)", """
            -- The scalars that filter, query and q search (README, "Searching"). Rows written before this step hold the defaults
            -- until SqliteSearchBackfill fills them from their documents. Unset text is '', unset
            -- numbers 0; start_date_us and end_date_us are NULL when the event has none.
            ALTER TABLE events ADD COLUMN title         TEXT    NOT NULL DEFAULT '';
            ALTER TABLE events ADD COLUMN message       TEXT    NOT NULL DEFAULT '';
            ALTER TABLE events ADD COLUMN related_id    TEXT    NOT NULL DEFAULT '';
            ALTER TABLE events ADD COLUMN reason        TEXT    NOT NULL DEFAULT '';
            ALTER TABLE events ADD COLUMN updated_at_us INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE events ADD COLUMN severity      INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE events ADD COLUMN code          INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE events ADD COLUMN notification  INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE events ADD COLUMN start_date_us INTEGER;
            ALTER TABLE events ADD COLUMN end_date_us   INTEGER;
            -- The commit position (StoredEvent.Sequence). NULL marks a row the backfill has not
            -- indexed yet; every row written from this step on has one.
            ALTER TABLE events ADD COLUMN seq           INTEGER;
            CREATE UNIQUE INDEX events_by_seq ON events (seq);
            -- The rows still to index, oldest first: the backfill's work list, empty once it is done.
            CREATE INDEX events_to_index ON events (created_at_us, id) WHERE seq IS NULL;
            CREATE INDEX events_by_severity ON events (severity, event_time_us);

            -- The last seq given out. Bumped inside the write transaction that uses it, so an event
            -- committed later has a larger one, and a deleted event's is never given again.
            CREATE TABLE event_sequence (
                id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                last_value INTEGER NOT NULL
            );
            INSERT INTO event_sequence (id, last_value) VALUES (1, 0);

            -- Side tables of the fields with many values, keyed by seq: unlike the implicit rowid,
            -- VACUUM never renumbers it.
            CREATE TABLE event_labels (
                seq   INTEGER NOT NULL,
                key   TEXT    NOT NULL,
                value TEXT    NOT NULL,
                PRIMARY KEY (seq, key)
            ) WITHOUT ROWID;
            CREATE INDEX event_labels_by_key_value ON event_labels (key, value, seq);

            CREATE TABLE event_resources (
                seq       INTEGER NOT NULL,
                position  INTEGER NOT NULL,
                kind      TEXT    NOT NULL,
                id        TEXT    NOT NULL,
                name      TEXT    NOT NULL,
                namespace TEXT    NOT NULL,
                PRIMARY KEY (seq, position)
            ) WITHOUT ROWID;
            CREATE INDEX event_resources_by_kind ON event_resources (kind, seq);
            CREATE INDEX event_resources_by_id ON event_resources (id, seq);
            CREATE INDEX event_resources_by_name ON event_resources (name, seq);
            CREATE INDEX event_resources_by_namespace ON event_resources (namespace, seq);

            -- stake_holders and notifications, told apart by field (the proto field name).
            CREATE TABLE event_repeated_values (
                seq      INTEGER NOT NULL,
                field    TEXT    NOT NULL,
                position INTEGER NOT NULL,
                value    TEXT    NOT NULL,
                PRIMARY KEY (seq, field, position)
            ) WITHOUT ROWID;
            CREATE INDEX event_repeated_values_by_value ON event_repeated_values (field, value, seq);

            -- Full text of title and message. The index only: the text stays in events, found by seq.
            CREATE VIRTUAL TABLE events_fts USING fts5(
                title, message,
                content = 'events', content_rowid = 'seq',
                tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* M*'''
            );

            -- SqliteSearchRows writes the full text and side rows with each row (explicitly: an FTS5
            -- insert inside a trigger is several times slower). A deleted event takes them with it,
            -- whoever deletes it. An external-content 'delete' is given exactly the text indexed,
            -- the row's; rows without seq (not indexed yet) have none.
            CREATE TRIGGER events_unindexed_on_delete AFTER DELETE ON events WHEN old.seq IS NOT NULL BEGIN
                INSERT INTO events_fts (events_fts, rowid, title, message) VALUES ('delete', old.seq, old.title, old.message);
                DELETE FROM event_labels WHERE seq = old.seq;
                DELETE FROM event_resources WHERE seq = old.seq;
                DELETE FROM event_repeated_values WHERE seq = old.seq;
            END;
            """),
        new(4, "the change log that WatchEvents reads, and folding repeats (issue 12)", """
            -- One row per committed create, update or delete, at the position it took from
            -- event_sequence in its write transaction (a create's is the event's seq). doc is the
            -- event after the change; for a delete, as it was last stored; previous_doc, for an
            -- update, the event before it. change_type is the ChangeType number. Rows older than
            -- the retention are purged from the oldest.
            CREATE TABLE event_changes (
                seq           INTEGER NOT NULL PRIMARY KEY,
                change_type   INTEGER NOT NULL,
                doc           BLOB    NOT NULL,
                changed_at_us INTEGER NOT NULL,
                previous_doc  BLOB
            );
            -- The newest position purged: resuming from before it would miss changes.
            ALTER TABLE event_sequence ADD COLUMN purged_through INTEGER NOT NULL DEFAULT 0;

            -- Folding repeats: the newest event of a key is the one an occurrence may fold into.
            ALTER TABLE events ADD COLUMN aggregation_key TEXT NOT NULL DEFAULT '';
            -- Event.count, for filter and order_by: 0 in the rows written before, as in their documents.
            ALTER TABLE events ADD COLUMN seen_count INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX events_by_aggregation_key ON events (aggregation_key, seq) WHERE aggregation_key <> '';
            -- The request ids of the creates folded into an event, so that a retry is not counted twice.
            CREATE TABLE folded_requests (
                request_id TEXT NOT NULL PRIMARY KEY,
                event_id   TEXT NOT NULL
            );

            -- A platform team's commonest filter, a service's incidents or drifts in one environment,
            -- counted from the index alone (bench h: 355 ms of SQL at 1M events through the
            -- service/type index and a row read per match for the environment).
            CREATE INDEX events_by_service_type_environment_time ON events (service, type, environment, event_time_us, created_at_us, id);
            """),
        new(5, "retention finds expired events by type and last change (issue 13)", """
            -- Each type's events, oldest change first: retention reads the expired ones of a type
            -- from the start of its range, a batch at a time. Rows not yet indexed (seq NULL) hold
            -- updated_at_us 0 until the backfill fills it, and are left out.
            CREATE INDEX events_by_type_updated_at ON events (type, updated_at_us) WHERE seq IS NOT NULL;
            """),
        new(6, "notifications: channels, the router's position and the delivery log", """
            -- A channel: its protobuf bytes as given (secret included, health not), and columns
            -- for what is filtered and for its health, in microseconds since the Unix epoch.
            CREATE TABLE channels (
                name             TEXT    NOT NULL PRIMARY KEY,
                document         BLOB    NOT NULL,
                etag             TEXT    NOT NULL,
                disabled         INTEGER NOT NULL,
                failing_since_us INTEGER,
                last_success_us  INTEGER,
                last_failure_us  INTEGER,
                last_error       TEXT    NOT NULL DEFAULT ''
            );
            -- The change-log position the router has routed through. It starts at the last
            -- position given out when this step runs: a database upgraded to notifications does
            -- not notify the changes committed before.
            CREATE TABLE notification_router (
                id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                routed_through INTEGER NOT NULL
            );
            INSERT INTO notification_router (id, routed_through) SELECT 1, last_value FROM event_sequence WHERE id = 1;
            -- One message to one channel, the delivery log and the dispatcher's outbox. seq is
            -- the change's position (NULL for a test message); state the DeliveryState number;
            -- attempts the encoding of a Delivery holding only its attempts.
            CREATE TABLE deliveries (
                id                 TEXT    NOT NULL PRIMARY KEY,
                channel            TEXT    NOT NULL,
                seq                INTEGER,
                change_type        INTEGER NOT NULL,
                event_id           TEXT    NOT NULL,
                changed_at_us      INTEGER NOT NULL,
                created_at_us      INTEGER NOT NULL,
                state              INTEGER NOT NULL,
                next_attempt_at_us INTEGER,
                lease_owner        TEXT,
                lease_until_us     INTEGER,
                attempt_count      INTEGER NOT NULL,
                is_test            INTEGER NOT NULL,
                attempts           BLOB    NOT NULL,
                payload            BLOB    NOT NULL
            );
            -- A change reaches a channel once, however often it is routed.
            CREATE UNIQUE INDEX deliveries_by_change ON deliveries (channel, seq) WHERE NOT is_test;
            -- The delivery log, newest first.
            CREATE INDEX deliveries_by_channel ON deliveries (channel, id);
            -- The dispatcher's work: pending messages by due time.
            CREATE INDEX deliveries_pending ON deliveries (next_attempt_at_us, seq) WHERE state = 1;
            """),
        new(7, "full text: rowids only, and prefix indexes for words of up to 8 characters", """
            -- q's words match as prefixes, and FTS5 gathers every term of a prefix into one list
            -- before it returns a row, unless a prefix index of that length exists: '9' or '36'
            -- (versions) stood for thousands of terms, 'rollback' for a list of half the events.
            -- With an index for each length up to 8, such a word is one list, read lazily in
            -- rowid (seq) order. q needs no positions (a word is one token, no phrase or NEAR),
            -- so detail=none keeps rowids only, which keeps the nine lists small. The index
            -- starts empty: SqliteSearchRebuild fills it from events in seq order, a batch per
            -- transaction, through rebuild_through (the last seq given out now); rows written
            -- later are indexed as they are written.
            DROP TRIGGER events_unindexed_on_delete;
            DROP TABLE events_fts;
            CREATE VIRTUAL TABLE events_fts USING fts5(
                title, message,
                content = 'events', content_rowid = 'seq',
                tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* M*''',
                detail = none, prefix = '1 2 3 4 5 6 7 8'
            );
            CREATE TABLE search_rebuild (
                id              INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                indexed_through INTEGER NOT NULL,
                rebuild_through INTEGER NOT NULL
            );
            INSERT INTO search_rebuild (id, indexed_through, rebuild_through) SELECT 1, 0, last_value FROM event_sequence WHERE id = 1;
            -- As migration 3's, but an event the rebuild has not reached yet has no full text to delete.
            CREATE TRIGGER events_unindexed_on_delete AFTER DELETE ON events WHEN old.seq IS NOT NULL BEGIN
                INSERT INTO events_fts (events_fts, rowid, title, message)
                    SELECT 'delete', old.seq, old.title, old.message
                    WHERE NOT EXISTS (SELECT 1 FROM search_rebuild WHERE old.seq > indexed_through AND old.seq <= rebuild_through);
                DELETE FROM event_labels WHERE seq = old.seq;
                DELETE FROM event_resources WHERE seq = old.seq;
                DELETE FROM event_repeated_values WHERE seq = old.seq;
            END;
            """),
        new(8, "a service's events in commit order", """
            -- An after_id poll of one service (service = ? AND seq > ? ORDER BY seq) read from
            -- its position on, in order, with its count: without this index SQLite took the
            -- service's time index, read every event of the service for its seq and sorted
            -- them (bench h, after-id-service: 668 ms of SQL at 1M events). Full text with a
            -- service filter walks it too, in seq ranges.
            CREATE INDEX events_by_service_seq ON events (service, seq);
            """),
        new(9, "full text with each event's service as a reserved token, and seq in the created_at index", $"""
            -- q with a service filter: FTS5 intersects the words' lists with the service's in
            -- seq order and counts the matches itself, instead of the service's rows being walked
            -- against the words' lists (bench h: 282 ms for q=rollback with a service filter at
            -- 1M events). The service is indexed as one token no word of q can match
            -- (SqliteSearchText): U+E000, a token character here, then the service's UTF-8 in
            -- hex; U+E000 in a title or message is indexed as the space it was split as before.
            -- The index reads what it holds from a view of events, so that FTS5's own checks
            -- ('integrity-check', 'rebuild') see the same text. It starts empty, and
            -- SqliteSearchRebuild fills it as it filled migration 7's.
            DROP TRIGGER events_unindexed_on_delete;
            DROP TABLE events_fts;
            CREATE VIEW events_search_text AS
                SELECT seq, {SqliteSearchText.IndexedSql("title")} AS title, {SqliteSearchText.IndexedSql("message")} AS message,
                    {SqliteSearchText.ServiceTokenSql("service")} AS service
                FROM events WHERE seq IS NOT NULL;
            CREATE VIRTUAL TABLE events_fts USING fts5(
                title, message, service,
                content = 'events_search_text', content_rowid = 'seq',
                tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* M*'' tokenchars ''{SqliteSearchText.Reserved}''',
                detail = none, prefix = '1 2 3 4 5 6 7 8'
            );
            UPDATE search_rebuild SET indexed_through = 0, rebuild_through = (SELECT last_value FROM event_sequence WHERE id = 1);
            -- As migration 7's, with the text as indexed and the service's token.
            CREATE TRIGGER events_unindexed_on_delete AFTER DELETE ON events WHEN old.seq IS NOT NULL BEGIN
                INSERT INTO events_fts (events_fts, rowid, title, message, service)
                    SELECT 'delete', old.seq, {SqliteSearchText.IndexedSql("old.title")}, {SqliteSearchText.IndexedSql("old.message")}, {SqliteSearchText.ServiceTokenSql("old.service")}
                    WHERE NOT EXISTS (SELECT 1 FROM search_rebuild WHERE old.seq > indexed_through AND old.seq <= rebuild_through);
                DELETE FROM event_labels WHERE seq = old.seq;
                DELETE FROM event_resources WHERE seq = old.seq;
                DELETE FROM event_repeated_values WHERE seq = old.seq;
            END;
            -- The newest-first walk of a common word (SqliteFullTextPlan) reads the created_at
            -- order for each row's seq, FTS5's key: with seq in the index it reads the index
            -- alone (12,000 rows: 0.5 ms rather than 9 ms of row reads, at 1M events).
            DROP INDEX events_by_created_at;
            CREATE INDEX events_by_created_at ON events (created_at_us, id, seq);
            """),
    ];
}
