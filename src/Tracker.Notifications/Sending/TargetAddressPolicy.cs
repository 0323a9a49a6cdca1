using System.Net;
using System.Net.Sockets;

namespace Tracker.Notifications.Sending;

/// <summary>
/// Which addresses a webhook or Slack target may connect to when private targets are not
/// allowed: none that reaches the server's own machine, its private networks or a cloud's
/// metadata service (a target chosen by an API caller must not become a way into them).
/// Ranges: RFC 6890 (special-purpose registries), RFC 6598 (shared 100.64/10), RFC 4193 (fc00::/7),
/// RFC 4291 (link-local, multicast, IPv4-mapped), RFC 6052 (the NAT64 prefix 64:ff9b::/96).
/// </summary>
internal static class TargetAddressPolicy
{
    /// <summary>Host names of cloud metadata services, refused before any DNS lookup.</summary>
    private static readonly HashSet<string> MetadataNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
        "instance-data", "instance-data.ec2.internal",
    };

    /// <summary>Why a host name is refused ("cloud metadata"), or null when it may be resolved.</summary>
    public static string? RefusalOfName(string host) =>
        MetadataNames.Contains(host.TrimEnd('.')) ? "cloud metadata" : null;

    /// <summary>
    /// Why <paramref name="address"/> is refused ("loopback", "private", "link-local",
    /// "unspecified", "multicast", "reserved"), or null when it is a public address.
    /// IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms are judged by the IPv4 address they carry.
    /// </summary>
    public static string? RefusalOf(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return RefusalOfV4(address.MapToIPv4().GetAddressBytes());
            }

            var bytes = address.GetAddressBytes();
            if (IsNat64(bytes))
            {
                return RefusalOfV4(bytes.AsSpan(12, 4));
            }

            return RefusalOfV6(address, bytes);
        }

        return RefusalOfV4(address.GetAddressBytes());
    }

    private static string? RefusalOfV4(ReadOnlySpan<byte> b) => b switch
    {
        [0, _, _, _] => "unspecified",
        [127, _, _, _] => "loopback",
        [10, _, _, _] => "private",
        [172, >= 16 and <= 31, _, _] => "private",
        [192, 168, _, _] => "private",
        // Shared address space (carrier-grade NAT), also where some clouds serve metadata (100.100.100.200).
        [100, >= 64 and <= 127, _, _] => "private",
        // Includes the cloud metadata address 169.254.169.254.
        [169, 254, _, _] => "link-local",
        [192, 0, 0, _] => "reserved",
        [198, 18 or 19, _, _] => "reserved",
        [>= 224 and <= 239, _, _, _] => "multicast",
        [>= 240, _, _, _] => "reserved",
        _ => null,
    };

    private static string? RefusalOfV6(IPAddress address, byte[] b)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        return b[0] switch
        {
            0xff => "multicast",
            0xfc or 0xfd => "private",
            0xfe when (b[1] & 0xc0) == 0x80 => "link-local",
            // Site-local (fec0::/10), deprecated by RFC 3879 but still routed privately.
            0xfe when (b[1] & 0xc0) == 0xc0 => "private",
            // The rest of ::/8 (IPv4-compatible addresses and other reserved forms).
            0x00 => "reserved",
            _ => null,
        };
    }

    private static bool IsNat64(byte[] b) =>
        b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
}
