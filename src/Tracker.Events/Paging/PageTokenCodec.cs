using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Tracker.Events.Storage;

namespace Tracker.Events.Paging;

/// <summary>
/// Encodes a keyset position as an opaque, URL-safe page token (base64url without padding):
/// <code>version (1) | query fingerprint (8) | key count (1) | keys | id length (2) | id (UTF-8) | check (8)</code>
/// Each key is a tag (0: a number, 8 bytes big-endian; 1: text, a 2-byte length and UTF-8).
/// The check is the first 8 bytes of the SHA-256 of everything before it, so a token that was cut
/// or edited is refused rather than read as some other position (AIP-158: tokens are opaque).
/// Tokens are not secret: a client that forges one only moves within its own query.
/// </summary>
internal static class PageTokenCodec
{
    private const byte Version = 3;
    private const byte NumberTag = 0;
    private const byte TextTag = 1;
    private const int CheckBytes = 8;
    private const int MaxIdBytes = 128;
    private const int MaxKeys = 16;

    /// <summary>Enough for a cursor on the longest sortable text (a 16 KiB message) and the id.</summary>
    private const int MaxTokenChars = 24 * 1024;

    public static string Encode(EventCursor cursor, ulong fingerprint)
    {
        var buffer = new List<byte>(64) { Version };
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(eight, fingerprint);
        buffer.AddRange(eight);
        buffer.Add((byte)cursor.Keys.Count);
        foreach (var key in cursor.Keys)
        {
            if (key.Text is { } text)
            {
                buffer.Add(TextTag);
                AddText(buffer, text);
            }
            else
            {
                buffer.Add(NumberTag);
                BinaryPrimitives.WriteInt64BigEndian(eight, key.Number);
                buffer.AddRange(eight);
            }
        }

        AddText(buffer, cursor.Id);
        var bytes = new byte[buffer.Count + CheckBytes];
        buffer.CopyTo(bytes);
        Check(bytes.AsSpan(0, buffer.Count), bytes.AsSpan(buffer.Count));
        return Base64Url.EncodeToString(bytes);
    }

    public static PageTokenResult Decode(string token, ulong fingerprint)
    {
        if (token.Length > MaxTokenChars)
        {
            return PageTokenResult.Malformed;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return PageTokenResult.Malformed;
        }

        // Only the exact text this codec writes: no padding, no other spelling of the same bytes.
        if (!string.Equals(Base64Url.EncodeToString(bytes), token, StringComparison.Ordinal)
            || bytes.Length < 1 + 8 + 1 + 2 + CheckBytes || bytes[0] != Version || !HasValidCheck(bytes))
        {
            return PageTokenResult.Malformed;
        }

        var reader = new Reader(bytes.AsSpan(0, bytes.Length - CheckBytes));
        try
        {
            reader.Skip(1);
            var tokenFingerprint = reader.UInt64();
            var count = reader.Byte();
            if (count is 0 or > MaxKeys)
            {
                return PageTokenResult.Malformed;
            }

            var keys = new FilterValue[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = reader.Byte() switch
                {
                    NumberTag => FilterValue.Of(reader.Int64()),
                    TextTag => FilterValue.Of(reader.Text(int.MaxValue)),
                    _ => throw new FormatException(),
                };
            }

            var id = reader.Text(MaxIdBytes);
            if (id.Length == 0 || !reader.AtEnd)
            {
                return PageTokenResult.Malformed;
            }

            return tokenFingerprint == fingerprint
                ? PageTokenResult.Valid(new EventCursor(keys, id))
                : PageTokenResult.OtherQuery;
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException or ArgumentOutOfRangeException)
        {
            return PageTokenResult.Malformed;
        }
    }

    private static void AddText(List<byte> buffer, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        buffer.Add((byte)(utf8.Length >> 8));
        buffer.Add((byte)utf8.Length);
        buffer.AddRange(utf8);
    }

    private static void Check(ReadOnlySpan<byte> content, Span<byte> check)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        hash[..CheckBytes].CopyTo(check);
    }

    private static bool HasValidCheck(byte[] bytes)
    {
        Span<byte> expected = stackalloc byte[CheckBytes];
        Check(bytes.AsSpan(0, bytes.Length - CheckBytes), expected);
        return expected.SequenceEqual(bytes.AsSpan(bytes.Length - CheckBytes));
    }

    /// <summary>Reads the token's fields in order; running past the end is a FormatException.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly bool AtEnd => _position == _bytes.Length;

        public void Skip(int count) => Take(count);

        public byte Byte() => Take(1)[0];

        public ulong UInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public string Text(int maxBytes)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(Take(2));
            if (length > maxBytes)
            {
                throw new FormatException();
            }

            return StrictUtf8.GetString(Take(length));
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_bytes.Length - _position < count)
            {
                throw new FormatException();
            }

            var taken = _bytes.Slice(_position, count);
            _position += count;
            return taken;
        }
    }
}

/// <summary>What a page token decoded to.</summary>
internal sealed record PageTokenResult(PageTokenStatus Status, EventCursor? Cursor)
{
    public static PageTokenResult Malformed { get; } = new(PageTokenStatus.Malformed, null);

    public static PageTokenResult OtherQuery { get; } = new(PageTokenStatus.OtherQuery, null);

    public static PageTokenResult Valid(EventCursor cursor) => new(PageTokenStatus.Valid, cursor);
}

internal enum PageTokenStatus
{
    Valid,
    Malformed,
    OtherQuery,
}
