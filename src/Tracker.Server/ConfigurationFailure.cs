using System.Reflection;
using Microsoft.Extensions.Options;

namespace Tracker.Server;

/// <summary>
/// Runs the host, and ends it cleanly when its configuration is wrong. A setting that fails its
/// validation (OptionsValidationException: "Limits:MaxConcurrentWrites must be at least 1.") or
/// cannot be read as its type ("Failed to convert configuration value 'abc' at
/// 'Limits:QueueLength' ...") or names an address another process holds ("Failed to bind to
/// address http://127.0.0.1:8080: address already in use.", after the host's own log of it) is written to standard error, one line per reason, and the process
/// exits with <see cref="ExitCode"/>, rather than with an unhandled exception's abort (134).
/// The settings are checked before the host starts, so that the host does not log its own
/// "Hosting failed to start" with a stack trace first.
/// </summary>
internal static class ConfigurationFailure
{
    /// <summary>The exit code of a server that would not start with its configuration: 2, as a command-line usage error.</summary>
    public const int ExitCode = 2;

    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
            if (OwnsTheProcess)
            {
                // What the host would run first thing in StartAsync (ValidateOnStart).
                app.Services.GetService<IStartupValidator>()?.Validate();
            }

            app.Run();
            return 0;
        }
        catch (Exception e) when (OwnsTheProcess && ReasonsOf(e) is { } reasons)
        {
            foreach (var reason in reasons)
            {
                Console.Error.WriteLine($"Tracker cannot start: {reason}");
            }

            return ExitCode;
        }
    }

    // Only a server that is its own process ends it with an exit code: a host that a test harness
    // (WebApplicationFactory) runs from this entry point hands the exception on to the harness.
    private static bool OwnsTheProcess => Assembly.GetEntryAssembly() == typeof(ConfigurationFailure).Assembly;

    private static IEnumerable<string>? ReasonsOf(Exception e) => e switch
    {
        OptionsValidationException invalid => invalid.Failures,
        InvalidOperationException unreadable when unreadable.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [unreadable.Message],
        // Kestrel's own message names the endpoint's address; the setting that moves it is added.
        IOException bind when bind.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException =>
            [$"{bind.Message} Stop the process that holds it, or move the endpoint with Kestrel:Endpoints:Http:Url or Kestrel:Endpoints:Grpc:Url."],
        // Start-up validation throws one of these per section at fault when several are.
        AggregateException several when several.InnerExceptions.Select(ReasonsOf).ToList() is var reasons && reasons.All(r => r is not null) => reasons.SelectMany(r => r!),
        _ => null,
    };
}
