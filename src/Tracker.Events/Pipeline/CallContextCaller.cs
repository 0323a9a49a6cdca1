using Grpc.Core;
using Tracker.Events.Access;

namespace Tracker.Events.Pipeline;

/// <summary>
/// The caller <see cref="EventCallPipeline"/> identified, kept in the call's
/// <see cref="ServerCallContext.UserState"/> for the handler. A handler reached without it did
/// not pass the pipeline, and fails rather than run for nobody in particular.
/// </summary>
internal static class CallContextCaller
{
    private static readonly object Key = typeof(CallContextCaller);

    public static void Set(ServerCallContext context, Caller caller) => context.UserState[Key] = caller;

    public static Caller Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) && caller is Caller identified
            ? identified
            : throw new InvalidOperationException($"{context.Method} reached its handler without an identified caller: the call pipeline ({nameof(EventCallPipeline)}) is not registered.");
}
