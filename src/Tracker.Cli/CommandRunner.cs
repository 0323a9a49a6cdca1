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
            var printer = new EventPrinter(parse.InvocationConfiguration.Output, stderr, parse.GetValue(globals.Output) ?? OutputFormat.Table, TerminalWidth());
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
                var failure = ConnectionFailure(e.Status.DebugException);
                await stderr.WriteAsync(Describe(e, connection, failure)).ConfigureAwait(false);
                // No answer at all (refused, unknown host, a TLS handshake with a plain port) is
                // worth retrying or fixing the URL, whatever status Grpc.Net.Client gave it.
                return failure is null ? ExitCodes.For(e.StatusCode) : ExitCodes.Unavailable;
            }
            catch (ConflictException e)
            {
                await stderr.WriteLineAsync("tracker: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Conflict;
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
    private static string Describe(RpcException e, TrackerConnection connection, string? failure)
    {
        var address = connection.Address;
        var text = new StringBuilder();
        if (failure is not null)
        {
            text.AppendLine($"tracker: cannot reach {address}: {failure} ({StatusName(e.StatusCode)})");
            if (IsTlsFailure(e.Status.DebugException))
            {
                text.AppendLine($"  Is the endpoint plain HTTP? Tracker's HTTP port speaks h2c unless TLS is set up: use http://{address.Authority}.");
            }

            return text.ToString();
        }

        if (e.StatusCode == StatusCode.DeadlineExceeded && (e.Status.Detail.Length == 0 || e.Status.Detail == "Deadline Exceeded"))
        {
            text.AppendLine($"tracker: DEADLINE_EXCEEDED: no answer from {address} within {connection.CallTimeout.TotalSeconds:0.###}s (--call-timeout sets the limit; default 30s).");
            return text.ToString();
        }

        text.AppendLine($"tracker: {StatusName(e.StatusCode)}: {e.Status.Detail}");
        if (e.Status.Detail.StartsWith("Bad gRPC response", StringComparison.Ordinal))
        {
            // A web server, a proxy path or the metrics port answered, not Tracker's gRPC service.
            text.AppendLine($"  {address} may not be Tracker's HTTP endpoint (--url or ${GlobalOptions.UrlVariable}, e.g. http://localhost:8080).");
        }

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

    // The terminal's width, to fit a table into; none when stdout is a pipe or a file, where a line
    // is read by a program rather than wrapped on a screen.
    private static int? TerminalWidth()
    {
        try
        {
            return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? null : Console.WindowWidth;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // A TLS handshake that failed, typically https:// to a port that speaks plain HTTP.
    private static bool IsTlsFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException
                || e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
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
