using System.Diagnostics.Metrics;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Retention;

/// <summary>
/// Retention's instruments, on the meter <see cref="MeterName"/> from the host's IMeterFactory:
/// <see cref="DeletionsName"/>, a counter of the events retention deleted ({event}), with the
/// attribute <see cref="TypeAttribute"/>, the event's type in lower case without its prefix
/// ("incident", "rpa_usage"). Names follow the OpenTelemetry semantic conventions' style.
/// </summary>
public sealed class RetentionMetrics
{
    /// <summary>The meter's name; telemetry exports every meter named "Tracker.*".</summary>
    public const string MeterName = "Tracker.Retention";

    /// <summary>The counter of deleted events.</summary>
    public const string DeletionsName = "tracker.retention.deletions";

    /// <summary>The attribute that carries the deleted events' type.</summary>
    public const string TypeAttribute = "tracker.event.type";

    private readonly Counter<long> _deletions;

    public RetentionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _deletions = meter.CreateCounter<long>(
            DeletionsName,
            unit: "{event}",
            description: "Events deleted because they outlived their retention (Retention:Default, Retention:Types).");
    }

    /// <summary>Counts <paramref name="count"/> events of <paramref name="type"/> deleted.</summary>
    public void Deleted(Type type, long count) =>
        _deletions.Add(count, new KeyValuePair<string, object?>(TypeAttribute, EventTypeNames.Lower(type)));
}
