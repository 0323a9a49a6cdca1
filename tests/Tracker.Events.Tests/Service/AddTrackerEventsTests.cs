using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Hosting;
using Tracker.Events.Sqlite;
using Tracker.Events.Telemetry;
using Tracker.Events.Tests.Support;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class AddTrackerEventsTests : IDisposable
{
    private readonly TempSqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AddTrackerEvents_WithSqliteStore_MigratesAtStartAndServesCalls()
    {
        await using var provider = Build(new Dictionary<string, string?> { ["Tracker:TimeZone"] = "Europe/Paris" });

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None).Bounded();
        }

        var service = provider.GetRequiredService<EventRpcService>();
        var created = await service.CreateEvent(ValidRequest(), Context()).Bounded();
        var today = await service.TodayEvents(new TodayEventsRequest(), Context()).Bounded();

        Assert.True(File.Exists(_database.FilePath));
        Assert.Equal("Europe/Paris", provider.GetRequiredService<IOptions<TrackerOptions>>().Value.TimeZone);
        Assert.Equal([created.Id], today.Events.Select(e => e.Id));
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddTrackerEvents_NoTimeZoneConfigured_DefaultsToUtc()
    {
        await using var provider = Build([]);

        Assert.Equal("UTC", provider.GetRequiredService<IOptions<TrackerOptions>>().Value.TimeZone);
    }

    [Fact]
    public async Task AddTrackerEvents_NoCountLimitConfigured_DefaultsToTenThousand()
    {
        await using var provider = Build([]);

        Assert.Equal(10_000, provider.GetRequiredService<IOptions<TrackerOptions>>().Value.Search.CountLimit);
    }

    [Fact]
    public async Task AddTrackerEvents_CountLimitConfigured_BindsIt()
    {
        await using var provider = Build(new Dictionary<string, string?> { ["Tracker:Search:CountLimit"] = "250" });

        Assert.Equal(250, provider.GetRequiredService<IOptions<TrackerOptions>>().Value.Search.CountLimit);
    }

    [Fact]
    public async Task AddTrackerEvents_UnknownConfiguredTimeZone_FailsNamingTheSetting()
    {
        await using var provider = Build(new Dictionary<string, string?> { ["Tracker:TimeZone"] = "Mars/Olympus_Mons" });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<EventRpcService>());

        Assert.Contains("Tracker:TimeZone", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTrackerEvents_MoreServicesListedForMetricsThanTheLimit_FailsNamingTheSetting()
    {
        var settings = Enumerable.Range(0, EventAttributeOptions.MaxValues + 1)
            .ToDictionary(i => $"Telemetry:EventAttributes:Services:{i}", i => (string?)$"svc-{i}");
        await using var provider = Build(settings);

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventAttributeOptions>>().Value);

        Assert.Contains("Telemetry:EventAttributes:Services", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTrackerEvents_ServicesListedForMetrics_BindsThem()
    {
        await using var provider = Build(new Dictionary<string, string?>
        {
            ["Telemetry:EventAttributes:Services:0"] = "payments",
            ["Telemetry:EventAttributes:Reasons:0"] = "BackOff",
        });

        var options = provider.GetRequiredService<IOptions<EventAttributeOptions>>().Value;

        Assert.Equal(["payments"], options.Services);
        Assert.Equal(["BackOff"], options.Reasons);
    }

    [Theory]
    [InlineData("Tracker:TimeZone", "Mars/Olympus_Mons", "Tracker:TimeZone must be an IANA time zone id, e.g. UTC or Europe/Paris.")]
    [InlineData("Tracker:FoldWindow", "-00:00:01", "Tracker:FoldWindow must be a duration from 00:00:00 (no folding) to 7.00:00:00.")]
    [InlineData("Tracker:Watch:BufferSize", "100001", "Tracker:Watch:BufferSize must be between 1 and 100000.")]
    [InlineData("Tracker:Search:CountLimit", "0", "Tracker:Search:CountLimit must be between 1 and 1000000000.")]
    [InlineData("Tracker:Search:CountLimit", "1000000001", "Tracker:Search:CountLimit must be between 1 and 1000000000.")]
    [InlineData("Tracker:Watch:ChangeRetention", "00:00:00", "Tracker:Watch:ChangeRetention must be a positive duration, e.g. 7.00:00:00.")]
    [InlineData("Tracker:Watch:PollInterval", "-00:00:01", "Tracker:Watch:PollInterval must be a positive duration, e.g. 00:00:01.")]
    [InlineData("Telemetry:EventAttributes:Reasons:0", "", "Telemetry:EventAttributes:Reasons may list at most 100 values, and no empty one.")]
    [InlineData("Retention:Interval", "2.00:00:00", "Retention:Interval must be a duration from 00:00:01 to 1.00:00:00; it is 2.00:00:00.")]
    public async Task StartupValidation_SettingOutOfBounds_OneReasonNamingTheSettingAndItsRule(string key, string value, string reason)
    {
        await using var provider = Build(new Dictionary<string, string?> { [key] = value });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        // The reason alone: no C# member name before it.
        Assert.Equal([reason], e.Failures);
    }

    [Theory]
    [InlineData("Tracker:FoldWindow", "00:00:00")]
    [InlineData("Tracker:FoldWindow", "7.00:00:00")]
    [InlineData("Tracker:Watch:BufferSize", "100000")]
    [InlineData("Tracker:Search:CountLimit", "1")]
    [InlineData("Tracker:Search:CountLimit", "1000000000")]
    [InlineData("Retention:Interval", "00:00:01")]
    public async Task StartupValidation_SettingAtItsBound_Passes(string key, string value)
    {
        await using var provider = Build(new Dictionary<string, string?> { [key] = value });

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Sqlite"] = _database.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();

        // What every host provides: the watch feed ends its streams when the host stops.
        services.AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>();
        services.AddSqliteEventStore(configuration);
        services.AddTrackerEvents(configuration);
        return services.BuildServiceProvider();
    }
}
