using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Tracker.Events.Access;
using Tracker.Events.Pipeline;

namespace Tracker.Events.Tests.Support;

/// <summary>
/// The ServerCallContext of a handler called directly, as the domain tests do: only the
/// cancellation token is real, and the caller is <see cref="Caller.Open"/>, as the call pipeline
/// identifies it while authentication is off (a call through the pipeline gets its own). Its HttpContext (a request with no content type, as a transcoded
/// GET has) sits in UserState under "__HttpContext", where Grpc.AspNetCore's GetHttpContext looks
/// for a call context it did not make. Transport behaviour is tested through the real server
/// (tests/Tracker.Server.Tests and the end-to-end tests).
/// </summary>
internal sealed class TestCallContext : ServerCallContext
{
    private readonly CancellationToken _cancellationToken;
    private readonly string _method;
    private readonly Metadata _requestHeaders = [];
    private readonly Metadata _responseTrailers = [];

    /// <param name="method">The gRPC method path, "/tracker.event.v1alpha1.EventService/CreateEvent"; the pipeline looks it up.</param>
    public TestCallContext(CancellationToken cancellationToken, string method = "/tracker.event.v1alpha1.EventService/Test")
    {
        _cancellationToken = cancellationToken;
        _method = method;
        UserStateCore["__HttpContext"] = new DefaultHttpContext();
        CallContextCaller.Set(this, Caller.Open);
    }

    protected override string MethodCore => _method;

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:1";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _requestHeaders;

    protected override CancellationToken CancellationTokenCore => _cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
