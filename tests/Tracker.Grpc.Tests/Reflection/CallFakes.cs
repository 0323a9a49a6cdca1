using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Tracker.Grpc.Tests.Reflection;

/// <summary>Collects the messages a handler writes, for tests to read as they arrive.</summary>
internal sealed class CollectingStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly Channel<T> _written = Channel.CreateUnbounded<T>();
    private readonly List<T> _all = [];

    public IReadOnlyList<T> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        lock (_all)
        {
            _all.Add(message);
        }

        _written.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    /// <summary>The next message written, waiting for it at most the test timeout.</summary>
    public async Task<T> NextAsync() =>
        await _written.Reader.ReadAsync().AsTask().WaitAsync(Calls.Timeout);
}

/// <summary>Builds the pieces of a call that the transport would otherwise supply.</summary>
internal static class Calls
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static ServerCallContext Context(string method, CancellationToken cancellationToken = default) =>
        new(new DefaultHttpContext(), method, null, cancellationToken);

    public static async IAsyncEnumerable<T> Stream<T>(params T[] messages)
    {
        foreach (var message in messages)
        {
            await Task.Yield();
            yield return message;
        }
    }

    /// <summary>A request stream that stays open until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async IAsyncEnumerable<T> OpenStream<T>(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        yield break;
    }
}
