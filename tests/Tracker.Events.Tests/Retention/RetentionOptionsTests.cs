using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tracker.Events.Hosting;
using Tracker.Events.Retention;
using Tracker.Events.Sqlite;
using Tracker.Events.Tests.Support;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Retention;

/// <summary>
/// The "Retention" section as AddTrackerEvents binds and validates it at start-up (README, "Retention"): type
/// keys in any spelling of a tracker.event.v1alpha1.Type value, overrides longer or shorter than
/// the default and without one, and each bad setting failing the start with its key in the message.
/// </summary>
public sealed class RetentionOptionsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("Incident", Type.Incident)]
    [InlineData("incident", Type.Incident)]
    [InlineData("INCIDENT", Type.Incident)]
    [InlineData("TYPE_INCIDENT", Type.Incident)]
    [InlineData("type_incident", Type.Incident)]
    [InlineData("RpaUsage", Type.RpaUsage)]
    [InlineData("rpa_usage", Type.RpaUsage)]
    [InlineData("TYPE_RPA_USAGE", Type.RpaUsage)]
    [InlineData("Deployment", Type.Deployment)]
    [InlineData("Operation", Type.Operation)]
    [InlineData("Drift", Type.Drift)]
    public async Task TypesKey_AnySpellingOfAType_SetsThatTypesRetention(string key, Type type)
    {
        await using var provider = Build(new() { [$"Retention:Types:{key}"] = "365.00:00:00" });

        var policy = Policy(provider);

        Assert.Equal(TimeSpan.FromDays(365), policy.For(type));
        Assert.All(System.Enum.GetValues<Type>().Where(t => t != type), t => Assert.Null(policy.For(t)));
    }

    [Fact]
    public async Task Default_AndShorterAndLongerOverrides_EachTypeGetsItsOwnOrTheDefault()
    {
        await using var provider = Build(new()
        {
            ["Retention:Default"] = "90.00:00:00",
            ["Retention:Types:Incident"] = "365.00:00:00",
            ["Retention:Types:Deployment"] = "7.00:00:00",
        });

        var policy = Policy(provider);
        var cutoffs = policy.CutoffsAt(Now).ToDictionary(c => c.Type, c => c.UpdatedBefore);

        Assert.Equal(TimeSpan.FromDays(365), policy.For(Type.Incident));
        Assert.Equal(TimeSpan.FromDays(7), policy.For(Type.Deployment));
        Assert.Equal(TimeSpan.FromDays(90), policy.For(Type.Drift));
        Assert.Equal(System.Enum.GetValues<Type>().Order(), cutoffs.Keys.Order());
        Assert.Equal(Now.AddDays(-365), cutoffs[Type.Incident]);
        Assert.Equal(Now.AddDays(-7), cutoffs[Type.Deployment]);
        Assert.Equal(Now.AddDays(-90), cutoffs[Type.Operation]);
        Assert.Equal("default 90 days, deployment 7 days, incident 365 days", policy.Describe());
    }

    [Fact]
    public async Task Types_WithoutDefault_OnlyThoseTypesExpire()
    {
        await using var provider = Build(new() { ["Retention:Types:Drift"] = "12:00:00" });

        var policy = Policy(provider);

        Assert.False(policy.IsOff);
        Assert.Equal([Type.Drift], policy.CutoffsAt(Now).Select(c => c.Type));
        Assert.Equal(Now.AddHours(-12), policy.CutoffsAt(Now).Single().UpdatedBefore);
        Assert.Equal("drift 12:00:00, other types kept", policy.Describe());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Default_UnsetOrEmptyWithoutTypes_RetentionIsOff(string? value)
    {
        var settings = new Dictionary<string, string?>();
        if (value is not null)
        {
            settings["Retention:Default"] = value;
        }

        await using var provider = Build(settings);
        var options = provider.GetRequiredService<IOptions<RetentionOptions>>().Value;

        Assert.Null(options.Default);
        Assert.True(Policy(provider).IsOff);
        Assert.Empty(Policy(provider).CutoffsAt(Now));
        Assert.Equal(TimeSpan.FromMinutes(1), options.Interval);
        Assert.Equal(500, options.BatchSize);
    }

    [Fact]
    public async Task CutoffsAt_RetentionLongerThanTheCalendarReachesBack_IsTheEarliestTime()
    {
        await using var provider = Build(new() { ["Retention:Default"] = "3650000.00:00:00" });

        Assert.All(Policy(provider).CutoffsAt(Now), c => Assert.Equal(DateTimeOffset.MinValue, c.UpdatedBefore));
    }

    [Theory]
    [InlineData("Retention:Types:Incidnt", "30.00:00:00", "Retention:Types:Incidnt names no event type; use one of Deployment, Operation, Drift, Incident, RpaUsage")]
    [InlineData("Retention:Types:Unspecified", "30.00:00:00", "Retention:Types:Unspecified names no event type")]
    [InlineData("Retention:Types:TYPE_", "30.00:00:00", "Retention:Types:TYPE_ names no event type")]
    [InlineData("Retention:Default", "-1.00:00:00", "Retention:Default must be a positive duration, e.g. 90.00:00:00 for 90 days")]
    [InlineData("Retention:Default", "00:00:00", "Retention:Default must be a positive duration")]
    [InlineData("Retention:Types:Incident", "00:00:00", "Retention:Types:Incident must be a positive duration, e.g. 365.00:00:00")]
    [InlineData("Retention:Types:TYPE_DRIFT", "-00:00:01", "Retention:Types:TYPE_DRIFT must be a positive duration")]
    [InlineData("Retention:Interval", "00:00:00", "Retention:Interval must be a duration from 00:00:01 to 1.00:00:00")]
    [InlineData("Retention:Interval", "2.00:00:00", "Retention:Interval must be a duration from 00:00:01 to 1.00:00:00")]
    [InlineData("Retention:BatchSize", "0", "Retention:BatchSize must be between 1 and 10000")]
    [InlineData("Retention:BatchSize", "10001", "Retention:BatchSize must be between 1 and 10000")]
    public async Task StartupValidation_BadSetting_FailsNamingItsKey(string key, string value, string expected)
    {
        await using var provider = Build(new() { [key] = value });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupValidation_TwoKeysForOneType_FailsNamingBoth()
    {
        await using var provider = Build(new() { ["Retention:Types:Incident"] = "30.00:00:00", ["Retention:Types:TYPE_INCIDENT"] = "60.00:00:00" });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Retention:Types:", e.Message, StringComparison.Ordinal);
        Assert.Contains("name the same event type", e.Message, StringComparison.Ordinal);
        Assert.Contains("Incident", e.Message, StringComparison.Ordinal);
        Assert.Contains("TYPE_INCIDENT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupValidation_DurationThatIsNoTimeSpan_FailsNamingItsKey()
    {
        await using var provider = Build(new() { ["Retention:Default"] = "90 days" });

        var e = Assert.ThrowsAny<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Retention:Default", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupValidation_GoodSettings_Passes()
    {
        await using var provider = Build(new()
        {
            ["Retention:Default"] = "90.00:00:00",
            ["Retention:Types:Incident"] = "365.00:00:00",
            ["Retention:Interval"] = "00:05:00",
            ["Retention:BatchSize"] = "1000",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromMinutes(5), provider.GetRequiredService<IOptions<RetentionOptions>>().Value.Interval);
    }

    private static RetentionPolicy Policy(ServiceProvider provider) =>
        RetentionPolicy.From(provider.GetRequiredService<IOptions<RetentionOptions>>().Value);

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Sqlite"] = _database.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>();
        services.AddSqliteEventStore(configuration);
        services.AddTrackerEvents(configuration);
        return services.BuildServiceProvider();
    }
}
