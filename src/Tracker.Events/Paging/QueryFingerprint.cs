using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tracker.Events.Storage;

namespace Tracker.Events.Paging;

/// <summary>
/// A 64-bit hash of what a query asks for (method, the whole expression, full-text words,
/// after_id's position, order), carried in its page tokens so a token cannot be replayed against
/// another query (AIP-158: a token belongs to the request that made it). The page size is left out: AIP-158 lets a client change it
/// between pages. Two spellings of one expression (a filter and the same query) share tokens.
/// </summary>
internal static class QueryFingerprint
{
    public static ulong Compute(string method, EventCriteria criteria, EventOrder order)
    {
        var text = new StringBuilder().Append(method).Append('|');
        Append(text, criteria.Where);
        text.Append('|');
        foreach (var word in criteria.Words)
        {
            Text(text, word);
        }

        text.Append('|').Append(criteria.AfterSequence?.ToString(CultureInfo.InvariantCulture) ?? "-").Append('|');
        foreach (var key in order.Keys)
        {
            text.Append(key.Field.StableName).Append(key.Descending ? " desc," : " asc,");
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static void Append(StringBuilder text, FilterNode node)
    {
        switch (node)
        {
            case AllOf all:
                List(text, "and(", all.Terms);
                break;
            case AnyOf any:
                List(text, "or(", any.Terms);
                break;
            case Negation not:
                text.Append("not(");
                Append(text, not.Term);
                text.Append(')');
                break;
            case Comparison c:
                text.Append(c.Field.StableName).Append(' ').Append(c.Comparator).Append(' ');
                Text(text, c.LabelKey);
                if (c.Value.Text is { } value)
                {
                    Text(text, value);
                }
                else
                {
                    text.Append('#').Append(c.Value.Number.ToString(CultureInfo.InvariantCulture)).Append(';');
                }

                break;
            case Presence p:
                text.Append(p.Field.StableName).Append(" set ");
                Text(text, p.LabelKey);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown filter node.");
        }
    }

    private static void List(StringBuilder text, string head, IReadOnlyList<FilterNode> terms)
    {
        text.Append(head);
        foreach (var term in terms)
        {
            Append(text, term);
            text.Append(',');
        }

        text.Append(')');
    }

    // Length-prefixed, so no value can imitate a separator.
    private static void Text(StringBuilder text, string? value) =>
        text.Append(value is null ? "-" : $"{value.Length}:{value}").Append(';');
}
