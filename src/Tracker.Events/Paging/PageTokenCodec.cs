using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Tracker.Events.Storage;

namespace Tracker.Events.Paging;

/// <summary>
/// Encodes a keyset position as an opaque, URL-safe page token (base64url without padding):
/// <code>version (1 byte) | query fingerprint (8) | sort key (8, big-endian) | id (UTF-8) | check (8)</code>
/// The check is the first 8 bytes of the SHA-256 of everything before it, so a token that was cut
/// or edited is refused rather than read as some other position (AIP-158: tokens are opaque).
/// Tokens are not secret: a client that forges one only moves within its own query.
/// </summary>
internal static class PageTokenCodec
{
    private const byte Version = 2;
    private const int HeaderBytes = 1 + 8 + 8;
    private const int CheckBytes = 8;
    private const int MaxIdBytes = 128;
    private const int MaxTokenChars = 256;

    public static string Encode(EventCursor cursor, ulong fingerprint)
    {
        var idBytes = Encoding.UTF8.GetBytes(cursor.Id);
        var bytes = new byte[HeaderBytes + idBytes.Length + CheckBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1), fingerprint);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), cursor.SortKey);
        idBytes.CopyTo(bytes.AsSpan(HeaderBytes));
        Check(bytes.AsSpan(0, bytes.Length - CheckBytes), bytes.AsSpan(bytes.Length - CheckBytes));
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
        if (!string.Equals(Base64Url.EncodeToString(bytes), token, StringComparison.Ordinal))
        {
            return PageTokenResult.Malformed;
        }

        var idLength = bytes.Length - HeaderBytes - CheckBytes;
        if (idLength <= 0 || idLength > MaxIdBytes || bytes[0] != Version || !HasValidCheck(bytes))
        {
            return PageTokenResult.Malformed;
        }

        string id;
        try
        {
            id = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, HeaderBytes, idLength);
        }
        catch (DecoderFallbackException)
        {
            return PageTokenResult.Malformed;
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(1)) != fingerprint)
        {
            return PageTokenResult.OtherQuery;
        }

        return PageTokenResult.Valid(new EventCursor(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)), id));
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
