using Google.Protobuf;
using Google.Rpc;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests;

/// <summary>Typed calls to tracker.event.v1alpha1.EventService over the raw gRPC test client.</summary>
public sealed class TrackerGrpcClient(Uri address) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly GrpcTestClient _client = new(address);

    public async Task<Reply<TResponse>> CallAsync<TResponse>(string method, IMessage request, MessageParser<TResponse> parser, IDictionary<string, string>? headers = null)
        where TResponse : IMessage<TResponse>
    {
        var result = await _client.CallAsync($"/tracker.event.v1alpha1.EventService/{method}", request, headers).WaitAsync(Limit);
        var response = result.Status == 0 ? result.Single(parser) : default;
        return new Reply<TResponse>(result, response);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>A call's status and, when it is OK, its response.</summary>
public sealed record Reply<T>(GrpcResult Raw, T? Response)
{
    public int Status => Raw.Status ?? -1;

    public T Ok => Status == 0 ? Response! : throw new Xunit.Sdk.XunitException($"Expected OK, got {Status}: {Raw.Message}");

    /// <summary>The field paths of the google.rpc.BadRequest detail.</summary>
    public IReadOnlyList<string> ViolatedFields()
    {
        var bin = Raw.Get("grpc-status-details-bin") ?? throw new Xunit.Sdk.XunitException("No grpc-status-details-bin.");
        var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(bin.PadRight(bin.Length + ((4 - (bin.Length % 4)) % 4), '=')));
        return status.Details.Single(d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>().FieldViolations.Select(v => v.Field).ToArray();
    }
}
