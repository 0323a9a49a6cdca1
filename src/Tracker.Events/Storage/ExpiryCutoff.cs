using Google.Protobuf.WellKnownTypes;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Storage;

/// <summary>
/// Which events of one type have outlived their retention: those whose updated_at is strictly
/// before <see cref="UpdatedBefore"/> (README, "Retention": an event's last change, so a folded repeat, which
/// bumps updated_at, keeps it, as Kubernetes expires events by their last update).
/// </summary>
public sealed record ExpiryCutoff(Type Type, DateTimeOffset UpdatedBefore)
{
    /// <summary><see cref="UpdatedBefore"/> in microseconds since the Unix epoch, as the stores' updated_at_us column holds it.</summary>
    public long UpdatedBeforeMicros => EventKeys.ToMicros(Timestamp.FromDateTimeOffset(UpdatedBefore));
}
