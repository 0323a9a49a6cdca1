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

    private TrackerConnection(Uri address, string? apiKey)
    {
        Address = address;
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

        var apiKey = FirstNonEmpty(parse.GetValue(options.ApiKey), System.Environment.GetEnvironmentVariable(GlobalOptions.ApiKeyVariable));
        return new TrackerConnection(address, apiKey);
    }

    /// <summary>The options of one call: the credentials and the command's cancellation.</summary>
    public CallOptions Call(CancellationToken cancellationToken) => new(headers: _headers, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
