namespace Tracker.Server.Auth;

/// <summary>Authentication's log messages (source-generated).</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Authentication is off (Auth:Mode None): anyone who can reach Tracker's ports can create, change and delete every event. Set Auth:Mode to ApiKey or Jwt (README, \"Securing Tracker\").")]
    public static partial void AuthenticationOff(ILogger logger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Authentication is on: {Mode}, with {KeyCount} API keys; server reflection is {Reflection}.")]
    public static partial void AuthenticationOn(ILogger logger, string mode, int keyCount, string reflection);
}
