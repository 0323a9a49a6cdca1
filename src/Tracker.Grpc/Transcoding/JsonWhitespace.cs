using System.Text;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Removes the whitespace JsonFormatter puts between tokens ("{ \"a\": 1 }"), so responses are
/// compact like ASP.NET Core's, and one line each in a newline-delimited stream.
/// </summary>
internal static class JsonWhitespace
{
    public static string Remove(string json)
    {
        var builder = new StringBuilder(json.Length);
        var inString = false;
        var escaped = false;
        foreach (var c in json)
        {
            if (inString)
            {
                builder.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
                builder.Append(c);
            }
            else if (c is not (' ' or '\n' or '\r' or '\t'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
