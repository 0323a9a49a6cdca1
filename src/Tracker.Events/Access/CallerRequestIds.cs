namespace Tracker.Events.Access;

/// <summary>
/// Keeps each caller's request_ids apart (README, "Securing Tracker"): the store sees a request_id qualified by
/// the caller's name, so one team's pipeline can neither be answered with another team's event nor
/// pre-empt its creates by guessing its ids. While authentication is off (no name) the id is
/// stored as sent, as before.
/// </summary>
internal static class CallerRequestIds
{
    /// <summary>The id the store keeps for <paramref name="requestId"/> sent by <paramref name="caller"/>; null when none was sent.</summary>
    public static string? Scoped(Caller caller, string requestId) =>
        requestId.Length == 0 ? null
        : caller.Name.Length == 0 ? requestId
        // The name's length first, so "a" + "b/c" and "a/b" + "c" stay apart.
        : $"{caller.Name.Length}:{caller.Name}/{requestId}";
}
