using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Tracker.Grpc.Tests.Transport;

public sealed class ClientDisconnectTests
{
    [Fact]
    public void Is_StreamAbortedByConnectionFault_True()
    {
        var aborted = new IOException("The request stream was aborted.", new ConnectionAbortedException("The HTTP/2 connection faulted."));

        Assert.True(ClientDisconnect.Is(aborted, new DefaultHttpContext()));
    }

    [Fact]
    public void Is_HandlerOwnIoError_False()
    {
        Assert.False(ClientDisconnect.Is(new IOException("disk full"), new DefaultHttpContext()));
        Assert.False(ClientDisconnect.Is(new InvalidOperationException(), new DefaultHttpContext()));
    }

    [Fact]
    public void Is_CancellationAfterRequestAborted_True()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };

        Assert.True(ClientDisconnect.Is(new OperationCanceledException(), context));
        Assert.False(ClientDisconnect.Is(new InvalidOperationException(), context));
    }
}
