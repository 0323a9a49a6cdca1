using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Api;

/// <summary>A call's deadline and its client's cancellation reach the store's query and stop it.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task ListEvents_DeadlinePasses_CallEndsAndTheStoreQueryIsCancelled()
    {
        var gate = new StoreGate { HoldQueries = true };
        await using var factory = new TrackerFactory { Gate = gate };
        var client = factory.CreateGrpcClient();

        var call = client.ListEventsAsync(new ListEventsRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.Bounded());

        // At the deadline Grpc.AspNetCore resets the stream (HTTP/2 CANCEL) and Grpc.Net.Client's
        // own timer fires too: the client reports DEADLINE_EXCEEDED, or CANCELLED for the reset,
        // whichever it sees first. What is Tracker's is that the store's query was stopped.
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled, $"expected DEADLINE_EXCEEDED or CANCELLED, got {error.Status}");
        await gate.QueryCancelled.Bounded();
    }

    [Fact]
    public async Task SearchEvents_ClientCancels_TheStoreQueryIsCancelled()
    {
        var gate = new StoreGate { HoldQueries = true };
        await using var factory = new TrackerFactory { Gate = gate };
        var client = factory.CreateGrpcClient();
        using var cancellation = new CancellationTokenSource();

        var call = client.SearchEventsAsync(new SearchEventsRequest { Service = "api" }, cancellationToken: cancellation.Token);
        await gate.QueryHeld.Bounded();
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.Bounded());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await gate.QueryCancelled.Bounded();
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
