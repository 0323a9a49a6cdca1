namespace Tracker.Cli.Output;

/// <summary>
/// Left-aligned columns separated by two spaces, each as wide as its widest cell. Control
/// characters in a cell (a newline, a tab) become spaces, so that a row stays one line. Given a
/// <c>maxWidth</c> (the terminal's), the widest columns are narrowed until a row fits, and a cell
/// longer than its column ends in "…".
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "  ";

    // A column is not narrowed below this, so that an id or a time stays recognisable.
    private const int MinimumColumnWidth = 8;

    private readonly List<string[]> _rows = [headers.Select(Clean).ToArray()];

    public void Add(params string[] cells) => _rows.Add(cells.Select(Clean).ToArray());

    public async Task WriteAsync(TextWriter output, int? maxWidth = null)
    {
        var widths = Enumerable.Range(0, _rows[0].Length).Select(i => _rows.Max(r => r[i].Length)).ToArray();
        if (maxWidth is { } limit)
        {
            Fit(widths, limit);
        }

        foreach (var row in _rows)
        {
            // The last column is not padded, so lines carry no trailing spaces.
            var cells = row.Select((cell, i) => Truncate(cell, widths[i])).Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            await output.WriteLineAsync(string.Join(Gap, cells)).ConfigureAwait(false);
        }
    }

    /// <summary>The text with each control character (newline, tab, ...) replaced by a space.</summary>
    public static string Clean(string text) =>
        text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()) : text;

    // Narrows the widest column, one character at a time, until the row fits or none can narrow.
    private static void Fit(int[] widths, int limit)
    {
        while (widths.Sum() + (Gap.Length * (widths.Length - 1)) > limit)
        {
            var widest = Array.IndexOf(widths, widths.Max());
            if (widths[widest] <= MinimumColumnWidth)
            {
                return;
            }

            widths[widest]--;
        }
    }

    private static string Truncate(string cell, int width) => cell.Length <= width ? cell : cell[..(width - 1)] + "…";
}
