using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Tracker.Server.Transport;

/// <summary>
/// A client that goes away while its request body is being read (TCP reset or close of an
/// HTTP/1.1 connection, RST_STREAM of an HTTP/2 stream) is a cancelled call, logged at Debug as
/// the README promises, not a fault. Without this, Grpc.AspNetCore logs the
/// ConnectionResetException of an HTTP/1.1 gRPC-Web call at Error ("Error when executing service
/// method", UNKNOWN), because the connection's reset reaches the read before the request's
/// abort token fires; and Kestrel then tries to drain the dead body, whose reader the failed read
/// left open, and logs that at Error too ("automatic draining of the request body failed").
/// Here the failed read aborts the request, so nothing drains it, and a gRPC call ends
/// CANCELLED.
/// </summary>
internal sealed class AbandonedBodyGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
        {
            return next(context);
        }

        return context.ReadThroughAsync(new Reader(context.Request.BodyReader, context), next);
    }

    /// <summary>
    /// Whether a failed read of the request body means the client went away: a reset or aborted
    /// connection, or any failed read once the request is aborted (an HTTP/2 stream reset surfaces
    /// as a plain IOException). Also for readers of <c>HttpRequest.Body</c>, which this guard's
    /// pipe reader does not see (<see cref="RestInputGuard"/>).
    /// </summary>
    public static bool ClientWentAway(HttpContext context, Exception e) =>
        e is ConnectionResetException or ConnectionAbortedException
        || (e is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    private sealed class Reader(PipeReader inner, HttpContext context) : PipeReader
    {
        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                var read = inner.ReadAsync(cancellationToken);
                return read.IsCompletedSuccessfully ? read : AwaitAsync(read);
            }
            catch (Exception e) when (ClientWentAway(e))
            {
                throw Abandoned(e);
            }
        }

        public override bool TryRead(out ReadResult result)
        {
            try
            {
                return inner.TryRead(out result);
            }
            catch (Exception e) when (ClientWentAway(e))
            {
                throw Abandoned(e);
            }
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> read)
        {
            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (Exception e) when (ClientWentAway(e))
            {
                throw Abandoned(e);
            }
        }

        private bool ClientWentAway(Exception e) => AbandonedBodyGuard.ClientWentAway(context, e);

        private Exception Abandoned(Exception e)
        {
            // Marks the request aborted: Kestrel does not drain the body of an aborted request.
            context.Abort();
            return GrpcStatusResponse.IsGrpc(context.Request)
                ? new RpcException(new Status(StatusCode.Cancelled, "The client went away while sending the request.", e))
                : e;
        }
    }
}
