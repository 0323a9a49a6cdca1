using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Tracker.Api.V1Alpha1;
using Tracker.Cli.Options;

namespace Tracker.Cli;

/// <summary>
/// A gRPC channel to the server's HTTP endpoint (h2c for http://, HTTP/2 over TLS for https://;
/// the endpoint tells h2c from HTTP/1.1 per connection) and the credentials every call carries.
/// </summary>
internal sealed class TrackerConnection : IDisposable
{
    // How long to wait for a TCP connection before reporting the server unreachable.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers = [];

    private readonly TimeSpan _callTimeout;

    private TrackerConnection(Uri address, string? apiKey, TimeSpan callTimeout)
    {
        Address = address;
        _callTimeout = callTimeout;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
        });
        if (!string.IsNullOrEmpty(apiKey))
        {
            // Sent as a header rather than CallCredentials, which Grpc.Net.Client sends only over TLS.
            _headers.Add("authorization", "Bearer " + apiKey);
        }

        Events = new EventService.EventServiceClient(_channel);
    }

    /// <summary>The server's HTTP endpoint.</summary>
    public Uri Address { get; }

    public EventService.EventServiceClient Events { get; }

    /// <summary>How long one call may take (--call-timeout).</summary>
    public TimeSpan CallTimeout => _callTimeout;

    /// <summary>
    /// Opens a connection with the --url and --api-key flags, else TRACKER_URL and TRACKER_API_KEY.
    /// Throws <see cref="UsageException"/> when the URL is not an absolute http or https URL.
    /// </summary>
    public static TrackerConnection Open(ParseResult parse, GlobalOptions options)
    {
        var url = FirstNonEmpty(parse.GetValue(options.Url), System.Environment.GetEnvironmentVariable(GlobalOptions.UrlVariable))
            ?? GlobalOptions.DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"Invalid server URL '{url}' (--url or ${GlobalOptions.UrlVariable}): expected http://host:port or https://host.");
        }

        // Grpc.Net.Client calls /tracker.api.v1alpha1.EventService/... at the root and drops any
        // path, so a prefix would silently call another address.
        if (address.AbsolutePath != "/" || address.Query.Length > 0 || address.Fragment.Length > 0)
        {
            throw new UsageException(
                $"Invalid server URL '{url}': {GlobalOptions.UrlVariable} (--url) must be the HTTP endpoint's root, e.g. http://localhost:8080; a path prefix is not supported.");
        }

        var apiKey = FirstNonEmpty(parse.GetValue(options.ApiKey), System.Environment.GetEnvironmentVariable(GlobalOptions.ApiKeyVariable));
        if (apiKey is not null && apiKey.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException(
                $"The API key (--api-key or ${GlobalOptions.ApiKeyVariable}) starts with 'Bearer ': give the key alone (trk_...); tracker sends 'Authorization: Bearer <key>' itself.");
        }

        return new TrackerConnection(address, apiKey, parse.GetValue(options.CallTimeout) ?? GlobalOptions.DefaultCallTimeout);
    }

    /// <summary>
    /// The options of one call: the credentials, the command's cancellation and a deadline
    /// --call-timeout from now (a server that never answers ends in DEADLINE_EXCEEDED, exit code 5).
    /// </summary>
    public CallOptions Call(CancellationToken cancellationToken) =>
        new(headers: _headers, deadline: DateTime.UtcNow + _callTimeout, cancellationToken: cancellationToken);

    /// <summary>The options of a stream that runs until stopped (a watch): no deadline.</summary>
    public CallOptions Stream(CancellationToken cancellationToken) => new(headers: _headers, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
