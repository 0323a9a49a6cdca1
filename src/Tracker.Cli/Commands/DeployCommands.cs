using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Option = System.CommandLine.Option;
using Tracker.Api.V1Alpha1;
using Tracker.Cli.Options;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Cli.Commands;

/// <summary>
/// <c>tracker deploy start|finish</c>: a deployment as a pipeline sees it. start records an event
/// of type deployment with status start and start date now, and prints it (<c>--output id</c>
/// prints only its id, for <c>id=$(tracker deploy start ... --output id)</c>); finish closes that
/// event with its outcome, an end date (now unless given) and the links.
/// </summary>
internal static class DeployCommands
{
    public static Command Start(CommandRunner runner, TimeProvider clock)
    {
        var fields = new EventFieldOptions(clock);
        var requestId = new Option<string?>("--request-id")
        {
            Description = "Makes the start idempotent, e.g. the pipeline's run id: a retried step gets the same event back.",
            HelpName = "text",
        };
        var command = new Command(
            "start",
            "Record a deployment (type deployment, status start, start date now) and print it; --output id prints only its id. "
            + "--service is required; the title defaults to 'Deploy <service> to <environment>'.");
        fields.Service.Required = true;
        fields.AddTo(command, except: [fields.Type, fields.Status]);
        command.Add(requestId);
        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var attributes = fields.AttributesOf(parse);
            attributes.Type = Type.Deployment;
            attributes.Status = Status.Start;
            attributes.StartDate ??= Timestamp.FromDateTimeOffset(clock.GetUtcNow());
            var request = new CreateEventRequest
            {
                Title = fields.TitleOf(parse) ?? DefaultTitle(attributes),
                Attributes = attributes,
                Links = fields.LinksOf(parse),
                RequestId = parse.GetValue(requestId) ?? "",
            };
            var created = await connection.Events.CreateEventAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteEventAsync(created).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Finish(CommandRunner runner, TimeProvider clock)
    {
        var fields = new EventFieldOptions(clock);
        var id = EventCommands.IdArgument();
        id.Description = "The id deploy start printed.";
        fields.Status.Required = true;
        fields.Status.Description = "The outcome: success or failure.";
        fields.Status.HelpName = "success|failure";
        fields.Status.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<Status?>() is { } status && status is not (Status.Success or Status.Failure))
            {
                result.AddError($"Invalid value '{result.Tokens[^1].Value}' for --status: deploy finish takes success or failure.");
            }
        });
        var command = new Command(
            "finish",
            "Close a deployment: set its status (--status success|failure), its end date (now unless --end-date) and the links given, and print it.")
        {
            id,
        };
        foreach (Option option in (Option[])[fields.Status, fields.EndDate, fields.PullRequestLink, fields.Ticket, fields.Message, fields.Labels, fields.Severity, fields.Reason])
        {
            command.Add(option);
        }

        command.SetAction(runner.Action(async (parse, connection, printer, cancellationToken) =>
        {
            var eventId = parse.GetRequiredValue(id);
            var deployment = await connection.Events.GetEventAsync(new GetEventRequest { Id = eventId }, connection.Call(cancellationToken)).ConfigureAwait(false);
            EnsureOpenDeployment(deployment);
            var attributes = fields.AttributesOf(parse);
            attributes.EndDate ??= Timestamp.FromDateTimeOffset(clock.GetUtcNow());
            // The etag read: a finish racing another one ends in ABORTED (exit code 6), not in two outcomes.
            var request = new UpdateEventRequest { Id = eventId, Attributes = attributes, Links = fields.LinksOf(parse), Etag = deployment.Etag };
            var finished = await connection.Events.UpdateEventAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteEventAsync(finished).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // Only a deployment that has not finished yet can be finished: a second finish would turn a
    // failure into a success without a word, and another type of event is not a deployment.
    private static void EnsureOpenDeployment(Event e)
    {
        var type = e.Attributes?.Type ?? Type.Unspecified;
        if (type != Type.Deployment)
        {
            throw new ConflictException($"FAILED_PRECONDITION: event {e.Id} is of type {ProtoEnumOption.ShortName(type)}, not deployment: deploy finish closes deployments only (use events update).");
        }

        var status = e.Attributes!.Status;
        if (status is Status.Success or Status.Failure)
        {
            throw new ConflictException($"FAILED_PRECONDITION: deployment {e.Id} is finished already, with status {ProtoEnumOption.ShortName(status)}; use events update to change it.");
        }
    }

    private static string DefaultTitle(EventAttributes attributes) =>
        attributes.HasEnvironment
            ? $"Deploy {attributes.Service} to {ProtoEnumOption.ShortName(attributes.Environment)}"
            : $"Deploy {attributes.Service}";
}
