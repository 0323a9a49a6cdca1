using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tracker.Server.Auth;

/// <summary>
/// The configured API keys, by the SHA-256 of each key (Auth:ApiKeys:&lt;name&gt;:Hash). A presented
/// key is hashed and compared with every configured hash in constant time
/// (CryptographicOperations.FixedTimeEquals), so neither a match nor its position shows in the
/// response time.
/// </summary>
internal sealed class ApiKeyRing
{
    private readonly (string Name, byte[] Hash, ApiKeyOptions Key)[] _keys;

    public ApiKeyRing(IOptions<AuthOptions> options)
    {
        _keys = options.Value.ApiKeys
            .Select(pair => (pair.Key, Convert.FromHexString(pair.Value.Hash), pair.Value))
            .ToArray();
    }

    /// <summary>The lower-case hex SHA-256 of <paramref name="key"/>'s UTF-8 bytes, as configured.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The name and settings of the key <paramref name="presented"/>, or null when it is none of them.</summary>
    public (string Name, ApiKeyOptions Key)? Find(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        (string, ApiKeyOptions)? found = null;
        foreach (var key in _keys)
        {
            // Every key is compared, whatever matched first.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = (key.Name, key.Key);
            }
        }

        return found;
    }
}
