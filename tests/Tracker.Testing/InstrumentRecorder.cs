using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Tracker.Testing;

/// <summary>
/// Every measurement of the named instruments of meters made by one <see cref="IMeterFactory"/>
/// (one host's, or a test's own), so tests that run side by side in one process never see each
/// other's measurements.
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public InstrumentRecorder(IMeterFactory meterFactory, params string[] instrumentNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrumentNames.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<RecordedMeasurement> Measurements => [.. _measurements];

    /// <summary>The measurements of one instrument whose tags include all of <paramref name="tags"/>.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument, params (string Key, string Value)[] tags) =>
        Measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tag(t.Key) == t.Value)).ToList();

    /// <summary>The sum of <see cref="Of"/>'s values: a counter's increase, an up-down counter's value.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>The value an observable instrument reports now (the sum over its series).</summary>
    public double Observe(string instrument)
    {
        var mark = _measurements.Count;
        _listener.RecordObservableInstruments();
        return Measurements.Skip(mark).Where(m => m.Instrument == instrument).Sum(m => m.Value);
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
}

/// <summary>One measurement: its instrument, value and tags.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public string? Tag(string key) => Tags.GetValueOrDefault(key);

    public override string ToString() => $"{Instrument} {Value} {{{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}}}";
}
