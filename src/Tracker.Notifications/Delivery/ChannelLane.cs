using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// One channel's messages in this process, attempted in the order they were leased (change
/// order): each attempt starts after the one before it has started, with at most
/// <see cref="MaxInFlight"/> running at once, and outcomes are recorded in small batches. A
/// message whose lease would run out before its attempt could end is skipped: its lease expires
/// and it is leased again, so no two processes attempt it at once.
/// </summary>
internal sealed class ChannelLane
{
    private const int RecordBatch = 50;

    /// <summary>How many attempts of one channel may run at once; they start in change order.</summary>
    private const int MaxInFlight = 4;

    private readonly DeliveryDispatcher _dispatcher;
    private readonly CancellationToken _stopping;
    private readonly Queue<(Channel Channel, LeasedMessage Message, DateTimeOffset LeasedUntil)> _queue = new();
    private readonly Lock _gate = new();
    private bool _active;
    private Channel? _channel;

    public ChannelLane(DeliveryDispatcher dispatcher, string channel, CancellationToken stopping)
    {
        _dispatcher = dispatcher;
        Channel = channel;
        _stopping = stopping;
    }

    public string Channel { get; }

    /// <summary>The lane's current run; completed when it has nothing left.</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return !_active && _queue.Count == 0;
            }
        }
    }

    /// <summary>Queues leased messages (in change order) and starts the lane if it is idle.</summary>
    public void Enqueue(Channel channel, IEnumerable<LeasedMessage> messages, DateTimeOffset leasedUntil)
    {
        lock (_gate)
        {
            foreach (var message in messages)
            {
                _queue.Enqueue((channel, message, leasedUntil));
            }

            if (!_active)
            {
                _active = true;
                Running = Task.Run(RunAsync, CancellationToken.None);
            }
        }
    }

    private async Task RunAsync()
    {
        var inFlight = new List<Task<AttemptOutcome>>();
        var outcomes = new List<AttemptOutcome>();
        try
        {
            while (true)
            {
                // Start attempts in the queue's (change) order, a few at a time.
                var stopped = false;
                while (inFlight.Count < MaxInFlight)
                {
                    if (!TryDequeue(out var next, stopWhenEmpty: inFlight.Count == 0))
                    {
                        stopped = inFlight.Count == 0;
                        break;
                    }

                    if (_dispatcher.WithinLease(next.LeasedUntil))
                    {
                        inFlight.Add(_dispatcher.AttemptAsync(next.Channel, next.Message, _stopping));
                    }
                    else
                    {
                        _dispatcher.Skipped();
                    }
                }

                if (stopped)
                {
                    return;
                }

                if (inFlight.Count == 0)
                {
                    continue;
                }

                var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                inFlight.Remove(done);
                outcomes.Add(await done.ConfigureAwait(false));
                if (outcomes.Count >= RecordBatch || inFlight.Count == 0)
                {
                    await _dispatcher.CompleteAsync(_channel!, outcomes, _stopping).ConfigureAwait(false);
                    _dispatcher.Finished(outcomes.Count);
                    outcomes = [];
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The unrecorded messages keep their leases until they expire, then go again.
            _dispatcher.LaneFailed(e);
            lock (_gate)
            {
                _dispatcher.Finished(_queue.Count + inFlight.Count + outcomes.Count);
                _queue.Clear();
                _active = false;
            }
        }
        finally
        {
            _dispatcher.Retire(this);
        }
    }

    /// <summary>
    /// The next queued message. When there is none and <paramref name="stopWhenEmpty"/> (nothing is
    /// in flight), the lane stops in the same step, so an Enqueue after it starts a new run.
    /// </summary>
    private bool TryDequeue(out (Channel Channel, LeasedMessage Message, DateTimeOffset LeasedUntil) next, bool stopWhenEmpty)
    {
        lock (_gate)
        {
            if (_queue.TryDequeue(out next))
            {
                _channel = next.Channel;
                return true;
            }

            if (stopWhenEmpty)
            {
                _active = false;
            }

            return false;
        }
    }
}
