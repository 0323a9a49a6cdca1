using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // ListChannels (AIP-132): every channel by name, as GetChannel shows each; there are few, so no paging.
    public override async Task<ListChannelsResponse> ListChannels(ListChannelsRequest request, ServerCallContext context)
    {
        var stored = await _store.ListChannelsAsync(context.CancellationToken).ConfigureAwait(false);
        return new ListChannelsResponse { Channels = { await ForReadAsync(stored, context.CancellationToken).ConfigureAwait(false) } };
    }
}
