using Google.Rpc;
using Tracker.Events.Validation;
using Tracker.Grpc;

namespace Tracker.Events;

/// <summary>
/// Builds every RpcException the EventService sends, so codes, messages and details stay
/// consistent. Messages are for developers and never carry internal details; echoed client
/// input is shortened so an error never grows with the request.
/// </summary>
internal static class EventErrors
{
    private const string EventResourceType = "tracker.event.v1alpha1.Event";
    private const int MaxEchoedLength = 64;
    private const int MaxSummarized = 5;

    /// <summary>INVALID_ARGUMENT for an event that breaks its rules, listing every violation.</summary>
    public static RpcException InvalidEvent(Violations violations) => Invalid("Invalid event", violations);

    /// <summary>INVALID_ARGUMENT for a request (paging, filters, ids) that breaks its rules.</summary>
    public static RpcException InvalidRequest(Violations violations) => Invalid("Invalid request", violations);

    public static RpcException InvalidRequest(string field, string description, string reason)
    {
        var violations = new Violations();
        violations.Add(field, description, reason);
        return InvalidRequest(violations);
    }

    public static RpcException NotFound(string id) => new(
        StatusCode.NotFound,
        $"Event '{Echo(id)}' was not found.",
        [new ResourceInfo { ResourceType = EventResourceType, ResourceName = id, Description = "No event has this id." }]);

    public static RpcException EtagMismatch(string id) => new(
        StatusCode.Aborted,
        $"Event '{Echo(id)}' has changed since the given etag was read; get it again and retry.",
        [new ErrorInfo { Reason = "ETAG_MISMATCH", Domain = "tracker" }]);

    /// <summary>ABORTED when concurrent writers kept winning; the client may simply retry.</summary>
    public static RpcException TooMuchContention(string id) => new(
        StatusCode.Aborted,
        $"Event '{Echo(id)}' is being changed concurrently; retry.",
        [new ErrorInfo { Reason = "CONCURRENT_UPDATE", Domain = "tracker" }]);

    public static RpcException StoreUnavailable() => new(
        StatusCode.Unavailable,
        "The event store is unavailable; retry later.");

    private static RpcException Invalid(string subject, Violations violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Items);
        var summary = string.Join("; ", violations.Items.Take(MaxSummarized).Select(v => $"{v.Field} {v.Description}"));
        var more = violations.Items.Count - MaxSummarized + violations.Omitted;
        if (more > 0)
        {
            summary += $" (and {more} more)";
        }

        return new RpcException(StatusCode.InvalidArgument, $"{subject}: {summary}", [badRequest]);
    }

    private static string Echo(string value) =>
        value.Length <= MaxEchoedLength ? value : string.Concat(value.AsSpan(0, MaxEchoedLength), "...");
}
