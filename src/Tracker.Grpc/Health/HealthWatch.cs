using System.Threading.Channels;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Grpc.Health;

/// <summary>
/// One Watch call's view of a service's status: the latest status not yet read. Older unread ones
/// are dropped, since a watcher only needs to know where the status is now.
/// </summary>
internal sealed class HealthWatch : IDisposable
{
    private readonly GrpcHealthStatus _owner;
    private readonly Channel<ServingStatus> _changes = Channel.CreateBounded<ServingStatus>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public HealthWatch(GrpcHealthStatus owner, string service)
    {
        _owner = owner;
        Service = service;
    }

    public string Service { get; }

    /// <summary>The statuses to report; completes when the server shuts down.</summary>
    public ChannelReader<ServingStatus> Changes => _changes.Reader;

    public void Dispose() => _owner.Unwatch(this);

    internal void Offer(ServingStatus status) => _changes.Writer.TryWrite(status);

    internal void Complete() => _changes.Writer.TryComplete();
}
