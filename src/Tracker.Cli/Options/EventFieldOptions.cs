using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Option = System.CommandLine.Option;
using Tracker.Api.V1Alpha1;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Cli.Options;

/// <summary>
/// The fields of an event as kebab-case flags (the proto field names: <c>--related-id</c> is
/// attributes.related_id), shared by events create, events update and the deploy commands. Only
/// the flags given are set, so an update changes only those fields (proto3 presence; see
/// UpdateEventRequest); a text flag given an empty value counts as not given. The server
/// validates the values and names the field in its errors.
/// </summary>
internal sealed class EventFieldOptions
{
    public EventFieldOptions(TimeProvider clock)
    {
        StartDate = TimestampOption("--start-date", "When it started: 'now', RFC 3339 with an offset or Z (2024-01-15T10:00:00Z), or a date (2024-01-15, midnight UTC). The event's time for search.", clock);
        EndDate = TimestampOption("--end-date", "When it ended: 'now', RFC 3339 with an offset or Z, or a date (midnight UTC); not before --start-date.", clock);
    }

    public Option<string?> Title { get; } = Text("--title", "Short, descriptive title; required on create, 1 to 500 characters.");

    public Option<Type?> Type { get; } = ProtoEnumOption.Create<Type>("--type", "The kind of event; required on create.");

    public Option<string?> Service { get; } = Text("--service", "The service or component concerned; required on create (unless --related-id names an event to take it from).");

    public Option<Api.V1Alpha1.Environment?> Environment { get; } = ProtoEnumOption.Create<Api.V1Alpha1.Environment>("--environment", "The environment concerned.");

    public Option<Status?> Status { get; } = ProtoEnumOption.Create<Status>("--status", "The event's state.");

    public Option<Priority?> Priority { get; } = ProtoEnumOption.Create<Priority>("--priority", "How urgent it is.");

    public Option<Impact?> Impact { get; } = ProtoEnumOption.Create<Impact>("--impact", "The business impact.");

    public Option<Severity?> Severity { get; } = ProtoEnumOption.Create<Severity>("--severity", "How severe it is.");

    public Option<string?> Owner { get; } = Text("--owner", "The team or person responsible.");

    public Option<string?> Message { get; } = Text("--message", "Detailed description, at most 16 KiB.");

    public Option<string?> Source { get; } = Text("--source", "Where the event comes from, e.g. github_actions, jenkins, manual.");

    public Option<string?> Reason { get; } = Text("--reason", "Machine-readable reason in UpperCamelCase, e.g. QuotaExceeded.");

    public Option<int?> Code { get; } = new("--code")
    {
        Description = "Numeric event code from the emitting system.",
        HelpName = "number",
        CustomParser = result => ValueParsers.WholeNumber(result, "--code"),
    };

    public Option<string?> RelatedId { get; } = Text("--related-id", "The id of an existing event this one follows, e.g. the deployment a rollback undoes.");

    public Option<Timestamp?> StartDate { get; }

    public Option<Timestamp?> EndDate { get; }

    public Option<string[]> StakeHolders { get; } = List("--stake-holder", "A team affected; repeat the flag for several.", "--stake-holders");

    // A string, not a bool: System.CommandLine leaves a value that is not a bool ("yes") to the
    // next argument, and would report it as an unknown argument rather than a bad value.
    public Option<string?> Notification { get; } = new("--notification")
    {
        Description = "Whether notifications should be sent (true or false).",
        HelpName = "true|false",
        Validators = { result => ValueParsers.Boolean(result, "--notification") },
    };

    public Option<string[]> Notifications { get; } = List("--notifications", "A channel to notify, e.g. slack; repeat the flag for several.", "--notify");

    public Option<Dictionary<string, string>> Labels { get; } = new("--label", "--labels")
    {
        Description = "A label as key=value, e.g. --label version=1.4.2; repeat the flag for several.",
        HelpName = "key=value",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = result => ValueParsers.Labels(result, "--label"),
    };

