using Tracker.Events.Pipeline;

namespace Tracker.Api.V1Alpha1;

// The generated request messages that name the event they write.
public sealed partial class UpdateEventRequest : ITargetsEvent;

public sealed partial class DeleteEventRequest : ITargetsEvent;

// The generated ChannelService requests that name the channel they write.
public sealed partial class CreateChannelRequest : ITargetsChannel
{
    string ITargetsChannel.ChannelName => Channel?.Name ?? string.Empty;
}

public sealed partial class UpdateChannelRequest : ITargetsChannel
{
    string ITargetsChannel.ChannelName => Channel?.Name ?? string.Empty;
}

public sealed partial class DeleteChannelRequest : ITargetsChannel
{
    string ITargetsChannel.ChannelName => Name;
}

public sealed partial class RedeliverRequest : ITargetsChannel
{
    string ITargetsChannel.ChannelName => Name;
}

public sealed partial class SendTestMessageRequest : ITargetsChannel
{
    string ITargetsChannel.ChannelName => Name;
}
