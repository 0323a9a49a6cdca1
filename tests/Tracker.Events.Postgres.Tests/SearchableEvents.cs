using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Environment = Tracker.Api.V1Alpha1.Environment;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// Twelve events, e1 to e12, created one minute apart from <see cref="T0"/> in that order,
/// that between them set, leave unset and repeat every searchable field: quotes, LIKE
/// wildcards and backslashes as data (e4), non-Latin scripts (e2, e3, e12), accents (e5), an
/// event with nothing but its required fields (e6). The tables of expected results in
/// <see cref="PostgresQueryTests"/> are written against these values.
/// </summary>
internal static class SearchableEvents
{
    public static readonly DateTimeOffset T0 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<(string Name, Event Event)> Create()
    {
        var events = new List<(string, Event)>
        {
            ("e1", New(1, "Deploy API v2", a =>
            {
                a.Message = "Rolled out to example.com, all green";
                a.Source = "github_actions";
                a.Type = Type.Deployment;
                a.Priority = Priority.P2;
                a.Service = "api";
                a.Status = Status.Success;
                a.Environment = Environment.Production;
                a.Impact = Impact.Low;
                a.StartDate = At(T0.AddHours(2));
                a.EndDate = At(T0.AddHours(2).AddMinutes(5));
                a.Owner = "platform-team";
                a.Severity = Severity.Normal;
                a.Reason = "";
                a.Code = 0;
                a.Notification = true;
                a.Notifications.Add("slack");
                a.StakeHolders.Add(["backend-team", "ops-team"]);
                a.Resources.Add(new ResourceRef { Kind = "Pod", Id = "uid-1", Name = "api-7d9", Namespace = "prod" });
                a.Labels.Add("team", "core");
                a.Labels.Add("tier", "");
            })),
            ("e2", New(2, "Database incident", a =>
            {
                a.Message = "Привет Мир: replica lag";
                a.Source = "pagerduty";
                a.Type = Type.Incident;
                a.Priority = Priority.P1;
                a.Service = "db";
                a.Status = Status.Failure;
                a.Environment = Environment.Production;
                a.Impact = Impact.High;
                a.Owner = "dba-team";
                a.Severity = Severity.Alert;
                a.Reason = "ReplicaLag";
                a.Code = 1001;
                a.Notification = false;
                a.StakeHolders.Add("dba-team");
                a.Resources.Add(new ResourceRef { Kind = "VM", Id = "vm-9", Name = "db-1", Namespace = "" });
                a.Labels.Add("team", "data");
            })),
            ("e3", New(3, "Config drift on 東京 cluster", a =>
            {
                a.Message = "Übergröße detected";
                a.Source = "argo";
                a.Type = Type.Drift;
                a.Priority = Priority.P3;
                a.RelatedId = "";
                a.Service = "infra";
                a.Status = Status.Open;
                a.Environment = Environment.Development;
                a.Impact = Impact.Medium;
                a.StartDate = At(T0.AddMinutes(30));
                a.Owner = "";
                a.Severity = Severity.Warning;
                a.Reason = "Drift";
                a.Notifications.Add(["email", "slack"]);
                a.Labels.Add("env-class", "gold");
            })),
            ("e4", New(4, "100% done_ok 'quoted' \"dq\" back\\slash", a =>
            {
                a.Message = "50%_off; DROP TABLE events; --";
                a.Source = "a_b";
                a.Type = Type.Operation;
                a.Priority = Priority.P4;
                a.RelatedId = "rel-api-1";
                a.Service = "pay%";
                a.Status = Status.Success;
                a.Environment = Environment.Uat;
                a.Impact = Impact.Low;
                a.Owner = "o'neil";
                a.Severity = Severity.Normal;
                a.Reason = "Percent%";
                a.Code = 42;
                a.Notification = true;
                a.Notifications.Add("sms");
                a.StakeHolders.Add(["x%y", "back\\slash"]);
                a.Resources.Add(new ResourceRef { Kind = "K_ind", Id = "id'1", Name = "n%", Namespace = "ns_1" });
                a.Labels.Add("we'ird key", "va%l_ue");
                a.Labels.Add("team", "pay");
            })),
            ("e5", New(5, "ÉCOLE rollout", a =>
            {
                a.Message = "café naïve façade";
                a.Source = "manual";
                a.Type = Type.Deployment;
                a.Priority = Priority.P5;
                a.Service = "edu";
                a.Status = Status.Done;
                a.Environment = Environment.Preproduction;
                a.StartDate = At(T0.AddDays(-1));
                a.EndDate = At(T0.AddDays(-1).AddHours(1));
                a.Owner = "edu-team";
                a.Severity = Severity.Error;
                a.Code = -5;
                a.StakeHolders.Add("teachers");
                a.Resources.Add(new ResourceRef { Kind = "Pod", Id = "", Name = "web-1", Namespace = "edu" });
            }, updatedAt: T0.AddDays(1))),
            ("e6", New(6, "Bare", a =>
            {
                a.Type = Type.RpaUsage;
                a.Service = "rpa";
            })),
            ("e7", New(7, "Deploy web", a =>
            {
                a.Message = "deployment of the web tier";
                a.Source = "github_actions";
                a.Type = Type.Deployment;
                a.Priority = Priority.P2;
                a.Service = "web";
                a.Status = Status.Success;
                a.Environment = Environment.Production;
                a.Impact = Impact.Low;
                a.StartDate = At(T0.AddHours(3));
                a.EndDate = At(T0.AddHours(3).AddMinutes(1));
                a.Owner = "platform-team";
                a.Severity = Severity.Normal;
                a.Notification = true;
                a.Notifications.Add("slack");
                a.StakeHolders.Add("frontend-team");
                a.Resources.Add(new ResourceRef { Kind = "Pod", Id = "uid-2", Name = "web-5f6", Namespace = "prod" });
                a.Resources.Add(new ResourceRef { Kind = "Service", Id = "svc-1", Name = "web", Namespace = "prod" });
                a.Labels.Add("team", "web");
                a.Labels.Add("tier", "frontend");
            })),
            ("e8", New(8, "Rollback api", a =>
            {
                a.Message = "undo the API deploy";
                a.Source = "github_actions";
                a.Type = Type.Deployment;
                a.Priority = Priority.P1;
                a.RelatedId = "rel-api-1";
                a.Service = "api";
                a.Status = Status.Failure;
                a.Environment = Environment.Production;
                a.Impact = Impact.Medium;
                a.StartDate = At(T0.AddHours(2).AddMinutes(10));
                a.Owner = "platform-team";
                a.Severity = Severity.Error;
                a.Reason = "BadRelease";
                a.Code = 7;
                a.Notification = true;
                a.Notifications.Add("pager");
                a.StakeHolders.Add("backend-team");
                a.Resources.Add(new ResourceRef { Kind = "Deployment", Id = "", Name = "api", Namespace = "prod" });
                a.Labels.Add("team", "core");
            })),
            ("e9", New(9, "Maintenance window", a =>
            {
                a.Message = "";
                a.Source = "jenkins";
                a.Type = Type.Operation;
                a.Priority = Priority.P3;
                a.Service = "db";
                a.Status = Status.Planned;
                a.Environment = Environment.Integration;
                a.Impact = Impact.Low;
                a.StartDate = At(T0.AddDays(1));
                a.EndDate = At(T0.AddDays(1).AddHours(2));
                a.Owner = "dba-team";
                a.Severity = Severity.Normal;
                a.Labels.Add("team", "data");
                a.Labels.Add("window", "night");
            })),
            ("e10", New(10, "Invoice robot run", a =>
            {
                a.Message = "processed 120 invoices";
                a.Source = "uipath";
                a.Type = Type.RpaUsage;
                a.Priority = Priority.P4;
                a.Service = "finance";
                a.Status = Status.Success;
                a.Environment = Environment.Production;
                a.Owner = "finance-ops";
                a.Code = 3;
                a.Notifications.Add("email");
                a.StakeHolders.Add("finance");
                a.Labels.Add("robot", "inv-1");
            })),
            ("e11", New(11, "Disk alert", a =>
            {
                a.Message = "disk 95% full on db-1";
                a.Source = "prometheus";
                a.Type = Type.Incident;
                a.Priority = Priority.P2;
                a.Service = "db";
                a.Status = Status.Warning;
                a.Environment = Environment.Production;
                a.Impact = Impact.High;
                a.StartDate = At(T0.AddHours(4));
                a.Owner = "dba-team";
                a.Severity = Severity.Alert;
                a.Reason = "DiskFull";
                a.Code = 2;
                a.Notification = true;
                a.Notifications.Add(["slack", "pager"]);
                a.StakeHolders.Add(["dba-team", "ops-team"]);
                a.Resources.Add(new ResourceRef { Kind = "Host", Id = "h-1", Name = "db-host-1", Namespace = "dc1" });
                a.Labels.Add("team", "data");
                a.Labels.Add("severity", "p2");
            })),
            ("e12", New(12, "Ünïcödé ☃ snowman", a =>
            {
                a.Message = "emoji 🚀 launch";
                a.Source = "manual";
                a.Type = Type.Operation;
                a.Priority = Priority.P5;
                a.Service = "api";
                a.Status = Status.Close;
                a.Environment = Environment.Tnr;
                a.Impact = Impact.Low;
                a.Owner = "platform-team";
                a.Severity = Severity.Warning;
                a.Reason = "";
                a.Code = 0;
                a.Notification = false;
                a.Labels.Add("ключ", "значение");
            })),
        };
        return events;
    }

    public static Timestamp At(DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);

    private static Event New(int minute, string title, Action<EventAttributes> configure, DateTimeOffset? updatedAt = null)
    {
        var created = T0.AddMinutes(minute);
        var attributes = new EventAttributes();
        configure(attributes);
        return new Event
        {
            Id = Guid.CreateVersion7(created).ToString(),
            Title = title,
            Attributes = attributes,
            CreatedAt = At(created),
            UpdatedAt = At(updatedAt ?? created),
            Etag = Guid.NewGuid().ToString("N"),
        };
    }
}
