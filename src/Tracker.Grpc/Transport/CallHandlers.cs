using Microsoft.Extensions.Logging;

namespace Tracker.Grpc.Transport;

/// <summary>
/// Runs one call of a method kind: the base owns the deadline, the status and the mapping of
/// exceptions to statuses; each subclass only reads requests and invokes its method.
/// </summary>
internal abstract class CallHandler(ILogger logger)
{
    public async Task HandleAsync(GrpcCall call)
    {
        try
        {
            var handler = InvokeAsync(call);
            if (call.Deadline is { } deadline && await Task.WhenAny(handler, deadline.Expired).ConfigureAwait(false) != handler)
            {
                // Answer the client at its deadline, then let the cancelled handler wind down.
                await call.CompleteAsync(StatusCode.DeadlineExceeded, "Deadline Exceeded").ConfigureAwait(false);
                await ObserveAsync(handler, call).ConfigureAwait(false);
                return;
            }

            await handler.ConfigureAwait(false);
            await call.CompleteAsync(StatusCode.OK, null).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await FailAsync(call, e).ConfigureAwait(false);
        }
    }

    protected abstract Task InvokeAsync(GrpcCall call);

    private async Task ObserveAsync(Task handler, GrpcCall call)
    {
        try
        {
            await handler.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
            // Expected from a handler cancelled by its deadline.
        }
        catch (Exception e)
        {
            GrpcLog.HandlerFailed(logger, call.Method.Path, e);
        }
    }

    private async Task FailAsync(GrpcCall call, Exception e)
    {
        switch (e)
        {
            case RpcException rpc:
                await call.CompleteAsync(rpc.Code, rpc.Detail, rpc.ToRpcStatus()).ConfigureAwait(false);
                break;
            case OperationCanceledException when call.Deadline?.IsExpired == true:
                await call.CompleteAsync(StatusCode.DeadlineExceeded, "Deadline Exceeded").ConfigureAwait(false);
                break;
            case Exception when ClientDisconnect.Is(e, call.HttpContext):
                GrpcLog.CallCancelled(logger, call.Method.Path);
                await call.CompleteAsync(StatusCode.Cancelled, "Call canceled by the client.").ConfigureAwait(false);
                break;
            default:
                GrpcLog.HandlerFailed(logger, call.Method.Path, e);
                await call.CompleteAsync(StatusCode.Unknown, "Exception was thrown by handler.").ConfigureAwait(false);
                break;
        }
    }
}

internal sealed class UnaryCallHandler(ILogger logger) : CallHandler(logger)
{
    protected override async Task InvokeAsync(GrpcCall call)
    {
        var request = await call.ReadSingleMessageAsync().ConfigureAwait(false);
        var response = await call.Method.Unary!(call.HttpContext.RequestServices, request, call.Context).ConfigureAwait(false);
        await call.WriteSingleResponseAsync(response ?? throw new RpcException(StatusCode.Internal, "No message returned from method.")).ConfigureAwait(false);
    }
}

internal sealed class ServerStreamingCallHandler(ILogger logger) : CallHandler(logger)
{
    protected override async Task InvokeAsync(GrpcCall call)
    {
        var request = await call.ReadSingleMessageAsync().ConfigureAwait(false);
        await call.Method.ServerStreaming!(call.HttpContext.RequestServices, request, call, call.Context).ConfigureAwait(false);
    }
}

internal sealed class ClientStreamingCallHandler(ILogger logger) : CallHandler(logger)
{
    protected override async Task InvokeAsync(GrpcCall call)
    {
        var response = await call.Method.ClientStreaming!(call.HttpContext.RequestServices, call.ReadAllMessagesAsync(), call.Context).ConfigureAwait(false);
        await call.WriteSingleResponseAsync(response ?? throw new RpcException(StatusCode.Internal, "No message returned from method.")).ConfigureAwait(false);
    }
}

internal sealed class DuplexStreamingCallHandler(ILogger logger) : CallHandler(logger)
{
    protected override Task InvokeAsync(GrpcCall call) =>
        call.Method.DuplexStreaming!(call.HttpContext.RequestServices, call.ReadAllMessagesAsync(), call, call.Context);
}

internal static partial class GrpcLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Error when executing service method '{Method}'.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Call to '{Method}' was canceled by the client.")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Request to '{Path}' rejected: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string path, string reason);
}
