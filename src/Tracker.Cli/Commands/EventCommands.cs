using System.CommandLine;
using Tracker.Api.V1Alpha1;
using Tracker.Cli.Options;

namespace Tracker.Cli.Commands;

/// <summary><c>tracker events create|get|update|delete</c>: one event at a time (CreateEvent, GetEvent, UpdateEvent, DeleteEvent).</summary>
internal static class EventCommands
{
    public static Command Create(CommandRunner runner, TimeProvider clock)
    {
        var fields = new EventFieldOptions(clock);
        var requestId = new Option<string?>("--request-id")
        {
            Description = "Makes the create idempotent: a retry with the same id returns the first event instead of a second one (at most 128 characters).",
            HelpName = "text",
        };
        var aggregationKey = new Option<string?>("--aggregation-key")
        {
            Description = "Folds repeats: a create with the key of an event of the same service seen within the fold window counts it again instead of creating one.",
            HelpName = "text",
        };
        var command = new Command("create", "Record an event and print it (CreateEvent). Requires --title, --type and --service.");
        fields.AddTo(command);
        command.Add(requestId);
        command.Add(aggregationKey);
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var request = new CreateEventRequest
            {
                Title = fields.TitleOf(parse) ?? "",
                Attributes = fields.AttributesOf(parse),
                Links = fields.LinksOf(parse),
                RequestId = parse.GetValue(requestId) ?? "",
                AggregationKey = parse.GetValue(aggregationKey) ?? "",
            };
            var created = await connection.Events.CreateEventAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteEventAsync(created).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Get(CommandRunner runner)
    {
        var id = IdArgument();
        var command = new Command("get", "Print one event (GetEvent); exit code 3 when there is none.") { id };
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var found = await connection.Events.GetEventAsync(new GetEventRequest { Id = parse.GetRequiredValue(id) }, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteEventAsync(found).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Update(CommandRunner runner, TimeProvider clock)
    {
        var fields = new EventFieldOptions(clock);
        var id = IdArgument();
        var etag = EtagOption("Update only if the event is still at this etag; exit code 6 if it changed meanwhile.");
        var command = new Command("update", "Change the fields given as flags, and only those, and print the event after the update (UpdateEvent).") { id };
        fields.AddTo(command);
        command.Add(etag);
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var request = new UpdateEventRequest
            {
                Id = parse.GetRequiredValue(id),
                Attributes = fields.AttributesOf(parse),
                Links = fields.LinksOf(parse),
                Etag = parse.GetValue(etag) ?? "",
            };
            if (fields.TitleOf(parse) is { } title)
            {
                request.Title = title;
            }

            var updated = await connection.Events.UpdateEventAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteEventAsync(updated).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Delete(CommandRunner runner)
    {
        var id = IdArgument();
        var etag = EtagOption("Delete only if the event is still at this etag; exit code 6 if it changed meanwhile.");
        var allowMissing = new Option<bool>("--allow-missing") { Description = "Succeed (exit code 0) when there is no such event, instead of exit code 3." };
        var command = new Command("delete", "Delete an event (DeleteEvent).") { id, etag, allowMissing };
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var request = new DeleteEventRequest { Id = parse.GetRequiredValue(id), Etag = parse.GetValue(etag) ?? "", AllowMissing = parse.GetValue(allowMissing) };
            // DeleteEvent answers the same whether or not the event was there: look first, to say which.
            var existed = !request.AllowMissing || await ExistsAsync(connection, request.Id, cancellationToken).ConfigureAwait(false);
            await connection.Events.DeleteEventAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteDeletedAsync(request.Id, existed).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<bool> ExistsAsync(TrackerConnection connection, string id, CancellationToken cancellationToken)
    {
        try
        {
            await connection.Events.GetEventAsync(new GetEventRequest { Id = id }, connection.Call(cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The event id, the first argument of get, update, delete and deploy finish.</summary>
    public static Argument<string> IdArgument() => new("id") { Description = "The event's id." };

    private static Option<string?> EtagOption(string description) => new("--etag") { Description = description, HelpName = "etag" };
}
