using System.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// What the full-text index (events_fts, migration 9) holds for an event: its title and message,
/// and its service as one reserved token, so that FTS5 itself intersects q's words with a service
/// filter (one doclist intersection, read in seq order and counted by FTS5) instead of the
/// filter's rows being walked. The token is <see cref="Reserved"/> (U+E000, a private-use
/// character, made a token character of the index's tokenizer) followed by the service's UTF-8
/// bytes in lower-case hex: the tokenizer keeps it whole and unfolded, and no word of q can match
/// it, since q's words hold only letters, numbers and marks (FullTextWords) and so never start
/// with U+E000. U+E000 in a title or message is indexed as a space, as the tokenizer split
/// text on it before it became a token character: the words found stay the same.
/// </summary>
internal static class SqliteSearchText
{
    /// <summary>The character that starts a service token, and that the indexed text never holds.</summary>
    public const char Reserved = '\uE000';

    /// <summary>The SQL of <see cref="Indexed"/> for a text column (migration 9's view and trigger).</summary>
    public static string IndexedSql(string column) => $"replace({column}, char(57344), ' ')";

    /// <summary>The SQL of <see cref="ServiceToken"/> for the service column: SQLite's hex() of text is that of its UTF-8 bytes.</summary>
    public static string ServiceTokenSql(string column) => $"char(57344) || lower(hex({column}))";

    /// <summary>A title or message as the index reads it: <see cref="Reserved"/> replaced by a space.</summary>
    public static string Indexed(string text) => text.Replace(Reserved, ' ');

    /// <summary>The token of <paramref name="service"/> (the events.service column's value; '' when unset).</summary>
    public static string ServiceToken(string service) => Reserved + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(service));

    /// <summary>The service of <paramref name="e"/> as the events.service column holds it.</summary>
    public static string ServiceOf(Event e) => EventField.Service.ValuesIn(e).Single().Text ?? string.Empty;

    /// <summary>
    /// The FTS5 query of <paramref name="words"/> (each a prefix, as <see cref="SqliteSqlDialect.FullTextQuery"/>
    /// makes it) that also requires each of <paramref name="services"/>' tokens, exactly. Null without words.
    /// </summary>
    public static string? Match(IReadOnlyList<string> words, IReadOnlyList<string> services)
    {
        var match = SqliteSqlDialect.FullTextQuery(words);
        return match is null || services.Count == 0
            ? match
            : match + string.Concat(services.Select(s => " AND \"" + ServiceToken(s) + "\""));
    }

    /// <summary>
    /// Splits <paramref name="where"/> into the services it requires by equality at its top level
    /// (service = "x", a term of its AND) and the other terms, which with those services hold exactly when it does.
    /// </summary>
    public static (IReadOnlyList<string> Services, FilterNode Others) SplitServices(FilterNode where)
    {
        var terms = where is AllOf all ? all.Terms : [where];
        var services = terms.Select(ServiceEquality).OfType<string>().ToList();
        return services.Count == 0 ? ([], where) : (services, new AllOf([.. terms.Where(t => ServiceEquality(t) is null)]));
    }

    private static string? ServiceEquality(FilterNode term) =>
        term is Comparison { Comparator: Comparator.Equal, LabelKey: null, Value.Text: { } service } comparison && comparison.Field == EventField.Service
            ? service
            : null;
}
