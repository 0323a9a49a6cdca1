using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Channel = Tracker.Api.V1Alpha1.Channel;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// What every <see cref="INotificationStore"/> must do (its docstrings are the contract), run
/// against each store by deriving from this class (SQLite, PostgreSQL). Times are explicit:
/// nothing here reads a clock. The public helpers serve a store's own tests too.
/// </summary>
public abstract class NotificationStoreContractTests
{
    /// <summary>"Now" for routing, leasing and health; every time here is relative to it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static readonly CancellationToken None = CancellationToken.None;

    private static long _messageIds;

    /// <summary>A new, migrated, empty store, private to the calling test.</summary>
    protected abstract Task<INotificationStore> CreateStoreAsync();

    // ---- migrate ----------------------------------------------------------------------------

    [Fact]
    public async Task MigrateAsync_RunAgain_KeepsEverything()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));

        await store.MigrateAsync(None).Bounded();

        Assert.Equal(channel, await store.GetChannelAsync("ops", None).Bounded());
        Assert.Equal(1, await store.GetRoutedThroughAsync(None).Bounded());
        Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
    }

    // ---- channels ---------------------------------------------------------------------------

    [Fact]
    public async Task CreateChannelAsync_NameTaken_ReturnsFalseAndKeepsTheFirst()
    {
        var store = await CreateStoreAsync().Bounded();
        var first = await CreateChannelAsync(store, "ops");
        var second = NewChannel("ops");
        second.Url = "https://other.example.com/hook";

        Assert.False(await store.CreateChannelAsync(second, None).Bounded());
        Assert.Equal(first, await store.GetChannelAsync("ops", None).Bounded());
    }

    [Fact]
    public async Task GetChannelAsync_Created_ReturnsItAsStoredWithSecretAndWithoutHealth()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = NewChannel("ops");
        channel.Filter = "service = \"api\"";
        channel.ChangeTypes.Add([ChangeType.Created, ChangeType.Deleted]);
        channel.Health = new ChannelHealth { PendingMessages = 7, LastError = "HTTP 503" };
        await store.CreateChannelAsync(channel, None).Bounded();

        var read = await store.GetChannelAsync("ops", None).Bounded();

        var expected = channel.Clone();
        expected.Health = null;
        Assert.Equal(expected, read);
        Assert.StartsWith("whsec_", read!.Secret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChannelAsync_UnknownName_ReturnsNull()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");

        Assert.Null(await store.GetChannelAsync("dev", None).Bounded());
    }

    [Fact]
    public async Task ListChannelsAsync_SeveralChannels_ReturnsEachByNameOrdinal()
    {
        var store = await CreateStoreAsync().Bounded();
        foreach (var name in (string[])["ops", "alerts.b", "alerts-a", "9-nightly", "alerts_c"])
        {
            await CreateChannelAsync(store, name);
        }

        var names = (await store.ListChannelsAsync(None).Bounded()).Select(c => c.Name).ToArray();

        Assert.Equal(["9-nightly", "alerts-a", "alerts.b", "alerts_c", "ops"], names);
    }

    [Fact]
    public async Task ReplaceChannelAsync_CurrentEtag_ReplacesIt()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = await CreateChannelAsync(store, "ops");
        var updated = channel.Clone();
        updated.Url = "https://hooks.example.com/v2";
        updated.Disabled = true;
        updated.Etag = "etag-2";

        Assert.True(await store.ReplaceChannelAsync(updated, channel.Etag, None).Bounded());
        Assert.Equal(updated, await store.GetChannelAsync("ops", None).Bounded());
    }

    [Fact]
    public async Task ReplaceChannelAsync_StaleEtag_ReturnsFalseAndKeepsTheStored()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = await CreateChannelAsync(store, "ops");
        var first = channel.Clone();
        first.Filter = "type = \"INCIDENT\"";
        first.Etag = "etag-2";
        await store.ReplaceChannelAsync(first, channel.Etag, None).Bounded();
        var second = channel.Clone();
        second.Disabled = true;
        second.Etag = "etag-3";

        Assert.False(await store.ReplaceChannelAsync(second, channel.Etag, None).Bounded());
        Assert.Equal(first, await store.GetChannelAsync("ops", None).Bounded());
    }

    [Fact]
    public async Task ReplaceChannelAsync_UnknownName_ReturnsFalse()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = NewChannel("ops");

        Assert.False(await store.ReplaceChannelAsync(channel, channel.Etag, None).Bounded());
        Assert.Null(await store.GetChannelAsync("ops", None).Bounded());
    }

    [Fact]
    public async Task DeleteChannelAsync_UnknownName_ReturnsNotFound()
    {
        var store = await CreateStoreAsync().Bounded();

        Assert.Equal(DeleteOutcome.NotFound, await store.DeleteChannelAsync("ops", null, None).Bounded());
        Assert.Equal(DeleteOutcome.NotFound, await store.DeleteChannelAsync("ops", "etag-1", None).Bounded());
    }

    [Fact]
    public async Task DeleteChannelAsync_StaleEtag_ReturnsEtagMismatchAndKeepsIt()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));

        Assert.Equal(DeleteOutcome.EtagMismatch, await store.DeleteChannelAsync("ops", "stale", None).Bounded());
        Assert.Equal(channel, await store.GetChannelAsync("ops", None).Bounded());
        Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeleteChannelAsync_MatchingOrNoEtag_DeletesTheChannelAndItsDeliveryLog(bool withEtag)
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        await RouteAsync(store, Message("ops", 1), Message("dev", 1), Message("ops", 2));
        await store.AddTestDeliveryAsync(TestDelivery("ops"), None).Bounded();

        Assert.Equal(DeleteOutcome.Deleted, await store.DeleteChannelAsync("ops", withEtag ? channel.Etag : null, None).Bounded());

        Assert.Null(await store.GetChannelAsync("ops", None).Bounded());
        await CreateChannelAsync(store, "ops");
        Assert.Empty(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
        Assert.Single(await store.ListDeliveriesAsync("dev", DeliveryState.Unspecified, null, 10, None).Bounded());
        Assert.Equal(0, (await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"].PendingMessages);
    }

    // ---- routing ----------------------------------------------------------------------------

    [Fact]
    public async Task GetRoutedThroughAsync_NewDatabase_ReturnsZero()
    {
        var store = await CreateStoreAsync().Bounded();

        Assert.Equal(0, await store.GetRoutedThroughAsync(None).Bounded());
    }

    [Fact]
    public async Task RouteAsync_FromTheCurrentPosition_MovesItAndAddsPendingMessagesDueAtTheirCreation()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var message = Message("ops", 3, ChangeType.Updated);

        Assert.True(await store.RouteAsync(0, 5, [message], None).Bounded());

        Assert.Equal(5, await store.GetRoutedThroughAsync(None).Bounded());
        var delivery = Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
        Assert.Equal(
            new Delivery
            {
                Id = message.Id,
                Channel = "ops",
                ChangeId = "3",
                ChangeType = ChangeType.Updated,
                EventId = message.EventId,
                State = DeliveryState.Pending,
                CreateTime = Timestamp.FromDateTimeOffset(message.CreatedAt),
                NextAttemptTime = Timestamp.FromDateTimeOffset(message.CreatedAt),
            },
            delivery);
        var leased = Assert.Single(await store.LeaseDueAsync("a", message.CreatedAt, Lease, 10, None).Bounded());
        Assert.Equal(message.Payload, leased.Payload);
        Assert.Equal(3, leased.Sequence);
        Assert.Equal(message.ChangedAt, leased.ChangedAt);
        Assert.Equal(delivery, leased.Delivery);
        Assert.Equal("ops", leased.DecodePayload().Channel);
    }

    [Fact]
    public async Task RouteAsync_StaleFrom_ReturnsFalseAndWritesNothing()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        Assert.True(await store.RouteAsync(0, 2, [Message("ops", 1), Message("ops", 2)], None).Bounded());

        // A second router that read position 0 before the first moved it.
        Assert.False(await store.RouteAsync(0, 3, [Message("ops", 3)], None).Bounded());

        Assert.Equal(2, await store.GetRoutedThroughAsync(None).Bounded());
        Assert.Equal(["2", "1"], await ChangeIdsAsync(store, "ops"));
    }

    [Fact]
    public async Task RouteAsync_SameChannelAndChangeAgain_KeepsTheFirstMessage()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        var first = Message("ops", 1);
        await RouteAsync(store, first);

        var again = Message("ops", 1, ChangeType.Deleted);
        Assert.True(await store.RouteAsync(1, 2, [again, Message("dev", 1)], None).Bounded());

        var delivery = Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
        Assert.Equal(first.Id, delivery.Id);
        Assert.Equal(ChangeType.Created, delivery.ChangeType);
        Assert.Single(await store.ListDeliveriesAsync("dev", DeliveryState.Unspecified, null, 10, None).Bounded());
    }

    [Fact]
    public async Task RouteAsync_MoreMessagesThanOneStatementTakes_AddsEveryOne()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var messages = Enumerable.Range(1, 700).Select(i => Message("ops", i)).ToArray();

        Assert.True(await store.RouteAsync(0, 700, messages, None).Bounded());

        Assert.Equal(700, (await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"].PendingMessages);
        var leased = await store.LeaseDueAsync("a", Now, Lease, 1000, None).Bounded();
        Assert.Equal(Enumerable.Range(1, 700).Select(i => (long)i), leased.Select(m => m.Sequence));
    }

    [Fact]
    public async Task RouteAsync_NoMessages_MovesThePosition()
    {
        var store = await CreateStoreAsync().Bounded();

        Assert.True(await store.RouteAsync(0, 9, [], None).Bounded());
        Assert.Equal(9, await store.GetRoutedThroughAsync(None).Bounded());
    }

    // ---- leasing ----------------------------------------------------------------------------

    [Fact]
    public async Task LeaseDueAsync_SeveralDue_LeasesUpToTheLimitInChangeOrder()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        await RouteAsync(store, Message("ops", 4), Message("dev", 2), Message("ops", 2), Message("dev", 5), Message("ops", 1));

        var first = await store.LeaseDueAsync("a", Now, Lease, 3, None).Bounded();
        var rest = await store.LeaseDueAsync("b", Now, Lease, 10, None).Bounded();

        Assert.Equal(["ops 1", "dev 2", "ops 2"], first.Select(m => $"{m.Delivery.Channel} {m.Sequence}"));
        Assert.Equal(["ops 4", "dev 5"], rest.Select(m => $"{m.Delivery.Channel} {m.Sequence}"));
        Assert.Empty(await store.LeaseDueAsync("c", Now, Lease, 10, None).Bounded());
    }

    [Fact]
    public async Task LeaseDueAsync_BeforeTheMessageIsDue_LeasesNothing()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1, createdAt: Now.AddSeconds(10)));

        Assert.Empty(await store.LeaseDueAsync("a", Now.AddSeconds(9), Lease, 10, None).Bounded());
        Assert.Single(await store.LeaseDueAsync("a", Now.AddSeconds(10), Lease, 10, None).Bounded());
    }

    [Fact]
    public async Task LeaseDueAsync_DisabledChannel_SkipsItsMessages()
    {
        var store = await CreateStoreAsync().Bounded();
        var ops = await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        await RouteAsync(store, Message("ops", 1), Message("dev", 2));
        await DisableAsync(store, ops);

        var leased = Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());
        Assert.Equal("dev", leased.Delivery.Channel);
    }

    [Fact]
    public async Task LeaseDueAsync_LeaseStillRunning_IsNotLeasedAgain()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));
        Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());

        Assert.Empty(await store.LeaseDueAsync("b", Now + Lease - TimeSpan.FromSeconds(1), Lease, 10, None).Bounded());
    }

    [Fact]
    public async Task LeaseDueAsync_LeaseExpired_IsLeasedAgain()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var message = Message("ops", 1);
        await RouteAsync(store, message);
        Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());

        var again = Assert.Single(await store.LeaseDueAsync("b", Now + Lease, Lease, 10, None).Bounded());
        Assert.Equal(message.Id, again.Delivery.Id);
    }

    [Fact]
    public async Task LeaseDueAsync_TestMessage_IsNeverLeased()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await store.AddTestDeliveryAsync(TestDelivery("ops"), None).Bounded();

        Assert.Empty(await store.LeaseDueAsync("a", Now.AddDays(1), Lease, 10, None).Bounded());
    }

    // ---- completing -------------------------------------------------------------------------

    [Fact]
    public async Task CompleteAsync_Delivered_RecordsTheAttemptAndLeavesIt()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));
        var leased = Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());
        var attempt = Attempt(Now.AddTicks(1234560), 200, string.Empty);

        await store.CompleteAsync("a", [Outcome(leased, attempt, DeliveryState.Delivered)], None).Bounded();

        var delivery = Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Null(delivery.NextAttemptTime);
        Assert.Equal([attempt], delivery.Attempts);
        Assert.Empty(await store.LeaseDueAsync("b", Now.AddDays(1), Lease, 10, None).Bounded());
    }

    [Fact]
    public async Task CompleteAsync_Retry_PutsItBackToPendingAtTheNextTimeWithEveryAttemptInOrder()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));
        var leased = Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());
        var first = Attempt(Now, 503, "HTTP 503");
        var next = Now.AddSeconds(5);

        await store.CompleteAsync("a", [Outcome(leased, first, DeliveryState.Pending, next)], None).Bounded();

        Assert.Empty(await store.LeaseDueAsync("a", next.AddTicks(-10), Lease, 10, None).Bounded());
        var retry = Assert.Single(await store.LeaseDueAsync("b", next, Lease, 10, None).Bounded());
        Assert.Equal(DeliveryState.Pending, retry.Delivery.State);
        Assert.Equal(Timestamp.FromDateTimeOffset(next), retry.Delivery.NextAttemptTime);
        Assert.Equal([first], retry.Delivery.Attempts);

        var second = Attempt(next, 0, "connection refused");
        await store.CompleteAsync("b", [Outcome(retry, second, DeliveryState.Pending, next.AddMinutes(5))], None).Bounded();
        var third = Assert.Single(await store.LeaseDueAsync("a", next.AddMinutes(5), Lease, 10, None).Bounded());
        Assert.Equal([first, second], third.Delivery.Attempts);
    }

    [Fact]
    public async Task CompleteAsync_Failed_MarksItFailedForGood()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));
        var leased = Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());

        await store.CompleteAsync("a", [Outcome(leased, Attempt(Now, 400, "HTTP 400"), DeliveryState.Failed)], None).Bounded();

        var delivery = Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Failed, null, 10, None).Bounded());
        Assert.Null(delivery.NextAttemptTime);
        Assert.Empty(await store.LeaseDueAsync("b", Now.AddDays(1), Lease, 10, None).Bounded());
        Assert.Null(await store.NextDueAsync(None).Bounded());
    }

    [Fact]
    public async Task CompleteAsync_LeaseTakenOverByAnotherOwner_IgnoresTheStaleOwner()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));
        var stale = Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());
        var current = Assert.Single(await store.LeaseDueAsync("b", Now + Lease, Lease, 10, None).Bounded());

        await store.CompleteAsync("a", [Outcome(stale, Attempt(Now.AddSeconds(70), 500, "HTTP 500"), DeliveryState.Failed)], None).Bounded();

        var delivery = Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded());
        Assert.Equal(DeliveryState.Pending, delivery.State);
        Assert.Empty(delivery.Attempts);
        Assert.Equal(new ChannelHealth { LastError = string.Empty, PendingMessages = 1, Lag = Duration.FromTimeSpan(TimeSpan.FromSeconds(301)) }, (await store.GetHealthAsync(["ops"], Now.AddMinutes(5), None).Bounded())["ops"]);

        var attempt = Attempt(Now.AddSeconds(71), 200, string.Empty);
        await store.CompleteAsync("b", [Outcome(current, attempt, DeliveryState.Delivered)], None).Bounded();
        Assert.Equal([attempt], Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Delivered, null, 10, None).Bounded()).Attempts);
    }

    [Fact]
    public async Task CompleteAsync_ManyOutcomesAtOnce_RecordsEachOne()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        var messages = Enumerable.Range(1, 300).SelectMany(i => new[] { Message("ops", i), Message("dev", i) }).ToArray();
        Assert.True(await store.RouteAsync(0, 300, messages, None).Bounded());
        var leased = await store.LeaseDueAsync("a", Now, Lease, 1000, None).Bounded();

        await store.CompleteAsync(
            "a",
            leased.Select(m => m.Sequence % 2 == 0
                ? Outcome(m, Attempt(Now.AddSeconds(m.Sequence), 200, string.Empty), DeliveryState.Delivered)
                : Outcome(m, Attempt(Now.AddSeconds(m.Sequence), 503, "HTTP 503"), DeliveryState.Pending, Now.AddHours(1))).ToList(),
            None).Bounded();

        Assert.Equal(150, (await store.ListDeliveriesAsync("ops", DeliveryState.Delivered, null, 1000, None).Bounded()).Count);
        var pending = await store.ListDeliveriesAsync("dev", DeliveryState.Pending, null, 1000, None).Bounded();
        Assert.Equal(150, pending.Count);
        Assert.All(pending, d => Assert.Single(d.Attempts));
        var health = (await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"];
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(300)), health.LastSuccessTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(299)), health.LastFailureTime);
        Assert.Null(health.FailingSince);
    }

    [Fact]
    public async Task CompleteAsync_PendingWithoutANextAttemptTime_ThrowsAndRecordsNothing()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var leased = await RouteAndLeaseAsync(store, 1, 2);

        await Assert.ThrowsAsync<ArgumentException>(() => store.CompleteAsync(
            "a",
            [Outcome(leased[0], Attempt(Now, 200, string.Empty), DeliveryState.Delivered), Outcome(leased[1], Attempt(Now, 503, "HTTP 503"), DeliveryState.Pending)],
            None)).Bounded();

        Assert.All(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded(), d => Assert.Empty(d.Attempts));
    }

    [Fact]
    public async Task NextDueAsync_PendingMessages_ReturnsTheEarliestDueOfAnEnabledChannel()
    {
        var store = await CreateStoreAsync().Bounded();
        Assert.Null(await store.NextDueAsync(None).Bounded());
        var ops = await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        await RouteAsync(store, Message("ops", 1, createdAt: Now.AddSeconds(1)), Message("dev", 2, createdAt: Now.AddSeconds(3)), Message("dev", 3, createdAt: Now.AddSeconds(2)));

        Assert.Equal(Now.AddSeconds(1), await store.NextDueAsync(None).Bounded());
        await DisableAsync(store, ops);
        Assert.Equal(Now.AddSeconds(2), await store.NextDueAsync(None).Bounded());
    }

    [Fact]
    public async Task NextDueAsync_LeasedMessage_IsDueWhenItsLeaseEnds()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Message("ops", 1));
        await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded();

        Assert.Equal(Now + Lease, await store.NextDueAsync(None).Bounded());
    }

    // ---- health and disabling ---------------------------------------------------------------

    [Fact]
    public async Task GetHealthAsync_AttemptsAndPendingMessages_GivesTheirFigures()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "quiet");
        await RouteAsync(
            store,
            Message("ops", 1, changedAt: Now.AddSeconds(-40)),
            Message("ops", 2, changedAt: Now.AddSeconds(-30)),
            Message("ops", 3, changedAt: Now.AddSeconds(-20)),
            Message("ops", 4, changedAt: Now.AddSeconds(-10)));

        var leased = await store.LeaseDueAsync("a", Now, Lease, 2, None).Bounded();
        await store.CompleteAsync("a", [Outcome(leased[0], Attempt(Now.AddSeconds(1), 200, string.Empty), DeliveryState.Delivered)], None).Bounded();
        await store.CompleteAsync("a", [Outcome(leased[1], Attempt(Now.AddSeconds(2), 503, "HTTP 503"), DeliveryState.Pending, Now.AddHours(1))], None).Bounded();

        var health = await store.GetHealthAsync(["ops", "quiet", "gone"], Now.AddSeconds(50), None).Bounded();

        Assert.Equal(
            new ChannelHealth
            {
                LastSuccessTime = Timestamp.FromDateTimeOffset(Now.AddSeconds(1)),
                LastFailureTime = Timestamp.FromDateTimeOffset(Now.AddSeconds(2)),
                LastError = "HTTP 503",
                FailingSince = Timestamp.FromDateTimeOffset(Now.AddSeconds(2)),
                PendingMessages = 3,
                Lag = Duration.FromTimeSpan(TimeSpan.FromSeconds(80)),
            },
            health["ops"]);
        Assert.Equal(new ChannelHealth { LastError = string.Empty, Lag = Duration.FromTimeSpan(TimeSpan.Zero) }, health["quiet"]);
        Assert.Equal(new ChannelHealth(), health["gone"]);
        Assert.Equal(3, health.Count);
    }

    [Fact]
    public async Task GetHealthAsync_FailuresThenASuccess_FailingSinceIsTheFirstFailureAfterASuccessUntilTheNextSuccess()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await RouteAsync(store, Enumerable.Range(1, 5).Select(i => Message("ops", i)).ToArray());
        var m = await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded();

        async Task<Timestamp?> FailingSinceAfter(LeasedMessage message, int second, bool succeeds)
        {
            var attempt = succeeds ? Attempt(Now.AddSeconds(second), 200, string.Empty) : Attempt(Now.AddSeconds(second), 0, "timed out after 10 s");
            await store.CompleteAsync("a", [Outcome(message, attempt, succeeds ? DeliveryState.Delivered : DeliveryState.Failed)], None).Bounded();
            return (await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"].FailingSince;
        }

        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(1)), await FailingSinceAfter(m[0], 1, succeeds: false));
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(1)), await FailingSinceAfter(m[1], 2, succeeds: false));
        Assert.Null(await FailingSinceAfter(m[2], 3, succeeds: true));
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(4)), await FailingSinceAfter(m[3], 4, succeeds: false));

        // Several outcomes in one call count in attempt order.
        var more = await RouteAndLeaseAsync(store, 6, 3);
        await store.CompleteAsync(
            "a",
            [
                Outcome(more[2], Attempt(Now.AddSeconds(9), 0, "connection reset"), DeliveryState.Failed),
                Outcome(more[0], Attempt(Now.AddSeconds(7), 200, string.Empty), DeliveryState.Delivered),
                Outcome(more[1], Attempt(Now.AddSeconds(8), 0, "connection refused"), DeliveryState.Failed),
            ],
            None).Bounded();
        var health = (await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"];
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(8)), health.FailingSince);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(7)), health.LastSuccessTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddSeconds(9)), health.LastFailureTime);
        Assert.Equal("connection reset", health.LastError);
    }

    [Fact]
    public async Task DisableFailingAsync_FailingSinceBeforeTheCutoff_DisablesItWithTheReasonAndANewEtag()
    {
        var store = await CreateStoreAsync().Bounded();
        var channel = await CreateChannelAsync(store, "ops");
        await FailOnceAsync(store, "ops", Now);

        Assert.True(await store.DisableFailingAsync("ops", Now.AddSeconds(1), "failing for 5 days", Now.AddDays(5), None).Bounded());

        var disabled = await store.GetChannelAsync("ops", None).Bounded();
        Assert.True(disabled!.Disabled);
        Assert.Equal("failing for 5 days", disabled.DisabledReason);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddDays(5)), disabled.UpdateTime);
        Assert.NotEqual(channel.Etag, disabled.Etag);
        Assert.False(await store.ReplaceChannelAsync(channel, channel.Etag, None).Bounded());
        Assert.False(await store.DisableFailingAsync("ops", Now.AddSeconds(1), "again", Now.AddDays(6), None).Bounded());
    }

    [Fact]
    public async Task DisableFailingAsync_FailingSinceTheCutoffOrLater_ReturnsFalse()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await FailOnceAsync(store, "ops", Now);

        Assert.False(await store.DisableFailingAsync("ops", Now, "failing", Now.AddDays(5), None).Bounded());
        Assert.False((await store.GetChannelAsync("ops", None).Bounded())!.Disabled);
    }

    [Fact]
    public async Task DisableFailingAsync_NeverFailedOrUnknown_ReturnsFalse()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");

        Assert.False(await store.DisableFailingAsync("ops", Now.AddYears(1), "failing", Now, None).Bounded());
        Assert.False(await store.DisableFailingAsync("gone", Now.AddYears(1), "failing", Now, None).Bounded());
    }

    [Fact]
    public async Task ReplaceChannelAsync_EnablingADisabledChannel_StartsItsFailingTimeAfresh()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await FailOnceAsync(store, "ops", Now);
        Assert.True(await store.DisableFailingAsync("ops", Now.AddDays(5), "failing", Now.AddDays(5), None).Bounded());
        var disabled = (await store.GetChannelAsync("ops", None).Bounded())!;

        var enabled = disabled.Clone();
        enabled.Disabled = false;
        enabled.DisabledReason = string.Empty;
        enabled.Etag = "etag-enabled";
        Assert.True(await store.ReplaceChannelAsync(enabled, disabled.Etag, None).Bounded());

        Assert.Null((await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"].FailingSince);
        Assert.False(await store.DisableFailingAsync("ops", Now.AddDays(5), "failing", Now.AddDays(6), None).Bounded());
    }

    // ---- the delivery log -------------------------------------------------------------------

    [Fact]
    public async Task ListDeliveriesAsync_PagedByBeforeId_GivesEveryMessageOnceNewestFirst()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        var messages = Enumerable.Range(1, 7).Select(i => Message("ops", i)).Append(Message("dev", 1)).ToArray();
        await RouteAsync(store, messages);

        var pages = new List<string[]>();
        string? before = null;
        while (true)
        {
            var page = await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, before, 3, None).Bounded();
            if (page.Count == 0)
            {
                break;
            }

            pages.Add([.. page.Select(d => d.ChangeId)]);
            before = page[^1].Id;
        }

        Assert.Equal([["7", "6", "5"], ["4", "3", "2"], ["1"]], pages);
    }

    [Fact]
    public async Task ListDeliveriesAsync_State_ListsOnlyThatState()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var leased = await RouteAndLeaseAsync(store, 1, 4);
        await store.CompleteAsync(
            "a",
            [
                Outcome(leased[0], Attempt(Now, 200, string.Empty), DeliveryState.Delivered),
                Outcome(leased[1], Attempt(Now, 410, "HTTP 410"), DeliveryState.Failed),
                Outcome(leased[2], Attempt(Now, 200, string.Empty), DeliveryState.Delivered),
            ],
            None).Bounded();
        await store.AddTestDeliveryAsync(TestDelivery("ops"), None).Bounded();

        async Task<string[]> ListAsync(DeliveryState state) =>
            [.. (await store.ListDeliveriesAsync("ops", state, null, 10, None).Bounded()).Select(d => d.Test ? "test" : d.ChangeId)];

        Assert.Equal(["test", "3", "1"], await ListAsync(DeliveryState.Delivered));
        Assert.Equal(["2"], await ListAsync(DeliveryState.Failed));
        Assert.Equal(["4"], await ListAsync(DeliveryState.Pending));
        Assert.Equal(["test", "4", "3", "2", "1"], await ListAsync(DeliveryState.Unspecified));
    }

    [Fact]
    public async Task RedeliverAsync_OneMessage_PutsItBackToPendingDueNowKeepingItsIdAndAttempts()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var leased = await RouteAndLeaseAsync(store, 1, 2);
        var attempt = Attempt(Now, 400, "HTTP 400");
        await store.CompleteAsync(
            "a",
            [Outcome(leased[0], attempt, DeliveryState.Failed), Outcome(leased[1], Attempt(Now, 200, string.Empty), DeliveryState.Delivered)],
            None).Bounded();

        Assert.Equal(1, await store.RedeliverAsync("ops", leased[0].Delivery.Id, null, Now.AddHours(1), None).Bounded());

        var again = Assert.Single(await store.LeaseDueAsync("b", Now.AddHours(1), Lease, 10, None).Bounded());
        Assert.Equal(leased[0].Delivery.Id, again.Delivery.Id);
        Assert.Equal(DeliveryState.Pending, again.Delivery.State);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now.AddHours(1)), again.Delivery.NextAttemptTime);
        Assert.Equal([attempt], again.Delivery.Attempts);
        // The log keeps the attempt; the retry schedule starts over.
        Assert.Equal(0, again.AttemptsSinceRedelivery);
        Assert.Equal(0, await store.RedeliverAsync("dev", leased[1].Delivery.Id, null, Now, None).Bounded());
        Assert.Equal(0, await store.RedeliverAsync("ops", "msg_unknown", null, Now, None).Bounded());
    }

    [Fact]
    public async Task LeaseDueAsync_RetriedMessage_CountsItsAttemptsUntilARedelivery()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var leased = await RouteAndLeaseAsync(store, 1, 1);
        Assert.Equal(0, leased[0].AttemptsSinceRedelivery);
        await store.CompleteAsync("a", [Outcome(leased[0], Attempt(Now, 503, "HTTP 503"), DeliveryState.Pending, Now.AddSeconds(1))], None).Bounded();

        var retried = Assert.Single(await store.LeaseDueAsync("a", Now.AddSeconds(1), Lease, 10, None).Bounded());
        Assert.Equal(1, retried.AttemptsSinceRedelivery);
        await store.CompleteAsync("a", [Outcome(retried, Attempt(Now.AddSeconds(1), 400, "HTTP 400"), DeliveryState.Failed)], None).Bounded();
        Assert.Equal(1, await store.RedeliverAsync("ops", retried.Delivery.Id, null, Now.AddSeconds(2), None).Bounded());

        var redelivered = Assert.Single(await store.LeaseDueAsync("a", Now.AddSeconds(2), Lease, 10, None).Bounded());
        Assert.Equal(0, redelivered.AttemptsSinceRedelivery);
        Assert.Equal(2, redelivered.Delivery.Attempts.Count);
    }

    [Fact]
    public async Task RedeliverAsync_LeasedMessage_ClearsItsLease()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var leased = await RouteAndLeaseAsync(store, 1, 1);

        Assert.Equal(1, await store.RedeliverAsync("ops", leased[0].Delivery.Id, null, Now.AddSeconds(1), None).Bounded());

        Assert.Single(await store.LeaseDueAsync("b", Now.AddSeconds(1), Lease, 10, None).Bounded());
        await store.CompleteAsync("a", [Outcome(leased[0], Attempt(Now, 200, string.Empty), DeliveryState.Delivered)], None).Bounded();
        Assert.Empty(Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Pending, null, 10, None).Bounded()).Attempts);
    }

    [Fact]
    public async Task RedeliverAsync_AfterSequence_PutsBackEveryLaterMessageOfTheChannel()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        await CreateChannelAsync(store, "dev");
        await RouteAsync(store, Enumerable.Range(1, 5).Select(i => Message("ops", i)).Append(Message("dev", 4)).ToArray());
        var leased = await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded();
        await store.CompleteAsync("a", [.. leased.Select(m => Outcome(m, Attempt(Now, 200, string.Empty), DeliveryState.Delivered))], None).Bounded();
        await store.AddTestDeliveryAsync(TestDelivery("ops"), None).Bounded();

        Assert.Equal(3, await store.RedeliverAsync("ops", null, 2, Now.AddHours(1), None).Bounded());

        var again = await store.LeaseDueAsync("b", Now.AddHours(1), Lease, 10, None).Bounded();
        Assert.Equal(["ops 3", "ops 4", "ops 5"], again.Select(m => $"{m.Delivery.Channel} {m.Sequence}"));
    }

    [Fact]
    public async Task AddTestDeliveryAsync_FinishedTestMessage_IsListedWithTestSetAndItsAttempt()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateChannelAsync(store, "ops");
        var test = TestDelivery("ops");

        await store.AddTestDeliveryAsync(test, None).Bounded();

        Assert.Equal(test, Assert.Single(await store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, None).Bounded()));
        Assert.Equal(0, await store.RedeliverAsync("ops", test.Id, null, Now, None).Bounded());
        Assert.Equal(0, (await store.GetHealthAsync(["ops"], Now, None).Bounded())["ops"].PendingMessages);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>
    /// "msg_" and a UUIDv7 a millisecond after the last one: Guid.CreateVersion7 orders ids only
    /// across milliseconds (the rest is random), and the log's order is the ids' order.
    /// </summary>
    public static string NewMessageId() =>
        "msg_" + Guid.CreateVersion7(Now.AddMilliseconds(Interlocked.Increment(ref _messageIds)));

    public static Channel NewChannel(string name) => new()
    {
        Name = name,
        Kind = ChannelKind.Webhook,
        Url = "https://hooks.example.com/tracker?token=abc",
        Secret = "whsec_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        CreateTime = Timestamp.FromDateTimeOffset(Now.AddDays(-1)),
        UpdateTime = Timestamp.FromDateTimeOffset(Now.AddDays(-1)),
        Etag = "etag-" + Guid.NewGuid().ToString("N"),
    };

    public static async Task<Channel> CreateChannelAsync(INotificationStore store, string name)
    {
        var channel = NewChannel(name);
        Assert.True(await store.CreateChannelAsync(channel, None).Bounded());
        return channel;
    }

    /// <summary>A message of the change at <paramref name="sequence"/>, routed (and due) at <paramref name="createdAt"/> (default <see cref="Now"/>).</summary>
    public static NewMessage Message(string channel, long sequence, ChangeType type = ChangeType.Created, DateTimeOffset? createdAt = null, DateTimeOffset? changedAt = null)
    {
        var eventId = Guid.CreateVersion7().ToString();
        var changed = changedAt ?? Now.AddSeconds(-1);
        var payload = new WebhookPayload
        {
            ChangeType = type,
            Event = new Event { Id = eventId, Title = "Deployed api v1." + sequence },
            ChangeId = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ChangeTime = Timestamp.FromDateTimeOffset(changed),
            Channel = channel,
        };
        return new NewMessage(NewMessageId(), channel, sequence, type, eventId, changed, payload.ToByteArray(), createdAt ?? Now);
    }

    /// <summary>Routes <paramref name="messages"/> from the current position to their largest change.</summary>
    public static async Task RouteAsync(INotificationStore store, params NewMessage[] messages)
    {
        var from = await store.GetRoutedThroughAsync(None).Bounded();
        Assert.True(await store.RouteAsync(from, Math.Max(from, messages.Max(m => m.Sequence)), messages, None).Bounded());
    }

    public static DeliveryAttempt Attempt(DateTimeOffset time, int statusCode, string error) => new()
    {
        AttemptTime = Timestamp.FromDateTimeOffset(time),
        StatusCode = statusCode,
        Error = error,
        Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(12.5)),
    };

    public static AttemptOutcome Outcome(LeasedMessage message, DeliveryAttempt attempt, DeliveryState state, DateTimeOffset? next = null) =>
        new(message.Delivery.Id, message.Delivery.Channel, attempt, state, next);

    private static Delivery TestDelivery(string channel) => new()
    {
        Id = NewMessageId(),
        Channel = channel,
        ChangeType = ChangeType.Created,
        EventId = Guid.CreateVersion7().ToString(),
        State = DeliveryState.Delivered,
        Attempts = { Attempt(Now, 204, string.Empty) },
        CreateTime = Timestamp.FromDateTimeOffset(Now),
        Test = true,
    };

    /// <summary>Routes the "ops" changes <paramref name="first"/> onwards, <paramref name="count"/> of them, and leases them to "a".</summary>
    private static async Task<IReadOnlyList<LeasedMessage>> RouteAndLeaseAsync(INotificationStore store, int first, int count)
    {
        await RouteAsync(store, [.. Enumerable.Range(first, count).Select(i => Message("ops", i))]);
        var leased = await store.LeaseDueAsync("a", Now, Lease, count, None).Bounded();
        Assert.Equal(count, leased.Count);
        return leased;
    }

    private static async Task FailOnceAsync(INotificationStore store, string channel, DateTimeOffset at)
    {
        var from = await store.GetRoutedThroughAsync(None).Bounded();
        await RouteAsync(store, Message(channel, from + 1));
        var leased = Assert.Single(await store.LeaseDueAsync("a", Now, Lease, 10, None).Bounded());
        await store.CompleteAsync("a", [Outcome(leased, Attempt(at, 503, "HTTP 503"), DeliveryState.Failed)], None).Bounded();
    }

    private static async Task DisableAsync(INotificationStore store, Channel channel)
    {
        var disabled = channel.Clone();
        disabled.Disabled = true;
        disabled.Etag = "etag-disabled";
        Assert.True(await store.ReplaceChannelAsync(disabled, channel.Etag, None).Bounded());
    }

    private static async Task<string[]> ChangeIdsAsync(INotificationStore store, string channel) =>
        [.. (await store.ListDeliveriesAsync(channel, DeliveryState.Unspecified, null, 100, None).Bounded()).Select(d => d.ChangeId)];
}
