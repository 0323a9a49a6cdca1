using Grpc.Core;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Time;
using Tracker.Events.Validation;
using Tracker.Notifications.Delivery;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// The tracker.event.v1alpha1.ChannelService handlers, one file per RPC
/// (ChannelRpcService.Create.cs, .Get, .List, .Update, .Delete, .ListDeliveries, .Redeliver,
/// .SendTestMessage). Each checks its request (<see cref="ChannelValidator"/>), works on the
/// channels and the delivery log through <see cref="INotificationStore"/> and maps the outcome to
/// a status through <see cref="ChannelErrors"/>; gRPC, gRPC-Web and REST reach the same handler.
/// The caller, the method's scope (RpcRegistry: notifications:admin to manage, events:read to
/// read), store outages, cancellation and the audit line of writes are the call pipeline's, as
/// for the EventService. A channel's secret leaves only in CreateChannel's response; reads show
/// the URL redacted (<see cref="ChannelTargets.RedactUrl"/>) and the health the delivery log
/// gives. Handlers carry plain comments: the OpenAPI document takes each operation's summary
/// from the proto's comment.
/// </summary>
[BindServiceMethod(typeof(ChannelServiceBinding), nameof(ChannelServiceBinding.BindService))]
public sealed partial class ChannelRpcService : ChannelService.ChannelServiceBase
{
    // Updates without an etag merge again onto a newer version when another writer came first.
    private const int MaxUpdateAttempts = 10;

    private readonly INotificationStore _store;
    private readonly IReadOnlyList<IMessageSender> _senders;
    private readonly DeliveryWakeup _wakeup;
    private readonly TimeProvider _time;
    private readonly EventClock _clock;
    private readonly ChannelValidator _validator;

    public ChannelRpcService(INotificationStore store, IEnumerable<IMessageSender> senders, DeliveryWakeup wakeup, TimeProvider time, IOptions<NotificationOptions> options)
    {
        _store = store;
        _senders = senders.ToList();
        _wakeup = wakeup;
        _time = time;
        _clock = new EventClock(time);
        _validator = new ChannelValidator(options.Value);
    }

    private static void ThrowIfInvalidName(string name)
    {
        var violations = new Violations();
        ChannelValidator.CheckName(name, "name", violations);
        if (violations.Any)
        {
            throw ChannelErrors.InvalidRequest(violations);
        }
    }

    // Etags are short tokens minted here; anything longer was never one of ours.
    private static void CheckEtag(string etag, string field, Violations violations)
    {
        if (etag.Length > EventLimits.EtagChars)
        {
            violations.Add(field, $"must be at most {EventLimits.EtagChars} characters", ViolationReasons.TooLong);
        }
    }

    /// <summary>The channels as reads show them: no secret, the URL redacted, the health filled in.</summary>
    private async Task<List<Channel>> ForReadAsync(IReadOnlyList<Channel> stored, CancellationToken cancellationToken)
    {
        var health = await _store.GetHealthAsync(stored.Select(c => c.Name).ToList(), _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return stored.Select(c => ForRead(c, health.GetValueOrDefault(c.Name))).ToList();
    }

    private static Channel ForRead(Channel stored, ChannelHealth? health)
    {
        var shown = stored.Clone();
        shown.Secret = string.Empty;
        shown.Url = ChannelTargets.RedactUrl(stored.Kind, stored.Url);
        shown.Health = health ?? new ChannelHealth();
        return shown;
    }
}
