using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Notifications;

/// <summary>
/// The storage port of notifications (README, "Notifications"), kept in the same database as the
/// events: the channels, the router's position in the change log, and the delivery log (one row
/// per message to a channel, which is also the outbox the dispatcher works from). Every method is
/// one short transaction; a PostgreSQL store is shared safely by several replicas.
/// Throws <see cref="Storage.StoreUnavailableException"/> when the database cannot serve.
/// </summary>
public interface INotificationStore
{
    /// <summary>Creates or upgrades the notification tables; safe to run twice and from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    // ---- channels ---------------------------------------------------------------------------

    /// <summary>Stores a new channel (complete: name, kind, target, secret, times, etag). False when the name is taken.</summary>
    Task<bool> CreateChannelAsync(Channel channel, CancellationToken cancellationToken);

    /// <summary>The channel with this name as stored (secret included, health not), or null.</summary>
    Task<Channel?> GetChannelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every channel as stored, by name (ordinal).</summary>
    Task<IReadOnlyList<Channel>> ListChannelsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a channel only if its stored etag is still <paramref name="expectedEtag"/>. False when it is gone or changed.
    /// Enabling a disabled channel clears its failing-since, so that <see cref="DisableFailingAsync"/> counts from then.
    /// </summary>
    Task<bool> ReplaceChannelAsync(Channel updated, string expectedEtag, CancellationToken cancellationToken);

    /// <summary>Deletes a channel and its whole delivery log, only if its etag matches when one is given.</summary>
    Task<Storage.DeleteOutcome> DeleteChannelAsync(string name, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>
    /// Health as the delivery log and the attempts show it, for each channel named (absent names
    /// get an empty <see cref="ChannelHealth"/>); lag is measured against <paramref name="now"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, ChannelHealth>> GetHealthAsync(IReadOnlyCollection<string> names, DateTimeOffset now, CancellationToken cancellationToken);

    // ---- routing ----------------------------------------------------------------------------

    /// <summary>
    /// The change-log position the router has routed through. Before the first routing it is the
    /// change log's last position when the notification tables were created: 0 for a new
    /// database; for a database upgraded to notifications, its last change then, so that the
    /// changes committed before the upgrade are not notified.
    /// </summary>
    Task<long> GetRoutedThroughAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Atomically: moves the router's position from <paramref name="from"/> to
    /// <paramref name="through"/> and inserts <paramref name="messages"/> as pending, due now.
    /// False, and nothing written, when the position is no longer <paramref name="from"/> (another
    /// replica routed those changes). A message already present (same channel and change) is kept
    /// as it is.
    /// </summary>
    Task<bool> RouteAsync(long from, long through, IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken);

    // ---- dispatch ---------------------------------------------------------------------------

    /// <summary>
    /// Leases up to <paramref name="limit"/> pending messages due at <paramref name="now"/> whose
    /// lease is free or expired, to <paramref name="owner"/> until now + <paramref name="lease"/>,
    /// in change order (oldest first), skipping the messages of disabled channels. Two callers
    /// never get the same message while its lease runs.
    /// </summary>
    Task<IReadOnlyList<LeasedMessage>> LeaseDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records each attempt's outcome on its message, if <paramref name="owner"/> still holds its
    /// lease: the attempt is appended, the state and next attempt time set, the lease released,
    /// and the channel's last success/failure and failing-since updated.
    /// </summary>
    Task CompleteAsync(string owner, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// The earliest time a pending message of an enabled channel is due (a leased one when its
    /// lease ends), or null when none is pending.
    /// </summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Disables the channel with <paramref name="reason"/> if it is still enabled and has failed
    /// without a success since before <paramref name="failingBefore"/>. True when it did.
    /// </summary>
    Task<bool> DisableFailingAsync(string name, DateTimeOffset failingBefore, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    // ---- the delivery log -------------------------------------------------------------------

    /// <summary>
    /// A channel's messages, newest first by id (ids are UUIDv7s, so in the order they were routed
    /// or tested), at most <paramref name="limit"/>, those with an id below
    /// <paramref name="beforeId"/> when given, only those in <paramref name="state"/> when it is
    /// not unspecified.
    /// </summary>
    Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string channel, DeliveryState state, string? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Puts back to pending, due at <paramref name="now"/> with its lease cleared, the channel's
    /// message <paramref name="deliveryId"/>, or every message of the channel whose change is after
    /// <paramref name="afterSequence"/> (exactly one of the two is given). Test messages are never
    /// sent again. Each starts the retry schedule over (its logged attempts stay). Returns how many.
    /// </summary>
    Task<int> RedeliverAsync(string channel, string? deliveryId, long? afterSequence, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds a finished test message (state and attempt set) to the channel's log.</summary>
    Task AddTestDeliveryAsync(Delivery delivery, CancellationToken cancellationToken);
}

/// <summary>A message the router puts in a channel's outbox: the channel, the change, and the payload to send.</summary>
/// <param name="Id">The message id ("msg_" and a UUIDv7), Standard Webhooks' webhook-id.</param>
/// <param name="Channel">The channel's name.</param>
/// <param name="Sequence">The change's position in the change log.</param>
/// <param name="ChangeType">What happened to the event.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="ChangedAt">When the change was committed.</param>
/// <param name="Payload">The <see cref="WebhookPayload"/> encoding, frozen at routing time.</param>
/// <param name="CreatedAt">When the message was routed.</param>
public sealed record NewMessage(string Id, string Channel, long Sequence, ChangeType ChangeType, string EventId, DateTimeOffset ChangedAt, byte[] Payload, DateTimeOffset CreatedAt);

/// <summary>
/// A message leased for an attempt: its log entry so far, the payload to send, and how many
/// attempts it has had since it was routed or last redelivered (a redelivery starts the retry
/// schedule over; the log keeps every attempt).
/// </summary>
public sealed record LeasedMessage(Delivery Delivery, long Sequence, DateTimeOffset ChangedAt, byte[] Payload, int AttemptsSinceRedelivery)
{
    public WebhookPayload DecodePayload() => WebhookPayload.Parser.ParseFrom(Payload);
}

/// <summary>
/// What one attempt at a message came to. <paramref name="State"/> is Delivered, Failed (for good)
/// or Pending (retry at <paramref name="NextAttemptAt"/>).
/// </summary>
public sealed record AttemptOutcome(string DeliveryId, string Channel, DeliveryAttempt Attempt, DeliveryState State, DateTimeOffset? NextAttemptAt)
{
    public bool Succeeded => State == DeliveryState.Delivered;
}
