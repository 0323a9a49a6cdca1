using Google.Protobuf;

namespace Tracker.Grpc;

internal static class AsyncEnumerableCasts
{
    /// <summary>Views a stream of messages as a stream of one message type, without buffering.</summary>
    public static async IAsyncEnumerable<T> CastMessages<T>(this IAsyncEnumerable<IMessage> source)
    {
        await foreach (var item in source.ConfigureAwait(false))
        {
            yield return (T)item;
        }
    }
}
