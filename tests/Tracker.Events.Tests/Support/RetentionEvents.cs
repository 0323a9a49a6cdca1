using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Support;

/// <summary>Events for retention tests: valid, of one type, last changed (and created) at a given time.</summary>
public static class RetentionEvents
{
    /// <summary>An event of <paramref name="type"/> whose created_at and updated_at are <paramref name="updatedAt"/>.</summary>
    public static Event ChangedAt(Type type, DateTimeOffset updatedAt)
    {
        var stamp = Timestamp.FromDateTimeOffset(updatedAt);
        return new Event
        {
            Title = $"{type} event",
            Attributes = new EventAttributes { Type = type, Service = "retention-service" },
            Id = Guid.CreateVersion7(updatedAt).ToString(),
            CreatedAt = stamp,
            UpdatedAt = stamp,
            Etag = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>Stores <see cref="ChangedAt"/>, after <paramref name="configure"/> has changed its attributes.</summary>
    public static async Task<Event> CreateAsync(IEventStore store, Type type, DateTimeOffset updatedAt, Action<EventAttributes>? configure = null)
    {
        var e = ChangedAt(type, updatedAt);
        configure?.Invoke(e.Attributes);
        return await store.CreateAsync(e, null, CancellationToken.None).Bounded();
    }
}
