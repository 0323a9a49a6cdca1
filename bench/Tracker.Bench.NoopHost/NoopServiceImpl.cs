using Tracker.Bench.V1;
using Tracker.Grpc;

namespace Tracker.Bench.NoopHost;

/// <summary>
/// tracker.bench.v1.NoopService: answers every call with the same message, and counts the
/// calls it answered so that the bench can check the load tool's count against its own.
/// </summary>
public sealed class NoopServiceImpl
{
    private static readonly NoopResponse Response = new() { Text = "ok" };
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public Task<NoopResponse> Noop(NoopRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Response);
    }
}
