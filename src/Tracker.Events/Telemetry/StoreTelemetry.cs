using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tracker.Events.Telemetry;

/// <summary>
/// What <see cref="InstrumentedEventStore"/> reports of each store call, under OpenTelemetry's
/// database conventions: the histogram <c>db.client.operation.duration</c> (seconds) on the meter
/// <see cref="MeterName"/>, and a client span from the activity source <see cref="ActivitySourceName"/>,
/// each with <c>db.system.name</c>, <c>db.operation.name</c>, <c>db.collection.name</c> and, when the
/// call failed, <c>error.type</c>. Spans are made only inside a trace (a request's call), so the
/// change feed's and the health check's background reads do not each start a trace of their own.
/// </summary>
public sealed class StoreTelemetry
{
    public const string MeterName = "Tracker.Events.Store";
    public const string ActivitySourceName = "Tracker.Events.Store";

    /// <summary>db.system.name of the two stores (OpenTelemetry's well-known values).</summary>
    public const string Sqlite = "sqlite";
    public const string Postgresql = "postgresql";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // The buckets the database conventions advise for db.client.operation.duration.
    private static readonly IReadOnlyList<double> Buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    private readonly Histogram<double> _duration;

    public StoreTelemetry(IMeterFactory meterFactory)
    {
        _duration = meterFactory.Create(MeterName).CreateHistogram(
            "db.client.operation.duration",
            unit: "s",
            description: "Duration of event store operations.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>A client span for the call, child of the current one; null outside a trace or when nobody listens.</summary>
    internal Activity? StartSpan(StoreOperation operation, string system)
    {
        if (Activity.Current is null)
        {
            return null;
        }

        var span = Source.StartActivity(operation.SpanName, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("db.system.name", system);
            span.SetTag("db.operation.name", operation.Name);
            span.SetTag("db.collection.name", operation.Collection);
        }

        return span;
    }

    /// <summary>Records the call's duration; <paramref name="errorType"/> is null when it succeeded.</summary>
    internal void Record(StoreOperation operation, string system, TimeSpan elapsed, string? errorType)
    {
        if (!_duration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "db.system.name", system },
            { "db.operation.name", operation.Name },
        };
        if (operation.Collection is not null)
        {
            tags.Add("db.collection.name", operation.Collection);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _duration.Record(elapsed.TotalSeconds, tags);
    }
}
