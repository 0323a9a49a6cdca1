using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tracker.Notifications.Sending;

/// <summary>
/// The outbound HTTP handler of webhook and Slack messages: it resolves each target itself,
/// refuses the addresses <see cref="TargetAddressPolicy"/> names (unless
/// Notifications:AllowPrivateTargets), and connects to the very address it checked, so a second
/// DNS answer (rebinding) cannot slip a private address in. No redirects (a 3xx is the result),
/// no cookies, no proxy from the environment (it would connect instead of us, unchecked), and no
/// trace context sent to third parties.
/// </summary>
internal static class TargetCheckingHandler
{
    public static SocketsHttpHandler Create(bool allowPrivateTargets) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // Only 4 KiB of a response is read; the rest is not worth draining to reuse the connection.
        MaxResponseDrainSize = 64 * 1024,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateTargets, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateTargets, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endPoint.Host, allowPrivateTargets, cancellationToken).ConfigureAwait(false);
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                lastError = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastError ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The addresses allowed to be connected to, in DNS order; throws <see cref="TargetRefusedException"/> when none is.</summary>
    private static async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, bool allowPrivateTargets, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var parsed))
        {
            var refusal = allowPrivateTargets ? null : TargetAddressPolicy.RefusalOf(parsed);
            return refusal is null ? [parsed] : throw new TargetRefusedException(parsed.ToString(), refusal);
        }

        if (!allowPrivateTargets && TargetAddressPolicy.RefusalOfName(host) is { } nameRefusal)
        {
            throw new TargetRefusedException(host, nameRefusal, isName: true);
        }

        var resolved = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (allowPrivateTargets)
        {
            return resolved;
        }

        // A name may resolve to public and private addresses at once: only the public ones are used.
        var allowed = resolved.Where(address => TargetAddressPolicy.RefusalOf(address) is null).ToArray();
        if (allowed.Length == 0 && resolved.Length > 0)
        {
            throw new TargetRefusedException(resolved[0].ToString(), TargetAddressPolicy.RefusalOf(resolved[0])!);
        }

        return allowed;
    }
}

/// <summary>A target refused by <see cref="TargetAddressPolicy"/>; its message is the delivery log's error.</summary>
internal sealed class TargetRefusedException(string target, string reason, bool isName = false)
    : Exception($"target {(isName ? "host" : "address")} {target} is not allowed ({reason}); set Notifications:AllowPrivateTargets to allow it");
