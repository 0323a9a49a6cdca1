namespace Tracker.Bench.Driver;

/// <summary>
/// The figures of an earlier run kept in a small tab-separated file under bench/ (see
/// bench/previous-homemade-runtime.tsv): '#' comment lines, a "label" line naming the report's
/// column, a "key figure baseline ratio" header, then one row per figure of the Targets table.
/// </summary>
internal sealed class PreviousRun
{
    private readonly Dictionary<string, Row> _rows;

    private PreviousRun(string label, Dictionary<string, Row> rows)
    {
        Label = label;
        _rows = rows;
    }

    /// <summary>The column's heading, e.g. "home-made runtime (8e1b6d5)".</summary>
    public string Label { get; }

    public static PreviousRun Load(string path)
    {
        string? label = null;
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "label":
                    label = fields[1];
                    break;
                case "key":
                    break;
                default:
                    rows[fields[0]] = new Row(Field(fields, 1), Field(fields, 2), Field(fields, 3));
                    break;
            }
        }

        return new PreviousRun(label ?? throw new InvalidDataException($"{path}: no label line"), rows);
    }

    /// <summary>The row of <paramref name="key"/>; throws if the file lacks it, so a renamed row cannot go blank unnoticed.</summary>
    public Row this[string key] =>
        _rows.TryGetValue(key, out var row) ? row : throw new InvalidDataException($"no row '{key}' in the previous run's figures");

    private static string? Field(string[] fields, int index) =>
        index < fields.Length && fields[index].Length > 0 ? fields[index] : null;

    /// <summary>One figure of the earlier run, its baseline in that run, and the ratio, each as its report printed it.</summary>
    internal sealed record Row(string? Figure, string? Baseline, string? Ratio);
}
