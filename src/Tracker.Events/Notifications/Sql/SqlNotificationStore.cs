using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Time;
using Channel = Tracker.Api.V1Alpha1.Channel;

namespace Tracker.Events.Notifications.Sql;

/// <summary>
/// The notification store of both SQL stores, over the tables their migrations create (channels,
/// notification_router, deliveries). Times are microseconds since the Unix epoch, as in the events
/// table. A channel is its protobuf bytes as given (secret included, health left out) with its
/// name, etag, disabled flag and health as columns. A message is columns for what is filtered and
/// shown, its payload, and its attempts as the encoding of a Delivery holding only them: protobuf
/// concatenates repeated fields, so an attempt is appended by appending its bytes.
/// A transaction that touches both channels and deliveries locks the channel rows first (by
/// name), so that two PostgreSQL replicas never wait on each other in a cycle.
/// </summary>
public sealed class SqlNotificationStore(NotificationDatabase database) : INotificationStore
{
    // Rows per multi-row statement: well under both databases' parameter limits.
    private const int RowsPerStatement = 256;

    private const int Pending = (int)DeliveryState.Pending;

    private const string DeliveryColumns = "id, channel, seq, change_type, event_id, changed_at_us, created_at_us, state, next_attempt_at_us, is_test, attempts";

    private static readonly byte[] NoBytes = [];

    /// <summary>The tables are part of the store's schema: this runs the store's migration, which is idempotent.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    // ---- channels ---------------------------------------------------------------------------

    public Task<bool> CreateChannelAsync(Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var insert = Command(connection, transaction, """
                    INSERT INTO channels (name, document, etag, disabled, last_error)
                    VALUES (@name, @document, @etag, @disabled, '')
                    ON CONFLICT DO NOTHING
                    """);
                await using (insert.ConfigureAwait(false))
                {
                    AddChannelValues(insert, channel);
                    if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return false;
                    }
                }

                // Messages a router wrote for an earlier channel of this name while it was being
                // deleted (PostgreSQL: the router's insert and the delete may interleave) are not this one's.
                var orphans = Command(connection, transaction, "DELETE FROM deliveries WHERE channel = @name");
                await using (orphans.ConfigureAwait(false))
                {
                    AddText(orphans, "@name", channel.Name);
                    await orphans.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    public Task<Channel?> GetChannelAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return database.ReadAsync(
            async connection =>
            {
                var select = Command(connection, null, "SELECT document FROM channels WHERE name = @name");
                await using var selectDisposal = select.ConfigureAwait(false);
                AddText(select, "@name", name);
                return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] document
                    ? Channel.Parser.ParseFrom(document)
                    : null;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Channel>> ListChannelsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Channel>>(
            async connection =>
            {
                var select = Command(connection, null, "SELECT document FROM channels");
                await using var selectDisposal = select.ConfigureAwait(false);
                var channels = new List<Channel>();
                var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        channels.Add(Channel.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0)));
                    }
                }

