using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Pipeline;
using Tracker.Events.Time;
using Tracker.Events.Validation;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // CreateChannel (AIP-133): stores the channel with its times and etag; a webhook without a
    // secret gets a generated one. The response is the only one that ever carries the secret.
    public override async Task<Channel> CreateChannel(CreateChannelRequest request, ServerCallContext context)
    {
        var given = request.Channel ?? new Channel();
        var violations = new Violations();
        _validator.Validate(given, violations);
        if (violations.Any)
        {
            throw ChannelErrors.InvalidChannel(violations);
        }

        var now = EventClock.ToTimestamp(_clock.Now());
        var channel = new Channel
        {
            Name = given.Name,
            Kind = given.Kind,
            Url = given.Url,
            EmailTo = { given.EmailTo },
            Filter = given.Filter,
            ChangeTypes = { given.ChangeTypes },
            Disabled = given.Disabled,
            Secret = given.Kind == ChannelKind.Webhook && given.Secret.Length == 0 ? ChannelTargets.GenerateSecret() : given.Secret,
            CreateTime = now,
            UpdateTime = now,
            Etag = EventIdentity.NewEtag(),
        };
        if (!await _store.CreateChannelAsync(channel, context.CancellationToken).ConfigureAwait(false))
        {
            throw ChannelErrors.AlreadyExists(channel.Name);
        }

        WriteAudit.Done(context, channel.Name, "created");
        var created = channel.Clone();
        created.Health = new ChannelHealth();
        return created;
    }
}
