using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Bench.Driver;

/// <summary>
/// Realistic events for a platform of <see cref="Services"/> services over the year 2025:
/// deployments most, then operations, drift, incidents and automation runs; more on working
/// days and hours; a few popular services with most of the traffic (Zipf-like); titles,
/// messages, labels, links and resources shaped like what CI pipelines and controllers send.
/// Deterministic for a seed, so every run searches the same data. Every message word is in about
/// half of the events; <see cref="RareWord"/> is in <see cref="RareWordEvents"/> of them, spread
/// over the load, and no event has <see cref="AbsentWord"/>: the full-text kinds of scenario h.
/// </summary>
internal sealed class EventFactory(int seed)
{
    public static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset YearEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] Services =
    [
        "checkout", "payments", "catalog", "search", "auth", "orders", "inventory", "shipping", "notifications", "pricing",
        "recommendations", "cart", "accounts", "billing", "gateway", "reporting", "media", "reviews", "loyalty", "fraud",
        "ledger", "invoicing", "tax", "returns", "warehouse", "scheduler", "identity", "audit", "export", "import",
        "metrics", "logging", "config", "feature-flags", "mailer", "sms", "geo", "currency", "support", "admin",
    ];

    /// <summary>A word that ends <see cref="RareWordEvents"/> messages of a load and is in no other text (nor starts any other word).</summary>
    public const string RareWord = "postmortem";

    /// <summary>How many events of a load of <see cref="EventTimesMicros"/> carry <see cref="RareWord"/>, whatever its size.</summary>
    public const int RareWordEvents = 8;

    /// <summary>A word that no generated text has, nor starts a word of it.</summary>
    public const string AbsentWord = "segfault";

    private static readonly string[] Sources = ["github-actions", "jenkins", "gitlab-ci", "argocd", "terraform", "ansible", "kubernetes", "ovirt", "rundeck", "uipath"];
    private static readonly string[] Owners = ["team-payments", "team-core", "team-search", "team-platform", "team-data", "team-identity", "team-logistics", "team-growth", "team-sre", "team-security", "team-mobile", "team-web"];
    private static readonly string[] Regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"];
    private static readonly string[] Reasons = ["Completed", "QuotaExceeded", "BackOff", "Unhealthy", "ScalingReplicaSet", "ConfigChanged", "Killing", "Pulled"];
    private static readonly string[] Words = "the a to of rollout canary replica pod node image pipeline stage step job cluster namespace service config secret volume health check latency error budget alert page on-call runbook change ticket approval window freeze rollback release build artifact digest tag version region zone database migration schema index cache queue topic consumer lag".Split(' ');

    private static readonly (Type Value, int Weight)[] TypeWeights = [(Type.Deployment, 45), (Type.Operation, 25), (Type.Drift, 10), (Type.Incident, 10), (Type.RpaUsage, 10)];
    private static readonly (Priority Value, int Weight)[] PriorityWeights = [(Priority.P1, 3), (Priority.P2, 10), (Priority.P3, 40), (Priority.P4, 30), (Priority.P5, 17)];
    private static readonly (Api.V1Alpha1.Environment Value, int Weight)[] EnvironmentWeights =
    [
        (Api.V1Alpha1.Environment.Development, 25), (Api.V1Alpha1.Environment.Integration, 15), (Api.V1Alpha1.Environment.Tnr, 5), (Api.V1Alpha1.Environment.Uat, 10),
        (Api.V1Alpha1.Environment.Recette, 5), (Api.V1Alpha1.Environment.Preproduction, 15), (Api.V1Alpha1.Environment.Production, 23), (Api.V1Alpha1.Environment.Mco, 2),
    ];

    private static readonly (Impact Value, int Weight)[] ImpactWeights = [(Impact.Low, 60), (Impact.Medium, 30), (Impact.High, 10)];

    private readonly Random _random = new(seed);

    // Which events carry the rare word: every _rareEvery-th made, counted without the random, so
    // that the rest of the data stays as it was for a seed. 0 until a load's size is known.
    private long _rareEvery;
    private long _made;
    private readonly double[] _serviceCumulative = Cumulative(Services.Select((_, rank) => 1.0 / Math.Pow(rank + 1, 0.8)).ToArray());

    /// <summary>Event times over the year, sorted, busier on working days and hours.</summary>
    public long[] EventTimesMicros(int count)
    {
        _rareEvery = Math.Max(1, count / RareWordEvents);
        var times = new long[count];
        var span = (YearEnd - YearStart).Ticks;
        for (var i = 0; i < count; i++)
        {
            while (true)
            {
                var t = YearStart.AddTicks((long)(_random.NextDouble() * span));
                var weekend = t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                var working = t.Hour is >= 8 and < 19;
                var keep = (weekend ? 0.25 : 1.0) * (working ? 1.0 : 0.3);
                if (_random.NextDouble() < keep)
                {
                    times[i] = (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
                    break;
                }
            }
        }

        Array.Sort(times);
        return times;
    }

    public string NextService() => Services[Pick(_serviceCumulative)];

    public Type NextType() => Weighted(TypeWeights);

    /// <summary>A complete stored event starting at <paramref name="startMicros"/>, as CreateEvent would have stored it.</summary>
    public Event Next(long startMicros)
    {
        var start = DateTimeOffset.UnixEpoch.AddTicks(startMicros * 10);
        var type = NextType();
        var service = NextService();
        var environment = Weighted(EnvironmentWeights);
        var version = $"{_random.Next(1, 9)}.{_random.Next(0, 40)}.{_random.Next(0, 20)}";
        var attributes = new EventAttributes
        {
            Type = type,
            Service = service,
            Source = type == Api.V1Alpha1.Type.RpaUsage ? "uipath" : Sources[_random.Next(Sources.Length)],
            Priority = Weighted(PriorityWeights),
            Environment = environment,
            Impact = Weighted(ImpactWeights),
            Status = StatusOf(type),
            Owner = Owners[_random.Next(Owners.Length)],
            Message = Sentence(_random.Next(12, 60)) + RareSuffix(),
            Severity = type == Api.V1Alpha1.Type.Incident ? Severity.Error : Severity.Normal,
            Reason = Reasons[_random.Next(Reasons.Length)],
            Code = _random.Next(0, 100) < 90 ? 0 : _random.Next(1, 255),
            Notification = _random.Next(0, 10) == 0,
            Labels = { ["version"] = version, ["region"] = Regions[_random.Next(Regions.Length)] },
        };
        attributes.StakeHolders.Add(Owners[_random.Next(Owners.Length)]);
        if (_random.Next(0, 3) == 0)
        {
            attributes.Resources.Add(new ResourceRef { Kind = "Deployment", Name = service, Namespace = service + "-" + EnvironmentName(environment) });
        }

        // One event in ten has no start date: its event time is then its creation time.
        var created = start.AddMilliseconds(_random.Next(50, 5000));
        if (_random.Next(0, 10) != 0)
        {
            attributes.StartDate = Timestamp.FromDateTimeOffset(start);
            if (type != Api.V1Alpha1.Type.Drift)
            {
                var seconds = type == Api.V1Alpha1.Type.Incident ? _random.Next(600, 4 * 3600) : (int)Math.Exp(_random.NextDouble() * 7.5) + 5;
                attributes.EndDate = Timestamp.FromDateTimeOffset(start.AddSeconds(seconds));
            }
        }
        else
        {
            created = start;
        }

        var createdAt = Timestamp.FromDateTimeOffset(created);
        var stored = new Event
        {
            Title = TitleOf(type, service, version, environment),
            Attributes = attributes,
            Links = type switch
            {
                Api.V1Alpha1.Type.Deployment => new EventLinks { PullRequestLink = $"https://github.example.com/acme/{service}/pull/{_random.Next(1, 5000)}" },
                Api.V1Alpha1.Type.Incident => new EventLinks { Ticket = $"INC-{_random.Next(10000, 99999)}" },
                _ => null,
            },
            Id = StoreInternals.NewId(created),
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            Etag = StoreInternals.NewEtag(),
        };
        if (attributes.StartDate is { } s && attributes.EndDate is { } e)
        {
            stored.Duration = e - s;
        }

        return stored;
    }

    /// <summary>The CreateEvent request of the write scenarios: one deployment, sent again and again.</summary>
    public static CreateEventRequest CreateRequest() => new()
    {
        Title = "Deploy checkout v4.12.0 to production",
        Attributes = new EventAttributes
        {
            Message = "Rolled out checkout 4.12.0 (image sha256:9f2c1e) to the production cluster in eu-west-1: 12/12 replicas ready, canary checks passed.",
            Source = "github-actions",
            Type = Api.V1Alpha1.Type.Deployment,
            Priority = Priority.P3,
            Service = "checkout",
            Status = Status.Success,
            Environment = Api.V1Alpha1.Environment.Production,
            Impact = Impact.Low,
            StartDate = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 6, 2, 9, 30, 0, TimeSpan.Zero)),
            EndDate = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 6, 2, 9, 34, 12, TimeSpan.Zero)),
            Owner = "team-payments",
            StakeHolders = { "team-sre" },
            Labels = { ["version"] = "4.12.0", ["region"] = "eu-west-1" },
        },
        Links = new EventLinks { PullRequestLink = "https://github.example.com/acme/checkout/pull/4121" },
    };

    /// <summary>The event Tracker stores for <see cref="CreateRequest"/> at <paramref name="now"/>.</summary>
    public static Event StoredFrom(CreateEventRequest request, DateTimeOffset now)
    {
        var timestamp = Timestamp.FromDateTimeOffset(now);
        var stored = new Event
        {
            Title = request.Title,
            Attributes = request.Attributes.Clone(),
            Links = request.Links?.Clone(),
            Id = StoreInternals.NewId(now),
            CreatedAt = timestamp,
            UpdatedAt = timestamp,
            Etag = StoreInternals.NewEtag(),
        };
        stored.Duration = stored.Attributes.EndDate - stored.Attributes.StartDate;
        return stored;
    }

    private Status StatusOf(Type type) => type switch
    {
        Api.V1Alpha1.Type.Deployment => _random.Next(0, 100) switch { < 82 => Status.Success, < 90 => Status.Failure, < 95 => Status.InProgress, _ => Status.Start },
        Api.V1Alpha1.Type.Incident => _random.Next(0, 2) == 0 ? Status.Open : Status.Close,
        Api.V1Alpha1.Type.Drift => Status.Warning,
        Api.V1Alpha1.Type.Operation => _random.Next(0, 100) < 90 ? Status.Done : Status.Error,
        _ => _random.Next(0, 100) < 95 ? Status.Success : Status.Failure,
    };

    private string TitleOf(Type type, string service, string version, Api.V1Alpha1.Environment environment) => type switch
    {
        Api.V1Alpha1.Type.Deployment => $"Deploy {service} v{version} to {EnvironmentName(environment)}",
        Api.V1Alpha1.Type.Operation => $"{(_random.Next(0, 2) == 0 ? "Restart" : "Scale")} {service} in {EnvironmentName(environment)}",
        Api.V1Alpha1.Type.Drift => $"Configuration drift on {service} ({EnvironmentName(environment)})",
        Api.V1Alpha1.Type.Incident => $"{service} error rate above SLO in {EnvironmentName(environment)}",
        _ => $"Robot run {service}-reconcile #{_random.Next(1, 100000)}",
    };

    private static string EnvironmentName(Api.V1Alpha1.Environment environment) => environment.ToString().ToLowerInvariant();

    // The middle event of each stretch of _rareEvery: none at the very start or end of the load.
    private string RareSuffix() =>
        _rareEvery > 0 && _made++ % _rareEvery == _rareEvery / 2 && _made <= _rareEvery * RareWordEvents ? " See the " + RareWord + "." : string.Empty;

    private string Sentence(int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            parts[i] = Words[_random.Next(Words.Length)];
        }

        return string.Join(' ', parts) + ".";
    }

    private T Weighted<T>((T Value, int Weight)[] table)
    {
        var total = 0;
        foreach (var (_, weight) in table)
        {
            total += weight;
        }

        var pick = _random.Next(total);
        foreach (var (value, weight) in table)
        {
            if (pick < weight)
            {
                return value;
            }

            pick -= weight;
        }

        return table[^1].Value;
    }

    private int Pick(double[] cumulative)
    {
        var x = _random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, x);
        return index >= 0 ? index : Math.Min(~index, cumulative.Length - 1);
    }

    private static double[] Cumulative(double[] weights)
    {
        var sums = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            sums[i] = sum;
        }

        return sums;
    }
}
