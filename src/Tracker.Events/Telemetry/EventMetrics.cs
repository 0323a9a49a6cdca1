using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using EventEnvironment = Tracker.Api.V1Alpha1.Environment;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Telemetry;

/// <summary>
/// The counter <c>tracker.events.recorded</c> ({event}) on the meter <see cref="MeterName"/>: one
/// per create that stored something, with <c>tracker.event.type</c>, <c>tracker.event.severity</c>,
/// <c>tracker.event.environment</c> (the enum value names in lower case, see
/// <see cref="EnumLabels{T}"/>), <c>tracker.event.outcome</c> (<c>created</c>, or <c>folded</c>
/// into an earlier event of its aggregation_key), and <c>tracker.event.service</c> and
/// <c>tracker.event.reason</c> only when <see cref="EventAttributeOptions"/> lists their values.
/// A create that repeats a used request_id stores nothing and is not counted.
/// </summary>
public sealed class EventMetrics
{
    /// <summary>The meter of Tracker's event metrics.</summary>
    public const string MeterName = "Tracker.Events";

    private readonly Counter<long> _recorded;
    private readonly AllowedValues _services;
    private readonly AllowedValues _reasons;

    public EventMetrics(IMeterFactory meterFactory, IOptions<EventAttributeOptions> options)
    {
        _recorded = meterFactory.Create(MeterName).CreateCounter<long>(
            "tracker.events.recorded",
            unit: "{event}",
            description: "Events recorded by CreateEvent: new events (created) and repeats folded into an existing one (folded).");
        _services = new AllowedValues(options.Value.Services);
        _reasons = new AllowedValues(options.Value.Reasons);
    }

    /// <summary>
    /// Counts <paramref name="occurrence"/>, the event a create asked to store, given what the
    /// store returned: the same event (created), the keyed event it was folded into (which takes
    /// the occurrence's etag, see <see cref="Folding.EventFolding.Fold"/>), or the event of an
    /// earlier create with the same request id (nothing stored, not counted).
    /// </summary>
    public void Recorded(Event occurrence, Event stored)
    {
        var outcome = stored.Id == occurrence.Id ? "created"
            : stored.Etag == occurrence.Etag ? "folded"
            : null;
        if (outcome is null || !_recorded.Enabled)
        {
            return;
        }

        var attributes = occurrence.Attributes ?? new EventAttributes();
        var tags = new TagList
        {
            { "tracker.event.type", EnumLabels<EventType>.Of(attributes.Type) },
            { "tracker.event.severity", EnumLabels<Severity>.Of(attributes.Severity) },
            { "tracker.event.environment", EnumLabels<EventEnvironment>.Of(attributes.Environment) },
            { "tracker.event.outcome", outcome },
        };
        if (_services.Any)
        {
            tags.Add("tracker.event.service", _services.Label(attributes.Service));
        }

        if (_reasons.Any)
        {
            tags.Add("tracker.event.reason", _reasons.Label(attributes.Reason));
        }

        _recorded.Add(1, tags);
    }
}
