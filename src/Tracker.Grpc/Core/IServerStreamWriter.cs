namespace Tracker.Grpc;

/// <summary>Writes a server-streaming call's response messages, one at a time.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
