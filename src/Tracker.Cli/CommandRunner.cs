using System.CommandLine;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using Tracker.Cli.Options;
using Tracker.Cli.Output;

namespace Tracker.Cli;

/// <summary>
/// Runs a command's body against the server and turns how it ended into an exit code
/// (<see cref="ExitCodes"/>), with the server's message on stderr and never a stack trace.
/// </summary>
internal sealed class CommandRunner(GlobalOptions globals)
{
    /// <summary>What a command does once connected: its calls and its output, returning its exit code.</summary>
    public delegate Task<int> Body(ParseResult parse, TrackerConnection connection, EventPrinter printer, CancellationToken cancellationToken);

    /// <summary>The action of a command whose work is <paramref name="body"/>, for <see cref="Command.SetAction(Func{ParseResult, CancellationToken, Task{int}})"/>.</summary>
    public Func<ParseResult, CancellationToken, Task<int>> Action(Body body) =>
        (parse, cancellationToken) => RunAsync(parse, body, cancellationToken);

    private async Task<int> RunAsync(ParseResult parse, Body body, CancellationToken cancellationToken)
    {
        var stderr = parse.InvocationConfiguration.Error;
        TrackerConnection connection;
        try
        {
            connection = TrackerConnection.Open(parse, globals);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync("tracker: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using (connection)
        {
            var printer = new EventPrinter(parse.InvocationConfiguration.Output, parse.GetValue(globals.Output));
            try
            {
                return await body(parse, connection, printer, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested && e.StatusCode == StatusCode.Cancelled)
            {
                return ExitCodes.Interrupted;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            catch (RpcException e)
            {
                await stderr.WriteAsync(Describe(e, connection.Address)).ConfigureAwait(false);
                return ExitCodes.For(e.StatusCode);
            }
            catch (UsageException e)
            {
                await stderr.WriteLineAsync("tracker: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }
    }

    /// <summary>
    /// The error as the server gave it: its code, its message (which names the field and the rule),
    /// and each field violation of its BadRequest detail that the message does not already show.
    /// </summary>
    private static string Describe(RpcException e, Uri address)
    {
        var text = new StringBuilder();
        if (ConnectionFailure(e.Status.DebugException) is { } failure)
        {
            text.AppendLine($"tracker: cannot reach {address}: {failure} ({StatusName(e.StatusCode)})");
            return text.ToString();
        }

        text.AppendLine($"tracker: {StatusName(e.StatusCode)}: {e.Status.Detail}");
        var violations = e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        foreach (var violation in violations.Where(v => !e.Status.Detail.Contains(v.Description, StringComparison.Ordinal)))
        {
            text.AppendLine($"  {violation.Field}: {violation.Description}");
        }

        return text.ToString();
    }

    // Why no connection could be made (connection refused, unknown host), from the innermost
    // socket or HTTP error that Grpc.Net.Client wraps; null for a status the server sent.
    private static string? ConnectionFailure(Exception? exception)
    {
        string? reason = null;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException or HttpRequestException)
            {
                reason = e.Message;
            }
        }

        return reason;
    }

    // INVALID_ARGUMENT, as gRPC names its codes everywhere else (grpcurl, buf curl, the REST body).
    private static string StatusName(StatusCode code)
    {
        var name = new StringBuilder();
        foreach (var c in code.ToString())
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(c));
        }

        return name.ToString();
    }
}
