namespace Tracker.Events.Postgres;

/// <summary>
/// The schema a connection string's Search Path puts first: where the store's tables live.
/// </summary>
internal static class PostgresSearchPath
{
    /// <summary>The first schema named, as PostgreSQL resolves it; null when none is named.</summary>
    public static string? First(string? searchPath)
    {
        var text = searchPath?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string name;
        if (text[0] == '"')
        {
            // A quoted identifier keeps its case; "" stands for one quote.
            var builder = new System.Text.StringBuilder();
            var i = 1;
            while (i < text.Length)
            {
                if (text[i] == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        builder.Append('"');
                        i += 2;
                        continue;
                    }

                    break;
                }

                builder.Append(text[i]);
                i++;
            }

            name = builder.ToString();
        }
        else
        {
            // An unquoted identifier is folded to lower case, as PostgreSQL does.
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            name = (comma < 0 ? text : text[..comma]).Trim().ToLowerInvariant();
        }

        return name.Length == 0 || name == "$user" ? null : name;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
