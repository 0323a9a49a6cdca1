using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Pipeline;
using Tracker.Events.Time;
using Tracker.Events.Validation;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // UpdateChannel (AIP-134): merges the fields the update mask names (or, without one, those
    // present in the request: ChannelUpdate) onto the stored channel and checks the result as a
    // whole. With channel.etag (AIP-154) the write happens only onto that version (ABORTED
    // otherwise); without one it merges again onto a newer version when another writer came first.
    public override async Task<Channel> UpdateChannel(UpdateChannelRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var given = request.Channel;
        var violations = new Violations();
        if (given is null)
        {
            violations.Add("channel", "is required: the fields to change, and channel.name naming the channel", ViolationReasons.Required);
            throw ChannelErrors.InvalidRequest(violations);
        }

        ChannelValidator.CheckName(given.Name, "channel.name", violations);
        CheckEtag(given.Etag, "channel.etag", violations);
        var fields = await FieldsToChangeAsync(request, context, violations).ConfigureAwait(false);
        if (violations.Any)
        {
            throw ChannelErrors.InvalidRequest(violations);
        }

        var clientEtag = given.Etag.Length > 0 ? given.Etag : null;
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var current = await _store.GetChannelAsync(given.Name, cancellationToken).ConfigureAwait(false)
                ?? throw ChannelErrors.NotFound(given.Name);
            if (clientEtag is not null && clientEtag != current.Etag)
            {
                throw ChannelErrors.EtagMismatch(given.Name);
            }

            var channelViolations = new Violations();
            var merged = ChannelUpdate.Merge(current, given, fields, channelViolations);
            _validator.Validate(merged, channelViolations);
            if (channelViolations.Any)
            {
                throw ChannelErrors.InvalidChannel(channelViolations);
            }

            merged.UpdateTime = EventClock.ToTimestamp(_clock.Now());
            merged.Etag = EventIdentity.NewEtag();
            if (await _store.ReplaceChannelAsync(merged, current.Etag, cancellationToken).ConfigureAwait(false))
            {
                WriteAudit.Done(context, merged.Name, "updated");
                return (await ForReadAsync([merged], cancellationToken).ConfigureAwait(false))[0];
            }

            // Someone else wrote first: a client that named a version gets its conflict (or
            // NOT_FOUND once the channel is gone); otherwise merge again onto the newer version.
            if (clientEtag is not null)
            {
                throw await _store.GetChannelAsync(given.Name, cancellationToken).ConfigureAwait(false) is null
                    ? ChannelErrors.NotFound(given.Name)
                    : ChannelErrors.EtagMismatch(given.Name);
            }
        }

        throw ChannelErrors.TooMuchContention(given.Name);
    }

    private static async Task<IReadOnlySet<ChannelField>> FieldsToChangeAsync(UpdateChannelRequest request, ServerCallContext context, Violations violations)
    {
        if (request.UpdateMask is { Paths.Count: > 0 } mask)
        {
            return ChannelUpdate.FromMask(mask.Paths, violations);
        }

        var present = await RestBodyProperties.ReadAsync(context, context.CancellationToken).ConfigureAwait(false);
        return present is null ? ChannelUpdate.FromSetFields(request.Channel) : ChannelUpdate.FromJsonProperties(present, request.Channel, violations);
    }
}
