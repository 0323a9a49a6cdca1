namespace Tracker.Events.Storage;

/// <summary>
/// Thrown by a store when its database cannot be reached or answers with a transient failure.
/// The domain turns it into UNAVAILABLE; its inner exception is logged, never sent.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
