using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// Twelve events, named, that between them set and leave unset every searchable field: texts with
/// SQL and LIKE metacharacters, upper and lower case, non-Latin scripts; every enum; start_date
/// before and after created_at, or none; end_date set or not; repeated values (one repeated
/// twice), resources with empty fields, labels with an empty value. The expected results of
/// <see cref="EventStoreQueryContractTests"/> are worked out by hand from this table.
/// </summary>
public sealed class QueryFixture
{
    /// <summary>An event outside the fixture's set (service "extra"), its id, times and etag assigned as the domain would.</summary>
    public static Event Extra(string title)
    {
        var now = DateTimeOffset.UtcNow;
        return new Event
        {
            Title = title,
            Attributes = new EventAttributes { Type = Type.Deployment, Service = "extra" },
            Id = Guid.CreateVersion7(now).ToString(),
            CreatedAt = Timestamp.FromDateTimeOffset(now),
            UpdatedAt = Timestamp.FromDateTimeOffset(now),
            Etag = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>Every event's created_at is this plus some hours; "rpa" and "twin" share theirs.</summary>
    public static readonly DateTimeOffset Base = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The names, in the order the events are created (so in seq order).</summary>
    public static readonly string[] Names = ["deploy", "incident", "bare", "cjk", "meta", "decoy", "alert", "drift", "rpa", "planned", "twin", "close"];

    private QueryFixture(IReadOnlyList<Event> events)
    {
        Events = events;
        ByName = Names.Zip(events).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>The events in creation order.</summary>
    public IReadOnlyList<Event> Events { get; }

    public IReadOnlyDictionary<string, Event> ByName { get; }

    public Event this[string name] => ByName[name];

    /// <summary>Microseconds of <see cref="Base"/> plus <paramref name="hours"/>.</summary>
    public static long At(double hours) => EventKeys.ToMicros(Base.AddHours(hours));

    /// <summary>The names of the fixture's events that are not in <paramref name="names"/>.</summary>
    public static string[] AllBut(params string[] names) => Names.Except(names).ToArray();

    /// <summary>Creates the events one after the other (seq order = <see cref="Names"/> order).</summary>
    public static async Task<QueryFixture> CreateAsync(IEventStore store)
    {
        var events = Build();
        foreach (var e in events)
        {
            await store.CreateAsync(e, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        return new QueryFixture(events);
    }

    /// <summary>The names of <paramref name="events"/>, sorted, for comparing sets.</summary>
    public string[] NamesOf(IEnumerable<Event> events)
    {
        var names = ByName.ToDictionary(p => p.Value.Id, p => p.Key);
        return events.Select(e => names[e.Id]).Order(StringComparer.Ordinal).ToArray();
    }

    private static List<Event> Build() =>
    [
        New(1, "Deploy checkout v1.2", a =>
        {
            a.Message = "DÉPLOIEMENT du service checkout en production";
            a.Source = "github_actions";
            a.Type = Type.Deployment;
            a.Priority = Priority.P1;
            a.RelatedId = "rel-1";
            a.Service = "checkout";
            a.Status = Status.Success;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Impact = Impact.Low;
            a.StartDate = Time(0.5);
            a.EndDate = Time(1.5);
            a.Owner = "team-a";
            a.StakeHolders.Add(["ops", "dev"]);
            a.Notification = true;
            a.Notifications.Add("slack");
            a.Severity = Severity.Normal;
            a.Reason = "Scheduled";
            a.Code = 200;
            a.Resources.Add(new ResourceRef { Kind = "Deployment", Id = "uid-1", Name = "checkout", Namespace = "prod" });
            a.Labels.Add(new Dictionary<string, string> { ["team"] = "core", ["tier"] = "1" });
        }),
        New(2, "Incident: payments 50% errors", a =>
        {
            a.Message = "Развертывание откатили";
            a.Source = "pagerduty";
            a.Type = Type.Incident;
            a.Priority = Priority.P2;
            a.Service = "payments";
            a.Status = Status.Failure;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Impact = Impact.High;
            a.Owner = "team-b";
            a.StakeHolders.Add("ops");
            a.Severity = Severity.Error;
            a.Code = 500;
            a.Arguments.Add("vm10");
            a.Resources.Add(new ResourceRef { Kind = "Pod", Name = "payments_api" });
            a.Labels.Add(new Dictionary<string, string> { ["team"] = "", ["region"] = "eu" });
        }),
        New(3, "bare", _ => { }),
        New(4, "部署完成", a =>
        {
            a.Message = "服务 部署";
            a.Source = "jenkins";
            a.Type = Type.Deployment;
            a.Priority = Priority.P3;
            a.Service = "checkout-eu";
            a.Status = Status.Done;
            a.Environment = Api.V1Alpha1.Environment.Development;
            a.StartDate = Time(5);
            a.EndDate = Time(6);
            a.Code = -1;
            a.Notification = false;
            a.Notifications.Add(["email", "slack"]);
            a.Labels.Add("team", "core");
        }),
        New(5, "quote \" ' ; DROP TABLE events; --", a =>
        {
            a.Message = "100% _done_ \\ back";
            a.Source = "src%";
            a.Type = Type.Operation;
            a.Service = "50%_off\\";
            a.Owner = "o'brien";
            a.Reason = "Quota%Exceeded";
            a.StakeHolders.Add("a_b");
            a.Resources.Add(new ResourceRef { Kind = "Kind'", Name = "%" });
            a.Labels.Add("k%", "v_");
        }),
        New(6, "Deploying checkout", a =>
        {
            a.Type = Type.Drift;
            a.Priority = Priority.P5;
            a.RelatedId = "rel-2";
            a.Service = "50xx_off\\";
            a.Status = Status.Start;
            a.Environment = Api.V1Alpha1.Environment.Uat;
            a.Impact = Impact.Medium;
            a.EndDate = Time(7);
            a.Owner = "OBrien";
            a.Severity = Severity.Warning;
            a.Resources.Add(new ResourceRef { Kind = "Deployment", Namespace = "staging" });
        }),
        New(7, "CHECKOUT latency", a =>
        {
            a.Message = "p99 above 2s";
            a.Source = "prometheus";
            a.Type = Type.Incident;
            a.Priority = Priority.P1;
            a.Service = "checkout";
            a.Status = Status.Open;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Impact = Impact.High;
            a.Owner = "team-a";
            a.Severity = Severity.Alert;
            a.Notification = true;
            a.Labels.Add(new Dictionary<string, string> { ["team"] = "core", ["severity"] = "page" });
        }, updatedHours: 20),
        New(8, "Drift detected", a =>
        {
            a.Type = Type.Drift;
            a.Priority = Priority.P4;
            a.Service = "vpc";
            a.Status = Status.Warning;
            a.Environment = Api.V1Alpha1.Environment.Preproduction;
            a.StartDate = Time(1);
            a.Severity = Severity.Warning;
            a.Reason = "ManualChange";
            a.Code = 42;
            a.StakeHolders.Add("sec");
            a.Labels.Add("tier", "2");
        }),
        New(9, "Robot run 7", a =>
        {
            a.Source = "uipath";
            a.Type = Type.RpaUsage;
            a.Priority = Priority.P3;
            a.Service = "rpa";
            a.Status = Status.InProgress;
            a.Environment = Api.V1Alpha1.Environment.Recette;
            a.Code = 7;
            a.Arguments.Add(["vm1", "vm2"]);
        }),
        New(10, "Planned maintenance", a =>
        {
            a.Message = "Window for DB upgrade";
            a.Type = Type.Operation;
            a.Service = "db";
            a.Status = Status.Planned;
            a.Impact = Impact.Medium;
            a.StartDate = Time(48);
            a.EndDate = Time(50);
            a.Owner = "dba";
            a.Severity = Severity.Normal;
        }),
        New(9, "Deploy checkout v1.3", a =>
        {
            a.Type = Type.Deployment;
            a.Priority = Priority.P1;
            a.Service = "checkout";
            a.Status = Status.Success;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Labels.Add(new Dictionary<string, string> { ["team"] = "core", ["tier"] = "1" });
        }),
        New(11, "Close incident", a =>
        {
            a.Type = Type.Incident;
            a.Priority = Priority.P2;
            a.RelatedId = "rel-1";
            a.Service = "payments";
            a.Status = Status.Close;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Impact = Impact.High;
            a.StartDate = Time(2);
            a.EndDate = Time(11);
            a.Severity = Severity.Error;
            a.StakeHolders.Add(["ops", "ops"]);
        }),
    ];

    private static Event New(double createdHours, string title, Action<EventAttributes> configure, double? updatedHours = null)
    {
        var created = Base.AddHours(createdHours);
        var e = new Event
        {
            Title = title,
            Attributes = new EventAttributes(),
            Id = Guid.CreateVersion7(created).ToString(),
            CreatedAt = Timestamp.FromDateTimeOffset(created),
            UpdatedAt = Time(updatedHours ?? createdHours),
            Etag = Guid.NewGuid().ToString("N"),
        };
        configure(e.Attributes);
        return e;
    }

    private static Timestamp Time(double hours) => Timestamp.FromDateTimeOffset(Base.AddHours(hours));
}
