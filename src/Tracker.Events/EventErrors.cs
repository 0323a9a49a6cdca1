using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Tracker.Events.Validation;
using RpcStatus = Google.Rpc.Status;

namespace Tracker.Events;

/// <summary>
/// Builds every RpcException the EventService sends (and, through <see cref="Build"/>, the
/// ChannelService's), each from a google.rpc.Status with typed
/// details (Grpc.StatusProto's <c>ToRpcException</c>), so codes, messages and details stay
/// consistent: gRPC clients read them from <c>grpc-status-details-bin</c>, REST clients get the
/// same Status as the JSON body. Messages are for developers and never carry internal details;
/// echoed client input is shortened so an error never grows with the request.
/// </summary>
internal static class EventErrors
{
    private const string EventResourceType = "tracker.event.v1alpha1.Event";
    private const string Domain = "tracker";
    private const int MaxEchoedLength = 64;
    private const int MaxSummarized = 5;

    /// <summary>INVALID_ARGUMENT for an event that breaks its rules, listing every violation.</summary>
    public static RpcException InvalidEvent(Violations violations) => Invalid("Invalid event", violations);

    /// <summary>INVALID_ARGUMENT for a request (paging, filters, ids) that breaks its rules.</summary>
    public static RpcException InvalidRequest(Violations violations) => Invalid("Invalid request", violations);

    /// <summary>INVALID_ARGUMENT with one field violation.</summary>
    public static RpcException InvalidRequest(string field, string description, string reason)
    {
        var violations = new Violations();
        violations.Add(field, description, reason);
        return InvalidRequest(violations);
    }

    /// <summary>NOT_FOUND, with a ResourceInfo naming the event.</summary>
    public static RpcException NotFound(string id) => Build(
        Code.NotFound,
        $"Event '{Echo(id)}' was not found.",
        new ResourceInfo { ResourceType = EventResourceType, ResourceName = id, Description = "No event has this id." });

    /// <summary>ABORTED when the event's etag is no longer the one the client sent (AIP-154).</summary>
    public static RpcException EtagMismatch(string id) => Build(
        Code.Aborted,
        $"Event '{Echo(id)}' has changed since the given etag was read; get it again and retry.",
        new ErrorInfo { Reason = "ETAG_MISMATCH", Domain = Domain });

    /// <summary>ABORTED when concurrent writers kept winning; the client may simply retry.</summary>
    public static RpcException TooMuchContention(string id) => Build(
        Code.Aborted,
        $"Event '{Echo(id)}' is being changed concurrently; retry.",
        new ErrorInfo { Reason = "CONCURRENT_UPDATE", Domain = Domain });

    /// <summary>
    /// INTERNAL for a request message whose bytes are not the protobuf encoding of its type, as
    /// grpc-go and grpc-java answer; the parser's own message, which says only how the bytes are
    /// wrong, is not sent.
    /// </summary>
    public static RpcException UndecodableRequest(string messageType) => Build(
        Code.Internal,
        $"The request message is not a valid {messageType} (protobuf encoding).");

    /// <summary>CANCELLED for a call its client cancelled or left.</summary>
    public static RpcException Cancelled() => Build(
        Code.Cancelled,
        "The call was cancelled by its client.");

    /// <summary>DEADLINE_EXCEEDED for a call stopped because its deadline (grpc-timeout) passed.</summary>
    public static RpcException DeadlineExceeded() => Build(
        Code.DeadlineExceeded,
        "The call's deadline passed before it completed.");

    /// <summary>UNAVAILABLE while the store cannot be reached; the cause is logged, never sent.</summary>
    public static RpcException StoreUnavailable() => Build(
        Code.Unavailable,
        "The event store is unavailable; retry later.");

    /// <summary>
    /// RESOURCE_EXHAUSTED for a watcher more than its buffer behind; the message and the
    /// ErrorInfo's metadata name the last change delivered, to resume from.
    /// </summary>
    public static RpcException WatcherFellBehind(int bufferSize, string lastChangeId) => Build(
        Code.ResourceExhausted,
        $"The watcher fell more than {bufferSize} changes behind and was ended; watch again with after_id=\"{lastChangeId}\", the last change delivered, to continue without a gap.",
        new ErrorInfo { Reason = "WATCHER_FELL_BEHIND", Domain = Domain, Metadata = { ["last_change_id"] = lastChangeId } });

