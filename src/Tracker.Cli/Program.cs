using Tracker.Cli;

// tracker: parse, report a bad command line with exit code 2 (System.CommandLine's own is 1),
// then run the command, whose exit code says how it ended (ExitCodes).
var parse = TrackerCommandLine.Build(TimeProvider.System).Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("tracker: " + error.Message).ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync("Run 'tracker --help' or 'tracker <command> --help' for usage.").ConfigureAwait(false);
    return ExitCodes.Usage;
}

return await parse.InvokeAsync().ConfigureAwait(false);
