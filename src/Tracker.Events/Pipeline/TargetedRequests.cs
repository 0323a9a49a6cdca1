using Tracker.Events.Pipeline;

namespace Tracker.Api.V1Alpha1;

// The generated request messages that name the event they write.
public sealed partial class UpdateEventRequest : ITargetsEvent;

public sealed partial class DeleteEventRequest : ITargetsEvent;
