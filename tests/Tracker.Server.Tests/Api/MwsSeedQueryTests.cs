using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// Every query example of the MWS events API (Seeds/mws-events-api.txt, copied from the spec
/// seeds), exactly as written there, against events shaped like the seed's, created through
/// REST on each store: each returns the events it should, over REST and gRPC.
/// </summary>
public sealed partial class MwsSeedQueryTests(MwsSeedQueryTests.SeedStores stores) : IClassFixture<MwsSeedQueryTests.SeedStores>
{
    /// <summary>What each of the seed's queries finds among <see cref="SeedStores.Events"/>.</summary>
    private static readonly Dictionary<string, string[]> Expected = new(StringComparer.Ordinal)
    {
        ["{\"severity\":\"ERROR\"}"] = ["service-delete-1203", "vm-error-1204", "service-create-1209"],
        ["{\"eventType\":\"Service Create\"}"] = ["service-create-2024", "service-create-1209"],
        ["{\"eventType\":\"Service Create\",\"severity\":\"INFO\"}"] = ["service-create-2024"],
        ["{code:33554946}"] = ["service-delete-1203"],
        ["{\"associatedObjects.id\":\"51b608ddc4aa708a5bebb684\"}"] = ["service-create-2024", "service-delete-1203"],
        ["{\"associatedObjects.id\":{\"$ne\":\"51b608ddc4aa708a5bebb684\"}}"] = ["vm-provision-2024", "vm-error-1204", "service-modify-1206", "vm-fatal-1208", "service-create-1209"],
        ["{\"severity\":{\"$in\":[\"ERROR\",\"WARN\"]}}"] = ["service-delete-1203", "vm-error-1204", "service-modify-1206", "service-create-1209"],
        ["{\"eventDate\":{\"$lt\":\"2025-01-27 12:08:00 UTC\"}}"] = ["service-create-2024", "vm-provision-2024", "service-delete-1203", "vm-error-1204", "service-modify-1206"],
        ["{\"eventDate\":{\"$lte\":\"2025-01-27 12:08:00 UTC\"}}"] = ["service-create-2024", "vm-provision-2024", "service-delete-1203", "vm-error-1204", "service-modify-1206", "vm-fatal-1208"],
        ["{\"eventDate\":{\"$gt\":\"2025-01-27 12:04:00 UTC\"}}"] = ["service-modify-1206", "vm-fatal-1208", "service-create-1209"],
        ["{\"eventDate\":{\"$gte\":\"2025-01-27 12:04:00 UTC\"}}"] = ["vm-error-1204", "service-modify-1206", "vm-fatal-1208", "service-create-1209"],
        ["{\"eventDate\":{\"$gte\":\"2025-01-27 12:04:00 UTC\",\"$lte\":\"2025-01-27 12:08:00 UTC\"}}"] = ["vm-error-1204", "service-modify-1206", "vm-fatal-1208"],
        ["{\"severity\":\"ERROR\",\"eventDate\":{\"$gte\":\"2025-01-27 12:04:00 UTC\",\"$lte\":\"2025-01-27 12:08:00 UTC\"}}"] = ["vm-error-1204"],
        ["{\"eventType\":\"VM Provision\"}"] = ["vm-provision-2024", "vm-error-1204", "vm-fatal-1208"],
    };

    public static readonly string[] Stores = ["sqlite", "postgres"];

