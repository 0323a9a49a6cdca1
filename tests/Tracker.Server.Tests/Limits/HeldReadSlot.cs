using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Limits;

/// <summary>
/// A host with one read slot (Limits:MaxConcurrentRequests = 1) and a queue of
/// <c>queueLength</c>, whose slot is taken by a ListEvents held in the store until
/// <see cref="ReleaseAsync"/>: the state every overload test starts from.
/// </summary>
internal sealed class HeldReadSlot : IAsyncDisposable
{
    private readonly CancellationTokenSource _holder = new();
    private AsyncUnaryCall<ListEventsResponse>? _busy;

    private HeldReadSlot(int queueLength)
    {
        Factory = new TrackerFactory
        {
            Gate = Gate,
            Settings = { ["Limits:MaxConcurrentRequests"] = "1", ["Limits:QueueLength"] = queueLength.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    public StoreGate Gate { get; } = new() { HoldQueries = true };

    public TrackerFactory Factory { get; }

    public static async Task<HeldReadSlot> StartAsync(int queueLength = 0)
    {
        var held = new HeldReadSlot(queueLength);
        held._busy = held.Factory.CreateGrpcClient().ListEventsAsync(new ListEventsRequest(), cancellationToken: held._holder.Token);
        await held.Gate.QueryHeld.Bounded();
        return held;
    }

    /// <summary>Cancels the held call, lets later queries run, and answers the held call's status (CANCELLED).</summary>
    public async Task<StatusCode> ReleaseAsync()
    {
        await _holder.CancelAsync();
        Gate.HoldQueries = false;
        try
        {
            await _busy!.Bounded();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        _holder.Dispose();
        await Factory.DisposeAsync();
    }
}
