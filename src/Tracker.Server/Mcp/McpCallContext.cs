using Grpc.Core;

namespace Tracker.Server.Mcp;

/// <summary>
/// The <see cref="ServerCallContext"/> of an EventService method run for an MCP tool call, so the
/// tool goes through the call pipeline and handler that gRPC and REST calls go through. It
/// carries the MCP request's <see cref="HttpContext"/> where Grpc.AspNetCore's
/// <c>GetHttpContext()</c> looks for one that is not its own ("__HttpContext" in the user state):
/// the caller's bearer credentials are read from it, and the listing handlers see a JSON request
/// there, so their responses carry decoded events. No deadline: the MCP request's abort token ends
/// the call.
/// </summary>
internal sealed class McpCallContext : ServerCallContext
{
    private const string HttpContextKey = "__HttpContext";

    private readonly HttpContext _http;
    private readonly Dictionary<object, object> _userState;

    public McpCallContext(string method, HttpContext http, CancellationToken cancellationToken)
    {
        MethodCore = method;
        CancellationTokenCore = cancellationToken;
        _http = http;
        _userState = new Dictionary<object, object> { [HttpContextKey] = http };
    }

    protected override string MethodCore { get; }

    protected override string HostCore => _http.Request.Host.Value ?? string.Empty;

    protected override string PeerCore => _http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore { get; }

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, new Dictionary<string, List<AuthProperty>>());

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("An MCP tool call does not start gRPC calls of its own.");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
