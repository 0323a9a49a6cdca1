using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// One channel's messages in this process, attempted one after another in the order they were
/// leased (change order), and recorded in small batches. A message whose lease would run out
/// before its attempt could end is skipped: its lease expires and it is leased again, so no two
/// processes attempt it at once.
/// </summary>
internal sealed class ChannelLane
{
    private const int RecordBatch = 50;

    private readonly DeliveryDispatcher _dispatcher;
    private readonly CancellationToken _stopping;
    private readonly Queue<(Channel Channel, LeasedMessage Message, DateTimeOffset LeasedUntil)> _queue = new();
    private readonly Lock _gate = new();
    private bool _active;

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
        var outcomes = new List<AttemptOutcome>();
        try
        {
            while (TryDequeue(out var next))
            {
                if (_dispatcher.WithinLease(next.LeasedUntil))
                {
                    outcomes.Add(await _dispatcher.AttemptAsync(next.Channel, next.Message, _stopping).ConfigureAwait(false));
                }

                if (outcomes.Count > 0 && (outcomes.Count >= RecordBatch || QueueIsEmpty()))
                {
                    await _dispatcher.CompleteAsync(next.Channel, outcomes, _stopping).ConfigureAwait(false);
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
                _queue.Clear();
                _active = false;
            }
        }
        finally
        {
            _dispatcher.Retire(this);
        }
    }

    /// <summary>The next queued message; when there is none, the lane stops in the same step, so an Enqueue after it starts a new run.</summary>
    private bool TryDequeue(out (Channel Channel, LeasedMessage Message, DateTimeOffset LeasedUntil) next)
    {
        lock (_gate)
        {
            if (_queue.TryDequeue(out next))
            {
                return true;
            }

            _active = false;
            return false;
        }
    }

    private bool QueueIsEmpty()
    {
        lock (_gate)
        {
            return _queue.Count == 0;
        }
    }
}
