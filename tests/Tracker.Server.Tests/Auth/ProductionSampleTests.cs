using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Auth;

/// <summary>deploy/appsettings.Production.json, which the container image runs with, is the secure configuration the README says.</summary>
public sealed class ProductionSampleTests
{
    [Fact]
    public async Task Start_SampleWithoutKeys_RefusesNamingTheMissingKeys()
    {
        await using var factory = new TrackerFactory { Settings = Sample() };

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => factory.CreateClient()));

        Assert.Contains("Auth:ApiKeys names none", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_SampleWithOneKey_NeedTheKeyEvenForReflection()
    {
        var settings = Sample();
        settings["Auth:ApiKeys:ci:Hash"] = SecuredTracker.HashOf(SecuredTracker.AdminKey);
        settings["Auth:ApiKeys:ci:Scopes:0"] = "events:read";
        await using var factory = new TrackerFactory { Settings = settings };
        var client = factory.CreateGrpcClient();

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.ListEventsAsync(new ListEventsRequest()).Bounded());
        var reflection = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(factory.CreateGrpcChannel()).ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" }).Bounded();
            await call.ResponseStream.MoveNext(CancellationToken.None).Bounded();
        });
        var keyed = await client.ListEventsAsync(new ListEventsRequest(), new Metadata { { "authorization", "Bearer " + SecuredTracker.AdminKey } }).Bounded();

        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, reflection.StatusCode);
        Assert.Empty(keyed.Events);
    }

    /// <summary>The sample's settings, flattened as configuration keys.</summary>
    private static Dictionary<string, string?> Sample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Tracker.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("Tracker.sln not found above " + AppContext.BaseDirectory);
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(directory.FullName, "deploy", "appsettings.Production.json")).Build();
        return configuration.AsEnumerable().Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value);
    }
}
