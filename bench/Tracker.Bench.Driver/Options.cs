using System.Globalization;

namespace Tracker.Bench.Driver;

/// <summary>"--name value" options, plus everything after "--" as the arguments of a tool.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == "--")
            {
                Rest = list.Skip(i + 1).ToArray();
                return;
            }

            if (!list[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= list.Count)
            {
                throw new ArgumentException($"expected --name value, got '{list[i]}'");
            }

            _values[list[i][2..]] = list[++i];
        }
    }

    public string[] Rest { get; } = [];

    public string Get(string name) => _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string? Find(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Seconds(string name, double fallback) => _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
