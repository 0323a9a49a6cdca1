using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Tracker.Grpc;

/// <summary>
/// Thrown by a handler to end its call with a status. Its message is sent to the client as
/// grpc-message (or the REST error body), so it must never carry internal details.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode code, string detail, IEnumerable<IMessage>? details = null)
        : base(detail)
    {
        Code = code;
        Detail = detail;
        Details = details?.ToArray() ?? [];
    }

    public StatusCode Code { get; }

    /// <summary>The developer-facing message sent to the client.</summary>
    public string Detail { get; }

    /// <summary>Typed details (e.g. google.rpc.BadRequest) packed into google.rpc.Status.</summary>
    public IReadOnlyList<IMessage> Details { get; }

    /// <summary>The status as google.rpc.Status, or null when there are no typed details.</summary>
    public Google.Rpc.Status? ToRpcStatus()
    {
        if (Details.Count == 0)
        {
            return null;
        }

        var status = new Google.Rpc.Status { Code = (int)Code, Message = Detail };
        status.Details.AddRange(Details.Select(Any.Pack));
        return status;
    }
}
