using System.Globalization;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// Message ids: "msg_" and a UUIDv7 (RFC 9562) in 32 lowercase hex digits, so that they sort in
/// the order they were made, which is the order the delivery log lists. Within one millisecond
/// a 12-bit counter in rand_a keeps them increasing (RFC 9562, section 6.2, method 1); the rest
/// is random, so ids made on two replicas never collide.
/// </summary>
public static class MessageIds
{
    /// <summary>The prefix every message id carries (Standard Webhooks' convention for webhook-id).</summary>
    public const string Prefix = "msg_";

    private static readonly Lock Gate = new();
    private static long _lastMillisecond;
    private static int _counter;

    /// <summary>A new id, greater than every id this process made before.</summary>
    public static string Next(TimeProvider time)
    {
        long millisecond;
        int counter;
        lock (Gate)
        {
            millisecond = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), _lastMillisecond);
            if (millisecond == _lastMillisecond)
            {
                if (++_counter > 0xFFF)
                {
                    // 4,096 ids in one millisecond: borrow the next millisecond.
                    millisecond++;
                    _counter = 0;
                }
            }
            else
            {
                _counter = 0;
            }

            _lastMillisecond = millisecond;
            counter = _counter;
        }

        Span<byte> random = stackalloc byte[8];
        Random.Shared.NextBytes(random);
        var high = (ulong)millisecond << 16 | 0x7000UL | (uint)counter;
        var low = (BitConverter.ToUInt64(random) & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL;
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{high:x16}{low:x16}");
    }
}
