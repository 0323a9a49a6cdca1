using Microsoft.Extensions.Options;
using Tracker.Server.Auth;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Configuration;

/// <summary>
/// Settings that stop the host at start-up, each with one reason that names the setting by its
/// configuration key and says the rule, nothing before it: the bounds (attributes checked by the
/// generated validators) and the enum settings (their names, checked before the binder reads them).
/// </summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("Auth:Mode", "Bogus", "Auth:Mode must be None, ApiKey, Jwt or ApiKey,Jwt, not 'Bogus'.")]
    [InlineData("Auth:Mode", "None,ApiKey", "Auth:Mode must be None, ApiKey, Jwt or ApiKey,Jwt, not 'None,ApiKey'.")]
    [InlineData("Auth:Mode", "1", "Auth:Mode must be None, ApiKey, Jwt or ApiKey,Jwt, not '1'.")]
    [InlineData("Auth:Mode", "", "Auth:Mode must be None, ApiKey, Jwt or ApiKey,Jwt, not ''.")]
    [InlineData("Auth:Reflection", "Closed", "Auth:Reflection must be Open or Authenticated, not 'Closed'.")]
    [InlineData("Storage:Provider", "Mongo", "Storage:Provider must be Sqlite or Postgres, not 'Mongo'.")]
    [InlineData("Limits:MaxConcurrentRequests", "0", "Limits:MaxConcurrentRequests must be at least 1.")]
    [InlineData("Limits:QueueLength", "-1", "Limits:QueueLength must be 0 or more.")]
    [InlineData("Limits:PerCaller:PermitsPerSecond", "0.00001", "Limits:PerCaller:PermitsPerSecond must be 0 (off) or from 0.0001 (one call in about 3 hours) to 1000000.")]
    [InlineData("Limits:PerCaller:PermitsPerSecond", "2000000", "Limits:PerCaller:PermitsPerSecond must be 0 (off) or from 0.0001 (one call in about 3 hours) to 1000000.")]
    [InlineData("Limits:PerCaller:Burst", "-1", "Limits:PerCaller:Burst must be 0 (twice PermitsPerSecond) or more.")]
    [InlineData("Tracker:Watch:BufferSize", "0", "Tracker:Watch:BufferSize must be between 1 and 100000.")]
    [InlineData("Tracker:Search:CountLimit", "0", "Tracker:Search:CountLimit must be between 1 and 1000000000.")]
    [InlineData("Tracker:FoldWindow", "7.00:00:01", "Tracker:FoldWindow must be a duration from 00:00:00 (no folding) to 7.00:00:00.")]
    public async Task Start_BadSetting_FailsWithOneReasonNamingTheSetting(string setting, string value, string reason)
    {
        await using var factory = new TrackerFactory { Settings = { [setting] = value } };

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => factory.CreateClient()));

        Assert.Equal([reason], e.Failures);
    }

    [Theory]
    [InlineData("", "ConnectionStrings:Postgres is not set. The PostgreSQL store needs it")]
    [InlineData("Hots=db", "ConnectionStrings:Postgres is not a valid PostgreSQL connection string")]
    public async Task Start_PostgresWithoutUsableConnectionString_FailsNamingIt(string connectionString, string reason)
    {
        await using var factory = new TrackerFactory { Settings = { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = connectionString } };

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => factory.CreateClient()));

        Assert.StartsWith(reason, Assert.Single(e.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Limits:PerCaller:PermitsPerSecond", "0")]
    [InlineData("Limits:PerCaller:PermitsPerSecond", "0.0001")]
    [InlineData("Limits:QueueLength", "0")]
    [InlineData("Auth:Reflection", "authenticated")]
    [InlineData("Storage:Provider", "SQLITE")]
    public async Task Start_SettingAtItsBound_Starts(string setting, string value)
    {
        await using var factory = new TrackerFactory { Settings = { [setting] = value } };

        using var client = factory.CreateClient();

        Assert.NotNull(client);
    }

    [Theory]
    [InlineData("None", AuthMode.None)]
    [InlineData("apikey", AuthMode.ApiKey)]
    [InlineData(" JWT ", AuthMode.Jwt)]
    [InlineData("Jwt, ApiKey", AuthMode.ApiKey | AuthMode.Jwt)]
    public void TryParse_NameInAnyCaseOrFlagsCombined_Accepted(string text, AuthMode expected)
    {
        Assert.True(EnumSettings.TryParse<AuthMode>(text, out var mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("None,Jwt")]
    [InlineData("ApiKey,")]
    [InlineData("Basic")]
    public void TryParse_NumberNoneCombinedOrUnknownName_Refused(string text) =>
        Assert.False(EnumSettings.TryParse<AuthMode>(text, out _));

    [Fact]
    public void Choices_PlainAndFlagsEnums_ListEveryNameThenTheCombination()
    {
        Assert.Equal("Sqlite or Postgres", EnumSettings.Choices(typeof(StorageProvider)));
        Assert.Equal("None, ApiKey, Jwt or ApiKey,Jwt", EnumSettings.Choices(typeof(AuthMode)));
    }
}
