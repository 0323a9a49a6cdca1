namespace Tracker.Events.Telemetry;

/// <summary>
/// A configured list of label values (<see cref="EventAttributeOptions"/>): a listed value is
/// reported as it is, any other as <see cref="Other"/>.
/// </summary>
internal sealed class AllowedValues(IEnumerable<string> values)
{
    public const string Other = "other";

    private readonly HashSet<string> _values = new(values, StringComparer.Ordinal);

    /// <summary>Whether any value was listed; with none the attribute is not reported at all.</summary>
    public bool Any => _values.Count > 0;

    public string Label(string value) => _values.TryGetValue(value, out var listed) ? listed : Other;
}
