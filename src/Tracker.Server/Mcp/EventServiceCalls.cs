using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events;
using Tracker.Events.Pipeline;

namespace Tracker.Server.Mcp;

/// <summary>
/// Runs EventService methods for the MCP tools exactly as a gRPC or REST call runs them: through
/// <see cref="EventCallPipeline"/> (the caller from the request's credentials, the method's scope
/// from <see cref="Tracker.Events.Access.RpcRegistry"/>, store outages, cancellation, the write
/// log line) into the <see cref="EventRpcService"/> handler, so validation, access checks and
/// their messages are the API's own. Failures are the API's <see cref="RpcException"/>s; the
/// tools turn them into tool errors (<see cref="McpToolResults.Failed(RpcException)"/>).
/// </summary>
internal sealed class EventServiceCalls(EventRpcService service, EventCallPipeline pipeline, IHttpContextAccessor httpContexts)
{
    private static readonly string ServiceName = EventService.Descriptor.FullName;

    public Task<Event> CreateAsync(CreateEventRequest request, CancellationToken cancellationToken) =>
        RunAsync(nameof(service.CreateEvent), request, service.CreateEvent, cancellationToken);

    public Task<Event> GetAsync(GetEventRequest request, CancellationToken cancellationToken) =>
        RunAsync(nameof(service.GetEvent), request, service.GetEvent, cancellationToken);

    public Task<SearchEventsResponse> SearchAsync(SearchEventsRequest request, CancellationToken cancellationToken) =>
        RunAsync(nameof(service.SearchEvents), request, service.SearchEvents, cancellationToken);

    /// <summary>
    /// Checks that the caller may call <paramref name="method"/> (credentials and scope), as the
    /// call itself would first; the API's UNAUTHENTICATED or PERMISSION_DENIED when not.
    /// </summary>
    public Task AuthorizeAsync(string method, CancellationToken cancellationToken) =>
        pipeline.AuthorizeAsync(Context(method, cancellationToken));

    private Task<TResponse> RunAsync<TRequest, TResponse>(string method, TRequest request, UnaryServerMethod<TRequest, TResponse> handler, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class
    {
        return pipeline.UnaryServerHandler(request, Context(method, cancellationToken), handler);
    }

    private McpCallContext Context(string method, CancellationToken cancellationToken)
    {
        // The MCP transport runs each tool within its HTTP request (the server is stateless).
        var http = httpContexts.HttpContext
            ?? throw new InvalidOperationException("An MCP tool ran outside the HTTP request that called it.");
        return new McpCallContext($"/{ServiceName}/{method}", http, cancellationToken);
    }
}
