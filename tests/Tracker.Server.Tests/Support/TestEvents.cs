using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Server.Tests.Support;

/// <summary>Valid events to create, each with a service of its own so searches find only it.</summary>
public static class TestEvents
{
    /// <summary>A service name no other test uses.</summary>
    public static string UniqueService() => $"svc-{Guid.NewGuid():N}";

    public static CreateEventRequest Deployment(string? service = null, string title = "Deploy api v3.2.0") => new()
    {
        Title = title,
        Attributes = new EventAttributes
        {
            Type = EventType.Deployment,
            Service = service ?? UniqueService(),
            Source = "github_actions",
            Priority = Priority.P3,
            Environment = global::Tracker.Api.V1Alpha1.Environment.Production,
            Status = Status.Start,
            Owner = "platform",
            Notification = true,
            StakeHolders = { "payments" },
            Labels = { ["team"] = "platform" },
            StartDate = Timestamp.FromDateTime(new DateTime(2024, 1, 15, 10, 0, 0, DateTimeKind.Utc)),
            EndDate = Timestamp.FromDateTime(new DateTime(2024, 1, 15, 11, 0, 0, DateTimeKind.Utc)),
        },
        Links = new EventLinks { Ticket = "PROJ-456" },
    };

    /// <summary>The JSON body of a CreateEvent call over REST, with enums by name; a null date is left out.</summary>
    public static string DeploymentJson(
        string service,
        string title = "Deploy api v3.2.0",
        string? startDate = "2024-01-15T10:00:00Z",
        string? endDate = "2024-01-15T11:00:00Z")
    {
        var attributes = new JsonObject
        {
            ["type"] = "TYPE_DEPLOYMENT",
            ["service"] = service,
            ["source"] = "jenkins",
            ["priority"] = "PRIORITY_P2",
            ["environment"] = "ENVIRONMENT_PRODUCTION",
            ["status"] = "STATUS_START",
            ["owner"] = "platform",
            ["notification"] = true,
            ["stakeHolders"] = new JsonArray("payments"),
            ["code"] = 42,
            ["labels"] = new JsonObject { ["team"] = "platform" },
        };
        if (startDate is not null)
        {
            attributes["startDate"] = startDate;
        }

        if (endDate is not null)
        {
            attributes["endDate"] = endDate;
        }

        var body = new JsonObject
        {
            ["title"] = title,
            ["attributes"] = attributes,
            ["links"] = new JsonObject { ["ticket"] = "PROJ-456" },
        };
        return body.ToJsonString();
    }
}
