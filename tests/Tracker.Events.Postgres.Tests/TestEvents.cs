using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Postgres.Tests;

/// <summary>Events as the domain hands them to a store: validated, with id, times and etag set.</summary>
internal static class TestEvents
{
    public static Event New(string title = "deploy api", string service = "api", DateTimeOffset? createdAt = null)
    {
        var created = Timestamp.FromDateTimeOffset(createdAt ?? DateTimeOffset.UtcNow);
        return new Event
        {
            Id = Guid.CreateVersion7().ToString(),
            Title = title,
            Attributes = new EventAttributes
            {
                Type = Api.V1Alpha1.Type.Deployment,
                Service = service,
                Priority = Priority.P2,
                Status = Status.Success,
            },
            CreatedAt = created,
            UpdatedAt = created,
            Etag = Guid.NewGuid().ToString("N"),
        };
    }
}
