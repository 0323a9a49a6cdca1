using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // GetChannel (AIP-131): the channel with its health, without its secret, its URL redacted; or NOT_FOUND.
    public override async Task<Channel> GetChannel(GetChannelRequest request, ServerCallContext context)
    {
        ThrowIfInvalidName(request.Name);
        var stored = await _store.GetChannelAsync(request.Name, context.CancellationToken).ConfigureAwait(false)
            ?? throw ChannelErrors.NotFound(request.Name);
        return (await ForReadAsync([stored], context.CancellationToken).ConfigureAwait(false))[0];
    }
}
