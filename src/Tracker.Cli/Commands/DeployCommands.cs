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
        fields.Status.Description = "The outcome: success or failure (" + fields.Status.Description + ")";
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
            var attributes = fields.AttributesOf(parse);
            attributes.EndDate ??= Timestamp.FromDateTimeOffset(clock.GetUtcNow());
            var request = new UpdateEventRequest { Id = parse.GetRequiredValue(id), Attributes = attributes, Links = fields.LinksOf(parse) };
            var finished = await connection.Events.UpdateEventAsync(request, connection.Call(cancellationToken)).ConfigureAwait(false);
            await printer.WriteEventAsync(finished).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string DefaultTitle(EventAttributes attributes) =>
        attributes.HasEnvironment
            ? $"Deploy {attributes.Service} to {ProtoEnumOption.ShortName(attributes.Environment)}"
            : $"Deploy {attributes.Service}";
}
