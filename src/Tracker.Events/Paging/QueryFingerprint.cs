using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tracker.Events.Storage;

namespace Tracker.Events.Paging;

/// <summary>
/// A 64-bit hash of what a query asks for (method, filters, order), carried in its page tokens
/// so a token cannot be replayed against another query. The page size is left out: AIP-158
/// lets a client change it between pages.
/// </summary>
internal static class QueryFingerprint
{
    public static ulong Compute(string method, EventFilter filter, EventOrder order)
    {
        var text = new StringBuilder()
            .Append(method).Append('|')
            .Append(Text(filter.Source)).Append('|')
            .Append(Number(filter.Type)).Append('|')
            .Append(Number(filter.Priority)).Append('|')
            .Append(Number(filter.Status)).Append('|')
            .Append(Text(filter.Service)).Append('|')
            .Append(Number(filter.Environment)).Append('|')
            .Append(Number(filter.Impact)).Append('|')
            .Append(Text(filter.Owner)).Append('|')
            .Append(Instant(filter.From)).Append('|')
            .Append(Instant(filter.To)).Append('|')
            .Append(order.Field).Append(order.Descending ? " desc" : " asc")
            .ToString();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    // Length-prefixed, so no filter value can imitate a separator.
    private static string Text(string? value) => value is null ? "-" : $"{value.Length}:{value}";

    private static string Number<TEnum>(TEnum? value)
        where TEnum : struct, Enum =>
        value is null ? "-" : Convert.ToInt32(value.Value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset? value) =>
        value is null ? "-" : EventKeys.ToMicros(value.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
