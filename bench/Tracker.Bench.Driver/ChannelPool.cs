using Grpc.Core;
using Grpc.Net.Client;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>Generated EventService clients over enough HTTP/2 connections for a number of concurrent streams.</summary>
internal sealed class ChannelPool : IDisposable
{
    // HTTP/2 streams per connection: more than ~100 per connection queue in the client.
    private const int StreamsPerChannel = 50;

    private readonly GrpcChannel[] _channels;
    private readonly EventService.EventServiceClient[] _clients;

    public ChannelPool(Uri address, int streams)
    {
        _channels = Enumerable.Range(0, Math.Max(1, (streams + StreamsPerChannel - 1) / StreamsPerChannel))
            .Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false } }))
            .ToArray();
        _clients = _channels.Select(c => new EventService.EventServiceClient(c)).ToArray();
    }

    public int Count => _clients.Length;

    public EventService.EventServiceClient Client(int index) => _clients[index % _clients.Length];

    /// <summary>The call invoker of the same connection as <see cref="Client"/>, for hand-made methods.</summary>
    public CallInvoker Invoker(int index) => _channels[index % _channels.Length].CreateCallInvoker();

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
