using System.Net;
using System.Net.Sockets;

namespace Tracker.Notifications.Tests.Sending.Support;

/// <summary>
/// A TCP port on 127.0.0.1 that never accepts: the kernel completes a connection into its
/// backlog, where <see cref="HasConnection"/> sees it, and nothing ever answers. A receiver that
/// hangs, and the witness that a refused target was never connected to.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentListener() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether any connection has arrived.</summary>
    public bool HasConnection => _listener.Pending();

    /// <summary>A port on 127.0.0.1 where nothing listens (one just released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => _listener.Dispose();
}
