namespace Tracker.Cli.Output;

/// <summary>
/// Left-aligned columns separated by two spaces, each as wide as its widest cell. Control
/// characters in a cell (a newline, a tab) become spaces, so that a row stays one line. Given a
/// <c>maxWidth</c> (the terminal's), the last column and then the widest others are narrowed until
/// a row fits, never the first; a cell longer than its column ends in "…".
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "  ";

    // A column is not narrowed below this, so that an id or a time stays recognisable.
    private const int MinimumColumnWidth = 8;

    // The last column (a title) keeps this much before the others narrow.
    private const int ReadableLastColumnWidth = 24;

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

    // Narrows the last column (a title) down to a readable width first, then the widest of the
    // others, then the last one again, one character at a time, until a row fits or none can
    // narrow. The first column (an id, a field's name) is never cut: a reader copies it.
    private static void Fit(int[] widths, int limit)
    {
        var last = widths.Length - 1;
        foreach (var lastMinimum in (int[])[ReadableLastColumnWidth, MinimumColumnWidth])
        {
            while (widths.Sum() + (Gap.Length * last) > limit)
            {
                var column = widths[last] > lastMinimum ? last : Widest(widths, 1, last - 1);
                if (column < 1 || widths[column] <= MinimumColumnWidth)
                {
                    break;
                }

                widths[column]--;
            }
        }
    }

    // The widest column from first to last (inclusive), or -1 when there is none.
    private static int Widest(int[] widths, int first, int last)
    {
        var widest = -1;
        for (var i = first; i <= last; i++)
        {
            if (widest < 0 || widths[i] > widths[widest])
            {
                widest = i;
            }
        }

        return widest;
    }

    private static string Truncate(string cell, int width) => cell.Length <= width ? cell : cell[..(width - 1)] + "…";
}
