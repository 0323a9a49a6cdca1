using System.CommandLine;
using Tracker.Cli.Commands;
using Tracker.Cli.Options;

namespace Tracker.Cli;

/// <summary>The command tree of <c>tracker</c>: <c>events create|get|update|delete|list|search|watch</c> and <c>deploy start|finish</c>.</summary>
internal static class TrackerCommandLine
{
    public static RootCommand Build(TimeProvider clock)
    {
        var globals = new GlobalOptions();
        var runner = new CommandRunner(globals);
        var root = new RootCommand(
            "tracker: record events and deployments in Tracker, and find them again.\n"
            + $"Settings: --url or ${GlobalOptions.UrlVariable} (the HTTP endpoint, e.g. http://localhost:8080), --api-key or ${GlobalOptions.ApiKeyVariable}.\n\n"
            + ExitCodes.Help);
        globals.AddTo(root);
        root.Add(new Command("events", "Record, change and find events.")
        {
            EventCommands.Create(runner, clock),
            EventCommands.Get(runner),
            EventCommands.Update(runner, clock),
            EventCommands.Delete(runner),
            ListingCommands.List(runner),
            ListingCommands.Search(runner),
            WatchCommand.Create(runner),
        });
        root.Add(new Command("deploy", "Record a deployment from a pipeline: start it, then finish it with its outcome.")
        {
            DeployCommands.Start(runner, clock),
            DeployCommands.Finish(runner, clock),
        });
        return root;
    }
}
