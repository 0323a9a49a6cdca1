using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Tracker.Grpc;

/// <summary>
/// Tells a client that went away (stream reset, connection closed with calls in flight) from a
/// fault of the server: Kestrel reports the first as an IOException over a
/// ConnectionAbortedException, sometimes before RequestAborted is signalled.
/// </summary>
internal static class ClientDisconnect
{
    public static bool Is(Exception exception, HttpContext context) =>
        context.RequestAborted.IsCancellationRequested
            ? exception is OperationCanceledException or IOException
            : exception is ConnectionAbortedException or IOException { InnerException: ConnectionAbortedException };
}
