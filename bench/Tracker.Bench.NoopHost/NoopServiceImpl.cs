using Grpc.Core;
using Tracker.Bench.V1;

namespace Tracker.Bench.NoopHost;

/// <summary>
/// tracker.bench.v1.NoopService: answers every call with the same message, and counts the
/// calls it answered so that the bench can check the load tool's count against its own.
/// A singleton (see Program.cs), so that GET /calls reads the same count.
/// </summary>
public sealed class NoopServiceImpl : NoopService.NoopServiceBase
{
    private static readonly NoopResponse Response = new() { Text = "ok" };
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public override Task<NoopResponse> Noop(NoopRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Response);
    }
}