    /// <summary>OUT_OF_RANGE for a watch resuming from a position the change log no longer keeps.</summary>
    public static RpcException ChangesExpired(string afterId, long purgedThrough) => Build(
        Code.OutOfRange,
        $"The changes after \"{Echo(afterId)}\" are no longer kept: the change log has dropped every change up to {purgedThrough} (Tracker:Watch:ChangeRetention). Watch again with send_initial_events.",
        new ErrorInfo { Reason = "CHANGES_EXPIRED", Domain = Domain, Metadata = { ["purged_through"] = purgedThrough.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

    /// <summary>UNAVAILABLE for a watch ended by the server shutting down; the message names where to resume.</summary>
    public static RpcException WatchInterrupted(string lastChangeId) => Build(
        Code.Unavailable,
        $"The server is shutting down; watch again with after_id=\"{lastChangeId}\", the last change delivered, to continue without a gap.",
        new ErrorInfo { Reason = "SERVER_STOPPING", Domain = Domain, Metadata = { ["last_change_id"] = lastChangeId } });

    /// <summary>
    /// UNAUTHENTICATED (HTTP 401) for a call without usable credentials, with an ErrorInfo whose
    /// reason is CREDENTIALS_MISSING or CREDENTIALS_INVALID; the message says what was wrong
    /// ("expired", "unknown API key") but never echoes the credential.
    /// </summary>
    public static RpcException Unauthenticated(string reason, string message) => Build(
        Code.Unauthenticated,
        message,
        new ErrorInfo { Reason = reason, Domain = Domain });

    /// <summary>PERMISSION_DENIED (HTTP 403) for a caller without the method's scope; the ErrorInfo names it.</summary>
    public static RpcException ScopeMissing(string method, string scope) => Build(
        Code.PermissionDenied,
        $"{method} needs the scope \"{scope}\" (or \"admin\"), which the caller's credentials do not grant.",
        new ErrorInfo { Reason = "SCOPE_MISSING", Domain = Domain, Metadata = { ["required_scope"] = scope, ["method"] = method } });

    /// <summary>
    /// PERMISSION_DENIED (HTTP 403) for a write the caller's services do not allow: an event of
    /// another service, one the write would move to another service, or (for a caller that may not
    /// read events) one that does not exist. One refusal for all, in AIP-211's words, naming
    /// neither the event's service nor anything else about it; the ErrorInfo gives the scope
    /// and the caller's own services. <paramref name="eventId"/> is the event as the client named
    /// it, null for a new event.
    /// </summary>
    public static RpcException ServiceNotAllowed(string scope, string? eventId, Access.ServicePatterns allowed) => Build(
        Code.PermissionDenied,
        (eventId is null ? $"Permission \"{scope}\" denied on the new event" : $"Permission \"{scope}\" denied on event '{Echo(eventId)}' (or it might not exist)")
            + $": the caller may write only events of the services {allowed.Describe()}.",
        new ErrorInfo { Reason = "SERVICE_NOT_ALLOWED", Domain = Domain, Metadata = { ["required_scope"] = scope, ["allowed_services"] = string.Join(",", allowed.Patterns) } });

    /// <summary>
    /// PERMISSION_DENIED for a method the call pipeline has no entry for in
    /// <see cref="Access.RpcRegistry"/>: a method nobody said how to guard is refused, never run.
    /// </summary>
    public static RpcException MethodNotRegistered(string method) => Build(
        Code.PermissionDenied,
        $"{Echo(method)} has no access rule on this server, so every call to it is refused.",
        new ErrorInfo { Reason = "METHOD_NOT_REGISTERED", Domain = Domain, Metadata = { ["method"] = method } });

    /// <summary>UNAVAILABLE while the token issuer's keys cannot be fetched to check a token; the cause is logged.</summary>
    public static RpcException IssuerUnavailable() => Build(
        Code.Unavailable,
        "The token issuer cannot be reached to check the bearer token; retry later.");

    /// <summary>INVALID_ARGUMENT "&lt;subject&gt;: &lt;the first violations&gt;" with every violation as a BadRequest (ChannelService's errors are built here too).</summary>
    internal static RpcException Invalid(string subject, Violations violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Items);
        var summary = string.Join("; ", violations.Items.Take(MaxSummarized).Select(v => $"{v.Field} {v.Description}"));
        var more = violations.Items.Count - MaxSummarized + violations.Omitted;
        if (more > 0)
        {
            summary += $" (and {more} more)";
        }

        return Build(Code.InvalidArgument, $"{subject}: {summary}", badRequest);
    }

    /// <summary>A status with typed details, as every error of the API is built.</summary>
    internal static RpcException Build(Code code, string message, params IMessage[] details)
    {
        var status = new RpcStatus { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    /// <summary>Client input as an error message echoes it: at most 64 characters.</summary>
    internal static string Echo(string value) =>
        value.Length <= MaxEchoedLength ? value : string.Concat(value.AsSpan(0, MaxEchoedLength), "...");
}