    public Option<string?> PullRequestLink { get; } = Text("--pull-request-link", "The pull or merge request, an absolute http(s) URL.", "--link");

    public Option<string?> Ticket { get; } = Text("--ticket", "The ticket id, e.g. PROJ-456.");

    /// <summary>Every flag, in the order --help lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Title, Type, Service, Environment, Status, Priority, Impact, Severity, Owner, Message, Source, Reason, Code,
        RelatedId, StartDate, EndDate, StakeHolders, Notification, Notifications, Labels, PullRequestLink, Ticket,
    ];

    /// <summary>Adds the flags to a command, but for those in <paramref name="except"/>.</summary>
    public void AddTo(Command command, params Option[] except)
    {
        foreach (var option in All.Except(except))
        {
            command.Add(option);
        }
    }

    /// <summary>The title given, or null.</summary>
    public string? TitleOf(ParseResult parse) => TextOf(parse, Title);

    /// <summary>The attributes given, each set only when its flag is (proto3 presence).</summary>
    public EventAttributes AttributesOf(ParseResult parse)
    {
        var attributes = new EventAttributes();
        if (parse.GetValue(Type) is { } type) attributes.Type = type;
        if (TextOf(parse, Service) is { } service) attributes.Service = service;
        if (parse.GetValue(Environment) is { } environment) attributes.Environment = environment;
        if (parse.GetValue(Status) is { } status) attributes.Status = status;
        if (parse.GetValue(Priority) is { } priority) attributes.Priority = priority;
        if (parse.GetValue(Impact) is { } impact) attributes.Impact = impact;
        if (parse.GetValue(Severity) is { } severity) attributes.Severity = severity;
        if (TextOf(parse, Owner) is { } owner) attributes.Owner = owner;
        if (TextOf(parse, Message) is { } message) attributes.Message = message;
        if (TextOf(parse, Source) is { } source) attributes.Source = source;
        if (TextOf(parse, Reason) is { } reason) attributes.Reason = reason;
        if (parse.GetValue(Code) is { } code) attributes.Code = code;
        if (TextOf(parse, RelatedId) is { } relatedId) attributes.RelatedId = relatedId;
        if (parse.GetValue(StartDate) is { } startDate) attributes.StartDate = startDate;
        if (parse.GetValue(EndDate) is { } endDate) attributes.EndDate = endDate;
        if (parse.GetValue(Notification) is { } notification) attributes.Notification = bool.Parse(notification.Trim());
        attributes.StakeHolders.Add((parse.GetValue(StakeHolders) ?? []).Where(v => !string.IsNullOrWhiteSpace(v)));
        attributes.Notifications.Add((parse.GetValue(Notifications) ?? []).Where(v => !string.IsNullOrWhiteSpace(v)));
        attributes.Labels.Add(parse.GetValue(Labels) ?? []);
        return attributes;
    }

    /// <summary>The links given, or null when neither flag is.</summary>
    public EventLinks? LinksOf(ParseResult parse)
    {
        var link = TextOf(parse, PullRequestLink);
        var ticket = TextOf(parse, Ticket);
        if (link is null && ticket is null)
        {
            return null;
        }

        var links = new EventLinks();
        if (link is not null) links.PullRequestLink = link;
        if (ticket is not null) links.Ticket = ticket;
        return links;
    }

    // An empty value counts as no flag: a pipeline's unset variable (--link "$PR_URL" on a push)
    // leaves the field as it is rather than sending an empty one.
    private static string? TextOf(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } text && !string.IsNullOrWhiteSpace(text) ? text : null;

    private static Option<string?> Text(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = "text" };

    private static Option<string[]> List(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = "text", Arity = ArgumentArity.ZeroOrMore };

    private static Option<Timestamp?> TimestampOption(string name, string description, TimeProvider clock) =>
        new(name) { Description = description, HelpName = "time", CustomParser = result => ValueParsers.Timestamp(result, name, clock) };
}
