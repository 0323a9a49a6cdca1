using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tracker.WebUi.Tests;

/// <summary>
/// A local HTTP receiver for webhook channels (HttpListener on 127.0.0.1, a free port): it keeps
/// every request and answers by the first segment of its path, so that each test points its
/// channels at a path of its own (<c>/{behaviour}/{channel}</c>):
/// <list type="bullet">
///   <item><c>/ok/...</c>: 200;</item>
///   <item><c>/refuse/...</c>: 400 (a permanent failure) until <see cref="Accept"/> names the path, then 200;</item>
///   <item><c>/picky/...</c>: 400 when the body holds <see cref="RejectMark"/>, else 200.</item>
/// </list>
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>What a /picky/ receiver refuses: an event whose title holds it.</summary>
    public const string RejectMark = "REJECT-ME";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>One request as it came: its path, its webhook-id header and its body.</summary>
    public sealed record Received(string Path, string WebhookId, string Body);

    /// <summary>The URL of a path on this receiver: "http://127.0.0.1:port/ok/ch-1".</summary>
    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Makes a /refuse/ path answer 200 from now on.</summary>
    public void Accept(string path) => _accepted[path] = true;

    /// <summary>The requests to a path so far, in arrival order.</summary>
    public IReadOnlyList<Received> To(string path) => [.. _received.Where(r => r.Path == path)];

    /// <summary>A port nothing listens on: bound, then released.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // Stopped.
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            _received.Enqueue(new Received(path, context.Request.Headers["webhook-id"] ?? string.Empty, body));
            context.Response.StatusCode = StatusFor(path, body);
            context.Response.Close();
        }
    }

    private int StatusFor(string path, string body)
    {
        if (path.StartsWith("/refuse/", StringComparison.Ordinal))
        {
            return _accepted.ContainsKey(path) ? 200 : 400;
        }

        if (path.StartsWith("/picky/", StringComparison.Ordinal))
        {
            return body.Contains(RejectMark, StringComparison.Ordinal) ? 400 : 200;
        }

        return 200;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