    public static TheoryData<string, string> StoresAndSeedQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var store in Stores)
        {
            foreach (var query in SeedQueries())
            {
                data.Add(store, query);
            }
        }

        return data;
    }

    [Fact]
    public void SeedQueries_EachExampleOfTheSeed_HasItsExpectedEvents()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), SeedQueries().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StoresAndSeedQueries))]
    public async Task ListEvents_SeedQueryAsWritten_FindsTheEventsItShould(string store, string query)
    {
        var host = stores.Host(store);
        var expected = Expected[query].Select(name => stores.IdOf(store, name)).Order(StringComparer.Ordinal).ToArray();

        var overRest = (await host.CreateClient().GetRestAsync($"/api/v1alpha1/events/list?pageSize=100&query={Uri.EscapeDataString(query)}")).Expect(HttpStatusCode.OK);
        var grpc = new EventService.EventServiceClient(GrpcChannel.ForAddress(host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() }));
        var overGrpc = await grpc.ListEventsAsync(new ListEventsRequest { Query = query, PageSize = 100 }).ResponseAsync.Bounded();

        var restIds = overRest.TryGetProperty("events", out var events) ? events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray() : [];
        Assert.Equal(expected, restIds.Order(StringComparer.Ordinal));
        Assert.Equal(expected, overGrpc.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"eventTyp\":\"Service Create\"}", "UNKNOWN_FIELD", "at $.eventTyp: unknown field \"eventTyp\"; fields: title, ")]
    [InlineData("{\"associatedObjects.version\":0}", "UNKNOWN_FIELD", "at $.associatedObjects.version: associatedObjects are compared by a member: associatedObjects.id, ")]
    [InlineData("{code:}", "INVALID_FORMAT", "at line 1, column 7: expected a value (a string, a number, true, false, null, an object or an array), found \"}\"")]
    [InlineData("{\"severity\":\"DEBUG\"}", "UNDEFINED_ENUM_VALUE", "at $.severity: severity has no value \"DEBUG\"; expected one of ")]
    public async Task ListEvents_QueryOutsideTheMwsDialect_400OnQueryWithThePositionAndRule(string query, string reason, string start)
    {
        var response = (await stores.Host("sqlite").CreateClient().GetRestAsync($"/api/v1alpha1/events/list?query={Uri.EscapeDataString(query)}")).Expect(HttpStatusCode.BadRequest);

        var violation = response.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray().Single();
        Assert.Equal("query", violation.GetProperty("field").GetString());
        Assert.Equal(reason, violation.GetProperty("reason").GetString());
        Assert.StartsWith(start, violation.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The distinct values of <c>query=</c> in the seed's examples, as written (the "[&amp;query=...]" of its URL templates left out).</summary>
    private static string[] SeedQueries() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Seeds", "mws-events-api.txt"))
            .Where(line => !line.Contains("[&query=", StringComparison.Ordinal))
            .Select(line => QueryParameter().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["query"].Value)
            .Distinct()
            .ToArray();

    // query= at the start of a line or after ? or &, up to the next of the seed's parameters or the end of the line.
    [GeneratedRegex(@"(?:^\s*|[?&])query=(?<query>\{.*?)(?=&(?:sort|max|offset)=|\s*$)")]
    private static partial Regex QueryParameter();

    /// <summary>
    /// A host on each store (SQLite, and PostgreSQL in a schema of its own), holding only the
    /// seed-shaped events: the seed's two sample events, and events about a service and VMs on
    /// 2025-01-27 around its date examples (12:04 and 12:08, each bound hit exactly).
    /// </summary>
    public sealed class SeedStores : IAsyncLifetime
    {
        /// <summary>MWS events (the seed's Event object: eventType, associatedObjects, code, eventDate, ...), by a name for the tests.</summary>
        public static readonly Dictionary<string, string> Events = new()
        {
            // The seed's sample response, as written there.
            ["vm-provision-2024"] = """{"arguments":[],"associatedObjects":[{"type":"VM","id":"vm1"}],"code":234881023,"eventDate":"2024-06-10 17:13:31 UTC","eventType":"VM Provision","message":null,"origin":"CSA Plugin","severity":"INFO"}""",
            ["service-create-2024"] = """{"arguments":["51b608ddc4aa708a5bebb684"],"associatedObjects":[{"type":"Service","id":"51b608ddc4aa708a5bebb684"}],"code":33554944,"eventDate":"2024-06-10 17:11:59 UTC","eventType":"Service Create","message":"The service '51b608ddc4aa708a5bebb684' was created","origin":"MWS/ServiceEvents/CREATE_1ID","severity":"INFO"}""",
            // Around the seed's date examples.
            ["service-delete-1203"] = """{"arguments":["51b608ddc4aa708a5bebb684"],"associatedObjects":[{"type":"Service","id":"51b608ddc4aa708a5bebb684"}],"code":33554946,"eventDate":"2025-01-27 12:03:00 UTC","eventType":"Service Delete","message":"The service '51b608ddc4aa708a5bebb684' could not be deleted","origin":"MWS/ServiceEvents/DELETE_1ID","severity":"ERROR"}""",
            ["vm-error-1204"] = """{"arguments":["vm2"],"associatedObjects":[{"type":"VM","id":"vm2"}],"code":234881024,"eventDate":"2025-01-27 12:04:00 UTC","eventType":"VM Provision","message":"The virtual machine \"vm2\" could not be provisioned","origin":"CSA Plugin","severity":"ERROR"}""",
            ["service-modify-1206"] = """{"arguments":["51b608ddc4aa708a5bebb700"],"associatedObjects":[{"type":"Service","id":"51b608ddc4aa708a5bebb700"},{"type":"VM","id":"vm2"}],"code":33554945,"eventDate":"2025-01-27 12:06:00 UTC","eventType":"Service Modify","message":"The service '51b608ddc4aa708a5bebb700' is slow to modify","origin":"MWS/ServiceEvents/MODIFY_1ID","severity":"WARN"}""",
            ["vm-fatal-1208"] = """{"arguments":["vm3"],"associatedObjects":[{"type":"VM","id":"vm3"}],"code":234881025,"eventDate":"2025-01-27 12:08:00 UTC","eventType":"VM Provision","message":"The hypervisor of \"vm3\" stopped","origin":"CSA Plugin","severity":"FATAL"}""",
            ["service-create-1209"] = """{"arguments":["51b608ddc4aa708a5bebb701"],"associatedObjects":[{"type":"Service","id":"51b608ddc4aa708a5bebb701"}],"code":33554944,"eventDate":"2025-01-27 12:09:00 UTC","eventType":"Service Create","message":"The service '51b608ddc4aa708a5bebb701' could not be created","origin":"MWS/ServiceEvents/CREATE_1ID","severity":"ERROR"}""",
        };

        private readonly TrackerFactory _sqlite = new();
        private readonly PostgresHost _postgres = new(new TrackerFactory());
        private readonly Dictionary<(string Store, string Name), string> _ids = [];

        public WebApplicationFactory<Program> Host(string store) => store == "sqlite" ? _sqlite : _postgres.Factory;

        public string IdOf(string store, string name) => _ids[(store, name)];

        public async Task InitializeAsync()
        {
            foreach (var store in Stores)
            {
                var http = Host(store).CreateClient();
                foreach (var (name, mws) in Events)
                {
                    var created = (await http.PostRestAsync("/api/v1alpha1/event", TrackerEvent(mws).ToJsonString())).Expect(HttpStatusCode.OK);
                    _ids[(store, name)] = created.GetProperty("id").GetString()!;
                }
            }
        }

        public async Task DisposeAsync()
        {
            await _postgres.DisposeAsync();
            await _sqlite.DisposeAsync();
        }

        /// <summary>
        /// The Tracker event an MWS event is recorded as, by README's MWS table: eventType is
        /// reason, associatedObjects are resources (type is kind), origin is source, eventDate is
        /// start_date, severity by its word; code, message and arguments as they are.
        /// </summary>
        private static JsonObject TrackerEvent(string mws)
        {
            var e = JsonNode.Parse(mws)!.AsObject();
            var severity = e["severity"]!.GetValue<string>() switch
            {
                "INFO" => "SEVERITY_NORMAL",
                "WARN" or "WARNING" => "SEVERITY_WARNING",
                "ERROR" => "SEVERITY_ERROR",
                "FATAL" => "SEVERITY_ALERT",
                var other => throw new ArgumentException($"No Tracker severity for {other}.", nameof(mws)),
            };
            var attributes = new JsonObject
            {
                ["type"] = "TYPE_OPERATION",
                ["service"] = "mws",
                ["reason"] = e["eventType"]!.DeepClone(),
                ["source"] = e["origin"]!.DeepClone(),
                ["severity"] = severity,
                ["code"] = e["code"]!.DeepClone(),
                ["startDate"] = DateTime.ParseExact(e["eventDate"]!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["arguments"] = e["arguments"]!.DeepClone(),
                ["resources"] = new JsonArray([.. e["associatedObjects"]!.AsArray().Select(o => new JsonObject { ["kind"] = o!["type"]!.DeepClone(), ["id"] = o["id"]!.DeepClone() })]),
            };
            if (e["message"] is { } message)
            {
                attributes["message"] = message.DeepClone();
            }

            return new JsonObject { ["title"] = $"{e["eventType"]}: {e["associatedObjects"]![0]!["id"]}", ["attributes"] = attributes };
        }
    }
}
