using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Tracker.Events.Postgres;

/// <summary>
/// Builds the one pooled data source of a store. Where the connection string leaves them out,
/// it sets defaults that suit a request path: a short connect timeout so calls fail fast while
/// PostgreSQL is down, a bounded command timeout, and automatic preparation of the few
/// statements the store repeats. Its commands make spans (for Npgsql.OpenTelemetry) only inside a
/// trace, beneath the store call of a request, and opening a connection makes none: the change
/// feed's polls, the change listener and the health check would otherwise each start a trace of
/// their own every second or two. Its diagnostics name is <see cref="DiagnosticsName"/>, so traces
/// and metrics name the pool by that instead of quoting the connection string.
/// </summary>
public static class PostgresConnectionFactory
{
    public const int DefaultConnectTimeoutSeconds = 3;
    public const int DefaultCommandTimeoutSeconds = 15;
    public const int DefaultMaxAutoPrepare = 32;
    public const string DiagnosticsName = "tracker";

    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        ApplyDefaults(builder.ConnectionStringBuilder, GivenKeys(connectionString));
        builder.Name = DiagnosticsName;
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .EnablePhysicalOpenTracing(false));
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }

    private static void ApplyDefaults(NpgsqlConnectionStringBuilder settings, HashSet<string> given)
    {
        if (!given.Contains("timeout"))
        {
            settings.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (!given.Contains("commandtimeout"))
        {
            settings.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        if (!given.Contains("maxautoprepare"))
        {
            settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!given.Contains("applicationname"))
        {
            settings.ApplicationName = "tracker";
        }
    }

    // Keys as written, lower case without spaces, so "Command Timeout" and "CommandTimeout" match.
    private static HashSet<string> GivenKeys(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }
}
