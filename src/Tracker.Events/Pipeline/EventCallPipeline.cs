using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Tracker.Events.Access;
using Tracker.Events.Storage;

namespace Tracker.Events.Pipeline;

/// <summary>
/// What every call goes through before and after its handler, as a gRPC server interceptor
/// registered for every service (GrpcServiceOptions.Interceptors): gRPC, gRPC-Web and
/// JSON-transcoded REST calls all run through Grpc.AspNetCore's method invokers, which apply it.
/// <list type="number">
/// <item>The method's entry in <see cref="RpcRegistry"/>; a method without one is refused
/// (PERMISSION_DENIED), and a public one (health, reflection) is passed on untouched.</item>
/// <item>The caller (<see cref="ICallerIdentity"/>): UNAUTHENTICATED when it cannot be
/// identified, UNAVAILABLE when the token issuer cannot be reached.</item>
/// <item>The method's scope: PERMISSION_DENIED without it.</item>
/// <item>The handler, which reads the caller with <see cref="CallContextCaller.Of"/>.</item>
/// <item>A store outage becomes UNAVAILABLE (its cause is logged, never sent); a call stopped by
/// its token DEADLINE_EXCEEDED when its deadline has passed, CANCELLED otherwise, logged at
/// Debug. None is a fault of the handler, so none reaches the framework as an error.</item>
/// <item>An audited method logs once at Information (<see cref="EventLog.EventWritten"/>, or
/// <see cref="EventLog.ChannelWritten"/> for ChannelService's writes).</item>
/// </list>
/// Its log lines keep the category of <see cref="EventRpcService"/>, which log filters name.
/// </summary>
public sealed class EventCallPipeline(ICallerIdentity identity, TimeProvider time, ILogger<EventRpcService> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(request, context, () => continuation(request, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(request, context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        });

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(requestStream, context, () => continuation(requestStream, context));

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(requestStream, context, async () =>
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// The checks a call of <paramref name="context"/>'s method makes before its handler (its
    /// entry in <see cref="RpcRegistry"/>, the caller, the scope), with their errors, without the
    /// handler nor the write log line: for a transport that must refuse a caller before it reads
    /// the call's arguments (AIP-211: authorization comes before validation).
    /// </summary>
    public Task AuthorizeAsync(ServerCallContext context)
    {
        var rpc = RpcRegistry.Find(context.Method);
        if (rpc is null)
        {
            return Task.FromException(EventErrors.MethodNotRegistered(context.Method));
        }

        return rpc.IsPublic ? Task.CompletedTask : GuardAsync(rpc, context, static () => Task.FromResult(true), audit: null);
    }

    /// <summary>
    /// The caller of <paramref name="context"/>, for an endpoint that is no method (the MCP
    /// endpoint), before it reads its request: UNAUTHENTICATED (reason CREDENTIALS_MISSING or
    /// CREDENTIALS_INVALID, the API's own message) or UNAVAILABLE as a method's call is refused.
    /// </summary>
    public Task IdentifyAsync(ServerCallContext context) => IdentifyAsync(context.Method, context);

    private async Task<Caller> IdentifyAsync(string method, ServerCallContext context)
    {
        try
        {
            return await identity.IdentifyAsync(context).ConfigureAwait(false);
        }
        catch (CallerUnknownException e)
        {
            throw EventErrors.Unauthenticated(e.Reason, e.Message);
        }
        catch (CallerCheckUnavailableException e)
        {
            EventLog.CallerCheckUnavailable(logger, method, e);
            throw EventErrors.IssuerUnavailable();
        }
    }

    private Task<T> RunAsync<T>(object request, ServerCallContext context, Func<Task<T>> handler)
    {
        var rpc = RpcRegistry.Find(context.Method);
        if (rpc is null)
        {
            return Task.FromException<T>(EventErrors.MethodNotRegistered(context.Method));
        }

        if (rpc.IsPublic)
        {
            return handler();
        }

        return rpc.Audited ? AuditedAsync(rpc, WriteAudit.Begin(context, request), context, handler) : GuardAsync(rpc, context, handler, audit: null);
    }

    private async Task<T> AuditedAsync<T>(RpcRegistration rpc, WriteAudit audit, ServerCallContext context, Func<Task<T>> handler)
    {
        try
        {
            return await GuardAsync(rpc, context, handler, audit).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            audit.Outcome = StatusNames.Of(e.StatusCode);
            throw;
        }
        finally
        {
            if (audit.IsChannel)
            {
                EventLog.ChannelWritten(logger, rpc.Name, audit.Target, audit.Caller, audit.Outcome);
            }
            else
            {
                EventLog.EventWritten(logger, rpc.Name, audit.Target, audit.Caller, audit.Outcome);
            }
        }
    }

    private async Task<T> GuardAsync<T>(RpcRegistration rpc, ServerCallContext context, Func<Task<T>> handler, WriteAudit? audit)
    {
        var callCancelled = context.CancellationToken;
        try
        {
            var caller = await IdentifyAsync(rpc.Name, context).ConfigureAwait(false);
            audit?.Identified(caller);
            EventAccess.RequireScope(caller, rpc.Scope!, rpc.Name);
            CallContextCaller.Set(context, caller);
            return await handler().ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            EventLog.StoreUnavailable(logger, rpc.Name, e);
            throw EventErrors.StoreUnavailable();
        }
        catch (OperationCanceledException) when (callCancelled.IsCancellationRequested)
        {
            EventLog.CallCancelled(logger, rpc.Name);
            throw context.Deadline <= time.GetUtcNow().UtcDateTime ? EventErrors.DeadlineExceeded() : EventErrors.Cancelled();
        }
    }
}
