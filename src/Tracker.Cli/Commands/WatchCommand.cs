using System.CommandLine;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Cli.Options;

namespace Tracker.Cli.Commands;

/// <summary>
/// <c>tracker events watch</c>: prints every change to the matching events as it is committed
/// (WatchEvents), until interrupted (Ctrl+C), --timeout or --max-changes; each of those ends it
/// with exit code 0. A stream the server ends with an error exits with that error's code.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CommandRunner runner)
    {
        var filter = new Option<string?>("--filter") { Description = "An AIP-160 filter: only changes to the events that match.", HelpName = "text" };
        var query = new Option<string?>("--query") { Description = "The same as MongoDB-style JSON (the MWS dialect). Not with --filter.", HelpName = "text" };
        var afterId = new Option<string?>("--after-id")
        {
            Description = "Where to start: the change id of the last change received (to resume), an event's id, or 0 for every change kept. Default: from now on.",
            HelpName = "id",
        };
        var sendInitialEvents = new Option<bool>("--send-initial-events") { Description = "First print every matching event as it is now, then the changes. Not with --after-id." };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "Stop after this long, e.g. 30s, 5m, 1h (exit code 0). Default: until interrupted.",
            HelpName = "duration",
            CustomParser = result => ValueParsers.Duration(result, "--timeout"),
        };
        var maxChanges = new Option<int?>("--max-changes")
        {
            Description = "Stop after this many changes, at least 1 (exit code 0).",
            HelpName = "number",
            CustomParser = result => ValueParsers.WholeNumber(result, "--max-changes", minimum: 1),
        };
        var command = new Command("watch", "Print each change to the events as it happens, one line each (WatchEvents); Ctrl+C stops it with exit code 0.")
        {
            filter, query, afterId, sendInitialEvents, timeout, maxChanges,
        };
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var request = new WatchEventsRequest
            {
                Filter = parse.GetValue(filter) ?? "",
                Query = parse.GetValue(query) ?? "",
                AfterId = parse.GetValue(afterId) ?? "",
                SendInitialEvents = parse.GetValue(sendInitialEvents),
            };
            var limit = parse.GetValue(maxChanges);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (parse.GetValue(timeout) is { } after)
            {
                stop.CancelAfter(after);
            }

            var received = 0;
            try
            {
                using var call = connection.Events.WatchEvents(request, connection.Stream(stop.Token));
                await AwaitOpenAsync(call, connection.CallTimeout, cancellationToken).ConfigureAwait(false);
                while ((limit is null || received < limit) && await call.ResponseStream.MoveNext(stop.Token).ConfigureAwait(false))
                {
                    if (received == 0)
                    {
                        // With the first change: a watch refused by the server (a bad filter, no
                        // credentials) leaves stdout empty.
                        await printer.WriteChangeHeaderAsync().ConfigureAwait(false);
                    }

                    await printer.WriteChangeAsync(call.ResponseStream.Current).ConfigureAwait(false);
                    received++;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
                // Ctrl+C or --timeout: the end a watch is meant to have.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The same, seen before the call started or between messages.
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    // The stream itself has no deadline, but its opening does: a server that never sends the
    // response headers (Tracker sends them once the watch is in place) is one that does not
    // answer, DEADLINE_EXCEEDED (exit 5), not a quiet watch that ends with 0 at --timeout.
    private static async Task AwaitOpenAsync(AsyncServerStreamingCall<WatchEventsResponse> call, TimeSpan callTimeout, CancellationToken interrupted)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        wait.CancelAfter(callTimeout);
        try
        {
            await call.ResponseHeadersAsync.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!interrupted.IsCancellationRequested)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, ""));
        }
    }
}
