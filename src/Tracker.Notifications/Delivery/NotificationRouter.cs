using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Storage;
using Tracker.Events.Watching;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// Turns the change log into messages: reads the changes after the position it has routed
/// through, and for each change and each channel that takes it (<see cref="ChannelRouting"/>)
/// puts a pending message in the channel's outbox, moving the position in the same transaction
/// (<see cref="INotificationStore.RouteAsync"/>). Nothing is held in memory between rounds, so a
/// crash at any point loses nothing: the next round (here or on another replica) starts from the
/// stored position. Wakes on each change signal, and every poll interval as a fallback, but
/// starts a round at most every <see cref="RoundSpacing"/>: each round reads the log and writes
/// the position in a transaction of its own (on SQLite behind the one write lock, with an fsync),
/// and, woken by every commit, it ran one round per group commit under a steady load of creates.
/// </summary>
public sealed class NotificationRouter(
    IEventStore events,
    INotificationStore notifications,
    ChangeSignal changes,
    DeliveryWakeup wakeup,
    IOptions<WatchOptions> watchOptions,
    TimeProvider time,
    ILogger<NotificationRouter> logger) : BackgroundService
{
    /// <summary>The least time from one round's start to the next's: what routing adds to a change's delivery, at most.</summary>
    public static readonly TimeSpan RoundSpacing = TimeSpan.FromMilliseconds(20);

    private const int PageSize = 500;

    private readonly Dictionary<string, (string Etag, ChannelRouting? Routing)> _routings = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before reading: a change committed while we route wakes the next round.
            var next = changes.Next;
            var spacing = Task.Delay(RoundSpacing, stoppingToken);
            try
            {
                await RouteAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                DeliveryLog.RoutingFailed(logger, e);
            }

            try
            {
                // The spacing on the real clock: it spares the processor, whatever time the host's clock tells.
                await spacing.ConfigureAwait(false);
                await next.WaitAsync(watchOptions.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Routes every change committed after the stored position; returns how many messages it made.</summary>
    public async Task<int> RouteAllAsync(CancellationToken cancellationToken)
    {
        var made = 0;
        while (true)
        {
            var from = await notifications.GetRoutedThroughAsync(cancellationToken).ConfigureAwait(false);
            var page = await events.ReadChangesAsync(from, PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                await WarnIfPurgedAsync(from, cancellationToken).ConfigureAwait(false);
                return made;
            }

            var routings = await CurrentRoutingsAsync(cancellationToken).ConfigureAwait(false);
            var messages = Messages(page, routings);
            if (await notifications.RouteAsync(from, page[^1].Sequence, messages, cancellationToken).ConfigureAwait(false))
            {
                made += messages.Count;
                if (messages.Count > 0)
                {
                    wakeup.Notify();
                }
            }

            // Otherwise another replica routed this page; read on from where it left the position.
            if (page.Count < PageSize)
            {
                return made;
            }
        }
    }

    private List<NewMessage> Messages(IReadOnlyList<EventChange> page, IReadOnlyList<ChannelRouting> routings)
    {
        var messages = new List<NewMessage>();
        if (routings.Count == 0)
        {
            return messages;
        }

        var now = time.GetUtcNow();
        foreach (var change in page)
        {
            var e = change.Decode();
            foreach (var routing in routings)
            {
                if (!routing.Routes(change.Type, e))
                {
                    continue;
                }

                var payload = new WebhookPayload
                {
                    ChangeType = change.Type,
                    Event = e,
                    ChangeId = change.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ChangeTime = Timestamp.FromDateTimeOffset(change.ChangedAt),
                    Channel = routing.Channel.Name,
                };
                messages.Add(new NewMessage(MessageIds.Next(time), routing.Channel.Name, change.Sequence, change.Type, e.Id, change.ChangedAt, payload.ToByteArray(), now));
            }
        }

        return messages;
    }

    /// <summary>The enabled channels' routings, their filters compiled once per version (etag).</summary>
    private async Task<IReadOnlyList<ChannelRouting>> CurrentRoutingsAsync(CancellationToken cancellationToken)
    {
        var channels = await notifications.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
        var routings = new List<ChannelRouting>(channels.Count);
        foreach (var channel in channels.Where(c => !c.Disabled))
        {
            if (!_routings.TryGetValue(channel.Name, out var known) || known.Etag != channel.Etag)
            {
                known = (channel.Etag, ChannelRouting.Of(channel));
                _routings[channel.Name] = known;
                if (known.Routing is null)
                {
                    DeliveryLog.ChannelFilterInvalid(logger, channel.Name);
                }
            }

            if (known.Routing is { } routing)
            {
                routings.Add(routing);
            }
        }

        foreach (var gone in _routings.Keys.Except(channels.Select(c => c.Name), StringComparer.Ordinal).ToList())
        {
            _routings.Remove(gone);
        }

        return routings;
    }

    /// <summary>
    /// An empty read after a position that retention has purged past means changes were lost to
    /// the router: said loudly, and the position moved on so that routing resumes.
    /// </summary>
    private async Task WarnIfPurgedAsync(long from, CancellationToken cancellationToken)
    {
        var bounds = await events.GetChangeLogBoundsAsync(cancellationToken).ConfigureAwait(false);
        if (bounds.PurgedThrough > from && await notifications.RouteAsync(from, bounds.PurgedThrough, [], cancellationToken).ConfigureAwait(false))
        {
            DeliveryLog.ChangesPurgedBeforeRouting(logger, from, bounds.PurgedThrough);
        }
    }
}
