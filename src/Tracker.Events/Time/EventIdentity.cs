using System.Buffers.Text;
using System.Security.Cryptography;

namespace Tracker.Events.Time;

/// <summary>Mints event ids (UUIDv7, time-ordered) and etags (random, opaque).</summary>
internal static class EventIdentity
{
    public static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString();

    /// <summary>A fresh etag for every write; random, so two writes never share one.</summary>
    public static string NewEtag()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