                // Ordinal here, whatever the database's collation.
                channels.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                return channels;
            },
            cancellationToken);

    public Task<bool> ReplaceChannelAsync(Channel updated, string expectedEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(expectedEtag);

        // Enabling a channel starts its failing time afresh: the automatic disabling measures
        // failures since it was last enabled, not before.
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var update = Command(connection, transaction, """
                    UPDATE channels SET document = @document, etag = @etag, disabled = @disabled,
                        failing_since_us = CASE WHEN disabled AND NOT @disabled THEN NULL ELSE failing_since_us END
                    WHERE name = @name AND etag = @expected_etag
                    """);
                await using var updateDisposal = update.ConfigureAwait(false);
                AddChannelValues(update, updated);
                AddText(update, "@expected_etag", expectedEtag);
                return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken);
    }

    public Task<DeleteOutcome> DeleteChannelAsync(string name, string? expectedEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var select = Command(connection, transaction, $"SELECT etag FROM channels WHERE name = @name {database.LockRows}");
                await using (select.ConfigureAwait(false))
                {
                    AddText(select, "@name", name);
                    var etag = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                    if (etag is null)
                    {
                        return DeleteOutcome.NotFound;
                    }

                    if (expectedEtag is not null && !string.Equals(etag, expectedEtag, StringComparison.Ordinal))
                    {
                        return DeleteOutcome.EtagMismatch;
                    }
                }

                foreach (var sql in (string[])["DELETE FROM deliveries WHERE channel = @name", "DELETE FROM channels WHERE name = @name"])
                {
                    var delete = Command(connection, transaction, sql);
                    await using var deleteDisposal = delete.ConfigureAwait(false);
                    AddText(delete, "@name", name);
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return DeleteOutcome.Deleted;
            },
            cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, ChannelHealth>> GetHealthAsync(IReadOnlyCollection<string> names, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var distinct = names.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, ChannelHealth>>(new Dictionary<string, ChannelHealth>(StringComparer.Ordinal));
        }

        return database.ReadAsync<IReadOnlyDictionary<string, ChannelHealth>>(
            async connection =>
            {
                var health = distinct.ToDictionary(name => name, _ => new ChannelHealth(), StringComparer.Ordinal);

                // One statement: the channel and its pending messages are of the same moment.
                var select = Command(connection, null, string.Empty);
                await using var selectDisposal = select.ConfigureAwait(false);
                var names = AddTextList(select, "@n", distinct);
                select.CommandText = $"""
                    SELECT c.name, c.last_success_us, c.last_failure_us, c.last_error, c.failing_since_us, p.pending, p.oldest_changed_at_us
                    FROM channels c LEFT JOIN (
                        SELECT channel, count(*) AS pending, min(changed_at_us) AS oldest_changed_at_us FROM deliveries
                        WHERE state = {Pending} AND channel IN ({names})
                        GROUP BY channel
                    ) p ON p.channel = c.name
                    WHERE c.name IN ({names})
                    """;
                var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using var readerDisposal = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var lag = reader.IsDBNull(6) ? TimeSpan.Zero : now - FromMicros(reader.GetInt64(6));
                    health[reader.GetString(0)] = new ChannelHealth
                    {
                        LastSuccessTime = ReadTimestamp(reader, 1),
                        LastFailureTime = ReadTimestamp(reader, 2),
                        LastError = reader.GetString(3),
                        FailingSince = ReadTimestamp(reader, 4),
                        PendingMessages = reader.IsDBNull(5) ? 0 : reader.GetInt64(5),
                        Lag = Duration.FromTimeSpan(lag > TimeSpan.Zero ? lag : TimeSpan.Zero),
                    };
                }

                return health;
            },
            cancellationToken);
    }

    // ---- routing ----------------------------------------------------------------------------

    public Task<long> GetRoutedThroughAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                var select = Command(connection, null, "SELECT routed_through FROM notification_router WHERE id = 1");
                await using var selectDisposal = select.ConfigureAwait(false);
                return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position
                    ? position
                    : throw new InvalidOperationException("notification_router has no row: the schema is not migrated.");
            },
            cancellationToken);

    public Task<bool> RouteAsync(long from, long through, IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                // The compare-and-set first: a router that lost the race waits here for the
                // winner's commit, then finds the position moved and writes nothing.
                var move = Command(connection, transaction, "UPDATE notification_router SET routed_through = @through WHERE id = 1 AND routed_through = @from");
                await using (move.ConfigureAwait(false))
                {
                    AddInt64(move, "@through", through);
                    AddInt64(move, "@from", from);
                    if (await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return false;
                    }
                }

                foreach (var chunk in messages.Chunk(RowsPerStatement))
                {
                    var insert = Command(connection, transaction, string.Empty);
                    await using var insertDisposal = insert.ConfigureAwait(false);
                    AddBytes(insert, "@no_attempts", NoBytes);
                    var rows = new StringBuilder();
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        var m = chunk[i];
                        AddText(insert, $"@i{i}", m.Id);
                        AddText(insert, $"@c{i}", m.Channel);
                        AddInt64(insert, $"@s{i}", m.Sequence);
                        AddInt32(insert, $"@t{i}", (int)m.ChangeType);
                        AddText(insert, $"@e{i}", m.EventId);
                        AddInt64(insert, $"@w{i}", Micros(m.ChangedAt));
                        AddInt64(insert, $"@r{i}", Micros(m.CreatedAt));
                        AddBytes(insert, $"@p{i}", m.Payload);
                        rows.Append(i == 0 ? string.Empty : ", ")
                            .Append(CultureInfo.InvariantCulture, $"(@i{i}, @c{i}, @s{i}, @t{i}, @e{i}, @w{i}, @r{i}, {Pending}, @r{i}, 0, FALSE, @no_attempts, @p{i})");
                    }

                    insert.CommandText = $"""
                        INSERT INTO deliveries (id, channel, seq, change_type, event_id, changed_at_us, created_at_us, state, next_attempt_at_us, attempt_count, is_test, attempts, payload)
                        VALUES {rows}
                        ON CONFLICT DO NOTHING
                        """;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    // ---- dispatch ---------------------------------------------------------------------------

    public Task<IReadOnlyList<LeasedMessage>> LeaseDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return database.WriteAsync<IReadOnlyList<LeasedMessage>>(
            async (connection, transaction) =>
            {
                // Materialized: the choice (and its row locks) is made once, never again per row updated.
                var update = Command(connection, transaction, $"""
                    WITH due AS MATERIALIZED (
                        SELECT id FROM deliveries
                        WHERE state = {Pending} AND NOT is_test AND next_attempt_at_us <= @now
                            AND (lease_until_us IS NULL OR lease_until_us <= @now)
                            AND channel IN (SELECT name FROM channels WHERE NOT disabled)
                        ORDER BY seq, id
                        LIMIT @limit
                        {database.SkipLockedRows}
                    )
                    UPDATE deliveries SET lease_owner = @owner, lease_until_us = @until
                    WHERE id IN (SELECT id FROM due)
                    RETURNING {DeliveryColumns}, payload, attempt_count
                    """);
                await using var updateDisposal = update.ConfigureAwait(false);
                AddText(update, "@owner", owner);
                AddInt64(update, "@until", Micros(now + lease));
                AddInt64(update, "@now", Micros(now));
                AddInt32(update, "@limit", limit);
                var leased = new List<LeasedMessage>();
                var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        leased.Add(new LeasedMessage(ReadDelivery(reader), reader.GetInt64(2), FromMicros(reader.GetInt64(5)), reader.GetFieldValue<byte[]>(11), reader.GetInt32(12)));
                    }
                }

                // RETURNING promises no order.
                leased.Sort((a, b) => a.Sequence != b.Sequence
                    ? a.Sequence.CompareTo(b.Sequence)
                    : string.CompareOrdinal(a.Delivery.Id, b.Delivery.Id));
                return leased;
            },
            cancellationToken);
    }

    public Task CompleteAsync(string owner, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }

        // A pending message without a due time would never be leased again.
        if (outcomes.FirstOrDefault(o => o.State is not (DeliveryState.Delivered or DeliveryState.Failed or DeliveryState.Pending)
            || (o.State == DeliveryState.Pending && o.NextAttemptAt is null)) is { } invalid)
        {
            throw new ArgumentException($"Outcome of {invalid.DeliveryId}: the state is Delivered, Failed, or Pending with a next attempt time.", nameof(outcomes));
        }

        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var channels = outcomes.Select(o => o.Channel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                await LockChannelsAsync(connection, transaction, channels, cancellationToken).ConfigureAwait(false);

                var recorded = new HashSet<string>(StringComparer.Ordinal);
                foreach (var chunk in outcomes.Chunk(RowsPerStatement))
                {
                    await RecordAttemptsAsync(connection, transaction, owner, chunk, recorded, cancellationToken).ConfigureAwait(false);
                }

                foreach (var channel in channels)
                {
                    var attempts = outcomes.Where(o => recorded.Contains(o.DeliveryId) && string.Equals(o.Channel, channel, StringComparison.Ordinal)).ToList();
                    if (attempts.Count > 0)
                    {
                        await RecordHealthAsync(connection, transaction, channel, attempts, cancellationToken).ConfigureAwait(false);
                    }
                }

                return true;
            },
            cancellationToken);
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                // A leased message is due again when its lease runs out.
                var select = Command(connection, null, $"""
                    SELECT min(CASE WHEN lease_until_us > next_attempt_at_us THEN lease_until_us ELSE next_attempt_at_us END)
                    FROM deliveries
                    WHERE state = {Pending} AND NOT is_test AND channel IN (SELECT name FROM channels WHERE NOT disabled)
                    """);
                await using var selectDisposal = select.ConfigureAwait(false);
                return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long due
                    ? FromMicros(due)
                    : (DateTimeOffset?)null;
            },
            cancellationToken);

    public Task<bool> DisableFailingAsync(string name, DateTimeOffset failingBefore, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reason);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                Channel channel;
                var select = Command(connection, transaction, $"""
                    SELECT document FROM channels
                    WHERE name = @name AND NOT disabled AND failing_since_us IS NOT NULL AND failing_since_us < @before
                    {database.LockRows}
                    """);
                await using (select.ConfigureAwait(false))
                {
                    AddText(select, "@name", name);
                    AddInt64(select, "@before", Micros(failingBefore));
                    if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not byte[] document)
                    {
                        return false;
                    }

                    channel = Channel.Parser.ParseFrom(document);
                }

                // A new etag: a client holding the old one must not re-enable it unknowingly.
                channel.Disabled = true;
                channel.DisabledReason = reason;
                channel.UpdateTime = Timestamp.FromDateTimeOffset(now);
                channel.Etag = EventIdentity.NewEtag();
                var update = Command(connection, transaction, "UPDATE channels SET document = @document, etag = @etag, disabled = @disabled WHERE name = @name");
                await using var updateDisposal = update.ConfigureAwait(false);
                AddChannelValues(update, channel);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    // ---- the delivery log -------------------------------------------------------------------

    public Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string channel, DeliveryState state, string? beforeId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return database.ReadAsync<IReadOnlyList<Delivery>>(
            async connection =>
            {
                var select = Command(connection, null, $"""
                    SELECT {DeliveryColumns} FROM deliveries
                    WHERE channel = @channel
                    {(state == DeliveryState.Unspecified ? string.Empty : "AND state = @state")}
                    {(beforeId is null ? string.Empty : "AND id < @before_id")}
                    ORDER BY id DESC
                    LIMIT @limit
                    """);
                await using var selectDisposal = select.ConfigureAwait(false);
                AddText(select, "@channel", channel);
                if (state != DeliveryState.Unspecified)
                {
                    AddInt32(select, "@state", (int)state);
                }

                if (beforeId is not null)
                {
                    AddText(select, "@before_id", beforeId);
                }

                AddInt32(select, "@limit", limit);
                var deliveries = new List<Delivery>();
                var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        deliveries.Add(ReadDelivery(reader));
                    }
                }

                return deliveries;
            },
            cancellationToken);
    }

    public Task<int> RedeliverAsync(string channel, string? deliveryId, long? afterSequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if ((deliveryId is null) == (afterSequence is null))
        {
            throw new ArgumentException("Exactly one of deliveryId and afterSequence is given.", nameof(deliveryId));
        }

        // A test message is sent once and has no payload kept: it is never sent again.
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var update = Command(connection, transaction, $"""
                    UPDATE deliveries SET state = {Pending}, next_attempt_at_us = @now, lease_owner = NULL, lease_until_us = NULL, attempt_count = 0
                    WHERE channel = @channel AND NOT is_test AND {(deliveryId is null ? "seq > @after" : "id = @id")}
                    """);
                await using var updateDisposal = update.ConfigureAwait(false);
                AddText(update, "@channel", channel);
                AddInt64(update, "@now", Micros(now));
                if (deliveryId is not null)
                {
                    AddText(update, "@id", deliveryId);
                }
                else
                {
                    AddInt64(update, "@after", afterSequence!.Value);
                }
                return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task AddTestDeliveryAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var createdAt = delivery.CreateTime is { } created ? EventKeys.ToMicros(created) : 0;
                var insert = Command(connection, transaction, """
                    INSERT INTO deliveries (id, channel, seq, change_type, event_id, changed_at_us, created_at_us, state, next_attempt_at_us, attempt_count, is_test, attempts, payload)
                    VALUES (@id, @channel, NULL, @change_type, @event_id, @created_at, @created_at, @state, NULL, @attempt_count, TRUE, @attempts, @payload)
                    """);
                await using var insertDisposal = insert.ConfigureAwait(false);
                AddText(insert, "@id", delivery.Id);
                AddText(insert, "@channel", delivery.Channel);
                AddInt32(insert, "@change_type", (int)delivery.ChangeType);
                AddText(insert, "@event_id", delivery.EventId);
                AddInt64(insert, "@created_at", createdAt);
                AddInt32(insert, "@state", (int)delivery.State);
                AddInt32(insert, "@attempt_count", delivery.Attempts.Count);
                AddBytes(insert, "@attempts", new Delivery { Attempts = { delivery.Attempts } }.ToByteArray());
                AddBytes(insert, "@payload", NoBytes);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private async Task LockChannelsAsync(DbConnection connection, DbTransaction transaction, string[] channels, CancellationToken cancellationToken)
    {
        if (database.LockRows.Length == 0)
        {
            return;
        }

        var select = Command(connection, transaction, string.Empty);
        await using var selectDisposal = select.ConfigureAwait(false);
        select.CommandText = $"SELECT name FROM channels WHERE name IN ({AddTextList(select, "@n", channels)}) ORDER BY name {database.LockRows}";
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Appends each attempt to its message, if the owner still holds its lease, and adds the ids recorded to <paramref name="recorded"/>.</summary>
    private async Task RecordAttemptsAsync(DbConnection connection, DbTransaction transaction, string owner, AttemptOutcome[] chunk, HashSet<string> recorded, CancellationToken cancellationToken)
    {
        var update = Command(connection, transaction, string.Empty);
        await using var updateDisposal = update.ConfigureAwait(false);
        AddText(update, "@owner", owner);
        var rows = new StringBuilder();
        for (var i = 0; i < chunk.Length; i++)
        {
            var outcome = chunk[i];
            AddText(update, $"@i{i}", outcome.DeliveryId);
            AddInt32(update, $"@s{i}", (int)outcome.State);
            AddNullableInt64(update, $"@n{i}", outcome.State == DeliveryState.Pending && outcome.NextAttemptAt is { } next ? Micros(next) : null);
            AddBytes(update, $"@a{i}", new Delivery { Attempts = { outcome.Attempt } }.ToByteArray());
            rows.Append(i == 0 ? string.Empty : " UNION ALL ")
                .Append(CultureInfo.InvariantCulture, $"SELECT @i{i} AS outcome_id, @s{i} AS outcome_state, @n{i} AS outcome_next, @a{i} AS outcome_attempt");
        }

        update.CommandText = $"""
            UPDATE deliveries SET
                state = outcome.outcome_state,
                next_attempt_at_us = outcome.outcome_next,
                attempt_count = attempt_count + 1,
                attempts = {database.ConcatBytes("attempts", "outcome.outcome_attempt")},
                lease_owner = NULL,
                lease_until_us = NULL
            FROM ({rows}) AS outcome
            WHERE id = outcome.outcome_id AND lease_owner = @owner
            RETURNING id
            """;
        var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            recorded.Add(reader.GetString(0));
        }
    }

    /// <summary>
    /// The channel's last success and failure from its recorded attempts; failing-since is the
    /// first failure after the last success, kept while failures go on, cleared by a success.
    /// </summary>
    private static async Task RecordHealthAsync(DbConnection connection, DbTransaction transaction, string channel, List<AttemptOutcome> attempts, CancellationToken cancellationToken)
    {
        var ordered = attempts.OrderBy(o => o.Attempt.AttemptTime?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).ToList();
        var lastSuccess = ordered.FindLastIndex(o => o.Succeeded);
        var lastFailure = ordered.FindLastIndex(o => !o.Succeeded);
        var firstFailureAfterSuccess = ordered.FindIndex(lastSuccess + 1, o => !o.Succeeded);
        var endsInSuccess = ordered[^1].Succeeded;

        var update = Command(connection, transaction, """
            UPDATE channels SET
                last_success_us = COALESCE(@success, last_success_us),
                last_failure_us = COALESCE(@failure, last_failure_us),
                last_error = COALESCE(@error, last_error),
                failing_since_us = CASE WHEN @ends_in_success THEN NULL
                    WHEN @had_success THEN @first_failure
                    ELSE COALESCE(failing_since_us, @first_failure) END
            WHERE name = @name
            """);
        await using var updateDisposal = update.ConfigureAwait(false);
        AddText(update, "@name", channel);
        AddNullableInt64(update, "@success", lastSuccess < 0 ? null : AttemptMicros(ordered[lastSuccess]));
        AddNullableInt64(update, "@failure", lastFailure < 0 ? null : AttemptMicros(ordered[lastFailure]));
        AddNullableText(update, "@error", lastFailure < 0 ? null : ordered[lastFailure].Attempt.Error);
        AddBool(update, "@ends_in_success", endsInSuccess);
        AddBool(update, "@had_success", lastSuccess >= 0);
        AddNullableInt64(update, "@first_failure", firstFailureAfterSuccess < 0 ? null : AttemptMicros(ordered[firstFailureAfterSuccess]));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long AttemptMicros(AttemptOutcome outcome) => EventKeys.ToMicros(outcome.Attempt.AttemptTime);

    /// <summary>A message from <see cref="DeliveryColumns"/>, in their order.</summary>
    private static Delivery ReadDelivery(DbDataReader reader)
    {
        var delivery = Delivery.Parser.ParseFrom(reader.GetFieldValue<byte[]>(10));
        delivery.Id = reader.GetString(0);
        delivery.Channel = reader.GetString(1);
        delivery.ChangeId = reader.IsDBNull(2) ? string.Empty : reader.GetInt64(2).ToString(CultureInfo.InvariantCulture);
        delivery.ChangeType = (ChangeType)reader.GetInt32(3);
        delivery.EventId = reader.GetString(4);
        delivery.CreateTime = Timestamp.FromDateTimeOffset(FromMicros(reader.GetInt64(6)));
        delivery.State = (DeliveryState)reader.GetInt32(7);
        if (delivery.State == DeliveryState.Pending && !reader.IsDBNull(8))
        {
            delivery.NextAttemptTime = Timestamp.FromDateTimeOffset(FromMicros(reader.GetInt64(8)));
        }

        delivery.Test = reader.GetBoolean(9);
        return delivery;
    }

    private static Timestamp? ReadTimestamp(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Timestamp.FromDateTimeOffset(FromMicros(reader.GetInt64(ordinal)));

    /// <summary>The values of a channel's row; its health is kept in columns, never in the document.</summary>
    private static void AddChannelValues(DbCommand command, Channel channel)
    {
        var stored = channel.Clone();
        stored.Health = null;
        AddText(command, "@name", channel.Name);
        AddBytes(command, "@document", stored.ToByteArray());
        AddText(command, "@etag", channel.Etag);
        AddBool(command, "@disabled", channel.Disabled);
    }

    private static long Micros(DateTimeOffset time) => EventKeys.ToMicros(time);

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds one parameter per value; returns their placeholders, comma-separated.</summary>
    private static string AddTextList(DbCommand command, string prefix, IReadOnlyList<string> values)
    {
        var placeholders = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            placeholders[i] = prefix + i.ToString(CultureInfo.InvariantCulture);
            AddText(command, placeholders[i], values[i]);
        }

        return string.Join(", ", placeholders);
    }

    private static void AddText(DbCommand command, string name, string value) => Add(command, name, value, DbType.String);

    private static void AddNullableText(DbCommand command, string name, string? value) => Add(command, name, value, DbType.String);

    private static void AddInt64(DbCommand command, string name, long value) => Add(command, name, value, DbType.Int64);

    private static void AddNullableInt64(DbCommand command, string name, long? value) => Add(command, name, value, DbType.Int64);

    private static void AddInt32(DbCommand command, string name, int value) => Add(command, name, value, DbType.Int32);

    private static void AddBool(DbCommand command, string name, bool value) => Add(command, name, value, DbType.Boolean);

    private static void AddBytes(DbCommand command, string name, byte[] value) => Add(command, name, value, DbType.Binary);

    private static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
