using System.Text;
using CsCheck;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// One query of a property case. What depends on the commit positions the store assigns (the
/// after_id position, a cursor's sequence value) names an event of the set by its index, and is
/// resolved once the events are stored.
/// </summary>
/// <param name="Where">The expression.</param>
/// <param name="Words">The full-text words, as <see cref="FullTextWords.Split"/> makes them.</param>
/// <param name="AfterIndex">For AfterSequence: null for none, -1 for before every event, else the index of the event whose sequence it is.</param>
/// <param name="Order">The order.</param>
/// <param name="WalkPageSize">The page size of the keyset walk over the whole result.</param>
/// <param name="Probe">One more page, at an offset or after a cursor that need not be a matching event.</param>
public sealed record QueryCase(FilterNode Where, IReadOnlyList<string> Words, int? AfterIndex, EventOrder Order, int WalkPageSize, PageProbe Probe);

/// <summary>A change made to a stored event: a new version of it, or (null) its deletion.</summary>
public sealed record EventChange(Event? NewVersion);

/// <param name="Limit">The page size.</param>
/// <param name="Offset">The offset (when <paramref name="CursorIndex"/> is null).</param>
/// <param name="CursorIndex">The event whose sort values make the cursor, or null for offset paging.</param>
/// <param name="Nudge">Moves the cursor's first value off the event's: -1 lower, 0 not at all, 1 higher.</param>
public sealed record PageProbe(int Limit, int Offset, int? CursorIndex, int Nudge);

/// <summary>
/// CsCheck generators for the query property tests: events from small vocabularies (so that
/// comparisons often hit, and text that sorts differently in UTF-8 and UTF-16), expressions of
/// every node kind over every field, words, orders and pages. Operands are drawn mostly from the
/// values the generated events hold.
/// </summary>
public static class QueryGenerators
{
    public static readonly DateTimeOffset BaseTime = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Services that are prefixes of each other, differ in case, hold LIKE metacharacters, and
    /// sort differently by UTF-8 than by UTF-16 ("pay😀" is after "payﬁ" in UTF-8, before it in UTF-16).
    /// </summary>
    public static readonly string[] Services =
    [
        "pay", "payments", "payments-api", "Payments", "pay%", "pay_", "payﬁ", "pay😀", "billing", "платежи", "支付",
    ];

    public static readonly string[] Sources = ["", "jenkins", "github_actions", "github", "a_b", "axb", "50%", "500", "c:\\ci"];

    public static readonly string[] Owners = ["", "ops", "ops-team", "Ops", "dev\\team", "dév", "de\u0301v"];

    public static readonly string[] Reasons = ["", "QuotaExceeded", "Quota", "quota", "OOMKilled", "错误"];

    public static readonly string[] RelatedIds = ["", "0190a1b2-0000-7000-8000-000000000001", "0190a1b2-0000-7000-8000-000000000002"];

    /// <summary>Words of titles and messages, in several scripts, with combining marks, ligatures, a superscript digit (not a decimal digit, so not a word character) and the odd punctuation.</summary>
    public static readonly string[] TextWords =
    [
        "Deploy", "deployed", "deployment", "rollback", "Payments", "payments-api", "v1.2.3", "api.example.com",
        "ÉCOLE", "école", "Straße", "Δοκιμή", "δοκιμή", "Ошибка", "ошибка", "日本語", "支付失败", "हैलो",
        "cafe\u0301", "café", "naïve", "x_y", "50%", "😀", "foo/bar", "ﬁle", "42", "2024-01-15", "m²",
    ];

    public static readonly string[] Separators = [" ", " ", " ", ", ", " - ", ": ", "/", ".", "\n"];

    public static readonly string[] People = ["ops", "ops-team", "dev", "Dev", "slack", "email", "sms%", "e_mail", "émail"];

    public static readonly string[] ResourceKinds = ["", "Pod", "pod", "Deployment"];
    public static readonly string[] ResourceIds = ["", "uid-1", "uid-2", "uid-10"];
    public static readonly string[] ResourceNames = ["", "api", "api-7d9", "web"];
    public static readonly string[] ResourceNamespaces = ["", "prod", "prod-eu", "staging"];

    public static readonly string[] LabelKeys = ["team", "tier", "app.kubernetes.io/name", "env", "Team"];

    /// <summary>Keys used in expressions: the events' keys and one no event has.</summary>
    public static readonly string[] QueryLabelKeys = [.. LabelKeys, "absent"];

    public static readonly string[] LabelValues = ["core", "payments", "", "Core", "core-2", "é", "50%"];

    /// <summary>Operands that hit LIKE metacharacters and escapes, whatever the field.</summary>
    public static readonly string[] AwkwardText = ["", "%", "_", "\\", "a%", "_b", "*", "'", "\"", "pay%", "ops\\"];

    public static readonly long[] Codes = [1, 42, 404, -1, int.MaxValue, int.MinValue];

    /// <summary>Every field an expression can name.</summary>
    public static readonly EventField[] FilterFields = [.. EventFields.All];

    /// <summary>Every field an order can name: the sortable ones, and the commit position.</summary>
    public static readonly EventField[] SortFields = [.. EventFields.All.Where(f => f.Sortable), EventField.Sequence];

    private static readonly int[] StatusNumbers = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    // ---- events ----------------------------------------------------------------------------------

    /// <summary>Between <paramref name="min"/> and <paramref name="max"/> valid events with distinct ids.</summary>
    public static Gen<Event[]> Events(int min, int max) =>
        Event.Array[min, max].Select(events => events.DistinctBy(e => e.Id).ToArray());

    /// <summary>
    /// What happens to each event after it is created: mostly nothing (null), sometimes a new
    /// version (same id and creation time, other values, a new etag), sometimes a delete.
    /// </summary>
    public static Gen<EventChange?[]> Changes(IReadOnlyList<Event> events) =>
        Gen.Frequency((16, Gen.Const(0)), (3, Gen.Const(1)), (1, Gen.Const(2))).Array[events.Count].SelectMany(kinds =>
            Event.Array[events.Count].Select(others => kinds.Select((kind, i) => kind switch
            {
                0 => null,
                1 => new EventChange(Revision(events[i], others[i])),
                _ => new EventChange(null),
            }).ToArray()));

    private static Event Revision(Event current, Event other)
    {
        var next = other.Clone();
        next.Id = current.Id;
        next.CreatedAt = current.CreatedAt;
        next.UpdatedAt = Timestamp.FromDateTimeOffset(current.UpdatedAt.ToDateTimeOffset().AddSeconds(1));
        return next;
    }

    /// <summary>Folding's fields (count and aggregation_key): mostly seen once with no key, as most events are.</summary>
    public static readonly string[] AggregationKeys = ["", "", "", "disk/db-1", "Disk/db-1", "k"];

    public static readonly Gen<Event> Event =
        Gen.Select(Header, Attributes, Gen.OneOf(0, 1, 1, 1, 2, 100), Gen.OneOf(AggregationKeys), (header, attributes, count, key) =>
        {
            var (title, id, created, updated, etag) = header;
            return new Event
            {
                Title = title,
                Id = id,
                CreatedAt = Timestamp.FromDateTimeOffset(created),
                UpdatedAt = Timestamp.FromDateTimeOffset(updated),
                Etag = etag,
                Attributes = attributes,
                Count = count,
                AggregationKey = key,
            };
        });

    private static Gen<(string Title, string Id, DateTimeOffset Created, DateTimeOffset Updated, string Etag)> Header =>
        Gen.Select(
            Sentence(1, 4),
            Gen.Guid,
            Time,
            Gen.OneOf(0L, 0L, 1L, 60_000_000L),
            Gen.Guid,
            (title, id, created, updatedAfter, etag) => (title, id.ToString(), created, created.AddTicks(updatedAfter * 10), etag.ToString("N")));

    private static Gen<EventAttributes> Attributes =>
        Gen.Select(Scalars, Enums, Dates, Lists, OtherScalars, (scalars, enums, dates, lists, others) =>
        {
            var a = new EventAttributes();
            scalars(a);
            enums(a);
            dates(a);
            lists(a);
            others(a);
            return a;
        });

    /// <summary>The attributes' scalars that <see cref="Scalars"/> and <see cref="Enums"/> draw from vocabularies of their own.</summary>
    private static HashSet<string> TunedScalars =>
        ["service", "message", "source", "owner", "reason", "related_id", "type", "priority", "status", "environment", "impact", "severity", "code", "notification"];

    /// <summary>Every other scalar of the attributes that the catalog declares in a column (none today; a new field lands here).</summary>
    private static FieldDescriptor[] UntunedScalars =>
        [.. EventFields.All.Where(f => f.Storage is ColumnStorage && !TunedScalars.Contains(f.Name))
            .Select(f => EventAttributes.Descriptor.FindFieldByName(f.Name)).Where(d => d is not null)];

    /// <summary>A value for each of <see cref="UntunedScalars"/> by its proto type, a quarter of them left unset.</summary>
    private static Gen<Action<EventAttributes>> OtherScalars => OtherScalarsOf(UntunedScalars);

    private static Gen<Action<EventAttributes>> OtherScalarsOf(FieldDescriptor[] scalars) =>
        Gen.Int[0, 1023].Array[scalars.Length].Select(draws => new Action<EventAttributes>(a =>
        {
            for (var i = 0; i < scalars.Length; i++)
            {
                if (draws[i] % 4 != 0)
                {
                    scalars[i].Accessor.SetValue(a, ScalarValue(scalars[i], draws[i] / 4));
                }
            }
        }));

    private static object ScalarValue(FieldDescriptor field, int draw) => field.FieldType switch
    {
        FieldType.String => AwkwardText.Concat(TextWords).ElementAt(draw % (AwkwardText.Length + TextWords.Length)),
        FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[draw % field.EnumType.Values.Count].Number),
        FieldType.Bool => draw % 2 == 1,
        FieldType.Int64 or FieldType.SInt64 => Codes[draw % Codes.Length],
        _ => (int)Codes[draw % Codes.Length],
    };

    private static Gen<Action<EventAttributes>> Scalars =>
        Gen.Select(
            Gen.OneOf(Services),
            Optional(Sentence(0, 5)),
            Optional(Gen.OneOf(Sources)),
            Optional(Gen.OneOf(Owners)),
            Optional(Gen.OneOf(Reasons)),
            Optional(Gen.OneOf(RelatedIds)),
            (service, message, source, owner, reason, relatedId) => new Action<EventAttributes>(a =>
            {
                a.Service = service;

                // Optional strings set to "" are as unset as absent ones.
                if (message is not null)
                {
                    a.Message = message;
                }

                if (source is not null)
                {
                    a.Source = source;
                }

                if (owner is not null)
                {
                    a.Owner = owner;
                }

                if (reason is not null)
                {
                    a.Reason = reason;
                }

                if (relatedId is not null)
                {
                    a.RelatedId = relatedId;
                }
            }));

    private static Gen<Action<EventAttributes>> Enums =>
        Gen.Select(
            Gen.Int[1, 5],
            Optional(Gen.Int[0, 5]),
            Optional(Gen.OneOf(StatusNumbers)),
            Optional(Gen.Int[0, 8]),
            Optional(Gen.Int[0, 3]),
            Optional(Gen.Int[0, 4]),
            Gen.Frequency((2, Gen.Const(default(long?))), (1, Gen.Const<long?>(0)), (3, Gen.OneOf(Codes).Select(c => (long?)c))),
            Gen.OneOf<bool?>(null, false, true),
            (type, priority, status, environment, impact, severity, code, notification) => new Action<EventAttributes>(a =>
            {
                a.Type = (Type)type;
                if (priority is { } p)
                {
                    a.Priority = (Priority)p;
                }

                if (status is { } s)
                {
                    a.Status = (Status)s;
                }

                if (environment is { } env)
                {
                    a.Environment = (Api.V1Alpha1.Environment)env;
                }

                if (impact is { } i)
                {
                    a.Impact = (Impact)i;
                }

                if (severity is { } sev)
                {
                    a.Severity = (Severity)sev;
                }

                if (code is { } c)
                {
                    a.Code = (int)c;
                }

                if (notification is { } n)
                {
                    a.Notification = n;
                }
            }));

    /// <summary>Optional start and end dates, end never before start (the validator's rule), near each other and the creation times.</summary>
    private static Gen<Action<EventAttributes>> Dates =>
        Gen.Select(
            Gen.Frequency((4, Gen.Const(default(DateTimeOffset?))), (5, Time.Select(t => (DateTimeOffset?)t)), (1, Gen.OneOf<DateTimeOffset?>(new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990), new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)))),
            Gen.Frequency((5, Gen.Const(default(long?))), (4, Gen.OneOf<long?>(0, 1, 60_000_000, 120_000_000)), (1, Gen.Const<long?>(-1))),
            (start, endAfter) => new Action<EventAttributes>(a =>
            {
                if (start is { } s)
                {
                    a.StartDate = Timestamp.FromDateTimeOffset(s);
                }

                if (endAfter is { } after)
                {
                    // -1: the far future; otherwise after the start, or after the base time when there is none.
                    var end = after < 0 ? new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) : (start ?? BaseTime.AddMinutes(2)).AddTicks(after * 10);
                    a.EndDate = Timestamp.FromDateTimeOffset(end);
                }
            }));

    /// <summary>Every repeated string field the catalog declares, as the proto names it.</summary>
    private static FieldDescriptor[] RepeatedTextFields =>
        [.. EventFields.All.Select(f => f.Storage).OfType<RepeatedTextStorage>().Select(r => EventAttributes.Descriptor.FindFieldByName(r.Name))];

    private static Gen<Action<EventAttributes>> Lists => ListsOf(RepeatedTextFields);

    private static Gen<Action<EventAttributes>> ListsOf(FieldDescriptor[] repeatedTextFields) =>
        Gen.Select(
            Gen.OneOf(People).Array[0, 3].Array[repeatedTextFields.Length],
            Resource.Array[0, 3],
            Gen.Select(Gen.OneOf(LabelKeys), Gen.OneOf(LabelValues)).Array[0, 3],
            (repeated, resources, labels) => new Action<EventAttributes>(a =>
            {
                for (var i = 0; i < repeatedTextFields.Length; i++)
                {
                    var list = (RepeatedField<string>)repeatedTextFields[i].Accessor.GetValue(a);
                    list.Add(repeated[i]);
                }

                a.Resources.Add(resources);
                foreach (var (key, value) in labels)
                {
                    a.Labels[key] = value;
                }
            }));

    private static Gen<ResourceRef> Resource =>
        Gen.Select(Gen.OneOf(ResourceKinds), Gen.OneOf(ResourceIds), Gen.OneOf(ResourceNames), Gen.OneOf(ResourceNamespaces))
            .Select((kind, id, name, ns) => new ResourceRef { Kind = kind, Id = id, Name = name, Namespace = ns })
            .Where(r => r.Kind.Length + r.Id.Length + r.Name.Length + r.Namespace.Length > 0);

    /// <summary>A few minutes around the base time, so that times tie, sometimes a microsecond apart.</summary>
    private static Gen<DateTimeOffset> Time =>
        Gen.Select(Gen.Int[-2, 6], Gen.OneOf(0L, 0L, 0L, 1L, 999L, 59_999_999L), (minutes, micros) => BaseTime.AddMinutes(minutes).AddTicks(micros * 10));

    private static Gen<string> Sentence(int minWords, int maxWords) =>
        Gen.Select(Gen.OneOf(TextWords), Gen.OneOf(Separators)).Array[minWords, maxWords]
            .Select(parts => string.Concat(parts.Select((p, i) => i == 0 ? p.Item1 : p.Item2 + p.Item1)))
            .Where(s => maxWords == 0 || minWords == 0 || s.Trim().Length > 0);

    private static Gen<T?> Optional<T>(Gen<T> gen)
        where T : class =>
        Gen.Frequency((1, Gen.Const(default(T?))), (3, gen.Select(v => (T?)v)));

    private static Gen<int?> Optional(Gen<int> gen) =>
        Gen.Frequency((1, Gen.Const(default(int?))), (3, gen.Select(v => (int?)v)));

    // ---- expressions -----------------------------------------------------------------------------

    /// <summary>
    /// Expressions over <paramref name="events"/>, nested to <paramref name="depth"/>: AllOf and
    /// AnyOf of 0 to 3 terms (so also the empty ones), negations, comparisons with every
    /// comparator a field takes, and presences. <paramref name="leaf"/> may narrow the leaves.
    /// </summary>
    public static Gen<FilterNode> Expression(IReadOnlyList<Event> events, int depth, Func<FilterNode, bool>? leaf = null)
    {
        var leaves = Leaf(events);
        if (leaf is not null)
        {
            leaves = leaves.Where(leaf);
        }

        // Mostly two or three terms; now and then none (true for AND, false for OR) or one.
        var termCount = Gen.Frequency((1, Gen.Const(0)), (2, Gen.Const(1)), (4, Gen.Const(2)), (3, Gen.Const(3)));
        var tree = leaves;
        for (var level = 1; level <= depth; level++)
        {
            var below = tree;
            tree = Gen.Frequency(
                (2, leaves),
                (3, termCount.SelectMany(n => below.Array[n]).Select(terms => (FilterNode)new AllOf(terms))),
                (3, termCount.SelectMany(n => below.Array[n]).Select(terms => (FilterNode)new AnyOf(terms))),
                (1, below.Select(term => (FilterNode)new Negation(term))));
        }

        return tree;
    }

    public static Gen<FilterNode> Leaf(IReadOnlyList<Event> events)
    {
        var byField = FilterFields.Select(field => Gen.Frequency(
            (1, Presence(field)),
            (4, Comparison(events, field)))).ToArray();
        return Gen.OneOf(byField);
    }

    private static Gen<FilterNode> Presence(EventField field) =>
        field.Storage is LabelMapStorage
            ? Gen.OneOf(QueryLabelKeys).Select(key => (FilterNode)new Presence(field, key))
            : Gen.Const<FilterNode>(new Presence(field));

    private static readonly Comparator[] Ordering = [Comparator.Equal, Comparator.Less, Comparator.LessOrEqual, Comparator.Greater, Comparator.GreaterOrEqual];

    private static Gen<FilterNode> Comparison(IReadOnlyList<Event> events, EventField field)
    {
        var info = field;
        if (info.Kind == FieldKind.Text)
        {
            var comparators = Gen.OneOf(System.Enum.GetValues<Comparator>());
            if (field.Storage is LabelMapStorage)
            {
                return Gen.OneOf(QueryLabelKeys).SelectMany<string, FilterNode>(key =>
                    Gen.Select(comparators, TextOperand(TextValues(events, field, key), LabelValues))
                        .Select((comparator, value) => (FilterNode)new Comparison(field, comparator, FilterValue.Of(value), key)));
            }

            return Gen.Select(comparators, TextOperand(TextValues(events, field, null), Vocabulary(field)))
                .Select((comparator, value) => (FilterNode)new Comparison(field, comparator, FilterValue.Of(value)));
        }

        return Gen.Select(Gen.OneOf(Ordering), NumberOperand(events, info))
            .Select((comparator, value) => (FilterNode)new Comparison(field, comparator, FilterValue.Of(value)));
    }

    /// <summary>Text operands: values the events hold, pieces of them, the field's vocabulary, and awkward strings.</summary>
    private static Gen<string> TextOperand(string[] held, string[] vocabulary)
    {
        var choices = new List<(int, IGen<string>)>
        {
            (2, Gen.OneOf(vocabulary)),
            (1, Gen.OneOf(AwkwardText)),
            (1, Slice(Gen.OneOf(vocabulary))),
        };
        if (held.Length > 0)
        {
            choices.Add((5, Gen.OneOf(held)));
            choices.Add((3, Slice(Gen.OneOf(held))));
        }

        return Gen.Frequency(choices.ToArray());
    }

    /// <summary>A piece of a text, cut between runes: a prefix, a suffix or a middle.</summary>
    private static Gen<string> Slice(Gen<string> texts) =>
        texts.SelectMany(text =>
        {
            var runes = text.EnumerateRunes().ToArray();
            return Gen.Select(Gen.Int[0, runes.Length], Gen.Int[0, runes.Length], (a, b) =>
            {
                var (from, to) = a <= b ? (a, b) : (b, a);
                var s = new StringBuilder();
                foreach (var rune in runes[from..to])
                {
                    s.Append(rune.ToString());
                }

                return s.ToString();
            });
        });

    /// <summary>The start of a word of a text, in the case it is written in: what a person types to find it.</summary>
    private static Gen<string> TokenStart(Gen<string> texts) =>
        texts.SelectMany<string, string>(text =>
        {
            var tokens = text.Split(' ', '-', '.', ',', ':', '/', '\n').Where(t => t.Length > 0).ToArray();
            return tokens.Length == 0
                ? Gen.Const(text)
                : Gen.OneOf(tokens).SelectMany<string, string>(token =>
                {
                    var runes = token.EnumerateRunes().Select(r => r.ToString()).ToArray();
                    return Gen.Int[1, runes.Length].Select(n => string.Concat(runes.Take(n)));
                });
        });

    private static Gen<long> NumberOperand(IReadOnlyList<Event> events, EventField info)
    {
        var held = events.Select(e => ReferenceEvaluator.SortValue(new ReferenceRow(e, 0), info).Number).Distinct().ToArray();
        long[] constants = info.Kind switch
        {
            FieldKind.Enum => Enumerable.Range(0, info.Enum!.Values.Max(v => v.Number) + 2).Select(n => (long)n).ToArray(),
            FieldKind.Boolean => [0, 1, 2, -1],
            FieldKind.Integer => [0, .. Codes, long.MaxValue, long.MinValue],
            _ => [0, EventKeys.UnsetTimeSortValue, long.MaxValue, EventKeys.ToMicros(BaseTime)],
        };
        return Gen.Frequency(
            (4, Gen.Select(Gen.OneOf(held), Gen.OneOf(-1L, 0L, 0L, 0L, 1L), (v, delta) => v == long.MinValue || v == long.MaxValue ? v : v + delta)),
            (1, Gen.OneOf(constants)));
    }

    /// <summary>The text values <paramref name="field"/> holds across the events: each element of repeated fields, the key's value of labels.</summary>
    public static string[] TextValues(IReadOnlyList<Event> events, EventField field, string? labelKey) =>
        events.SelectMany(e => TextValues(e, field, labelKey)).Distinct(StringComparer.Ordinal).ToArray();

    private static IEnumerable<string> TextValues(Event e, EventField field, string? labelKey) =>
        field.ValuesIn(e, labelKey).Select(v => v.Text ?? throw new ArgumentOutOfRangeException(nameof(field), field, "Not a text field."));

    /// <summary>
    /// The vocabularies drawn from besides the values the events hold, chosen for the fields whose
    /// values the events draw from them; any other field (a new one included) takes the common one.
    /// </summary>
    private static readonly Dictionary<string, string[]> Vocabularies = new(StringComparer.Ordinal)
    {
        ["title"] = TextWords,
        ["message"] = TextWords,
        ["id"] = RelatedIds,
        ["related_id"] = RelatedIds,
        ["source"] = Sources,
        ["service"] = Services,
        ["owner"] = Owners,
        ["reason"] = Reasons,
        ["aggregation_key"] = AggregationKeys,
        ["resources.kind"] = ResourceKinds,
        ["resources.id"] = ResourceIds,
        ["resources.name"] = ResourceNames,
        ["resources.namespace"] = ResourceNamespaces,
        ["labels"] = LabelValues,
    };

    // Repeated strings hold People (see Lists); anything else, the awkward strings and the words.
    private static string[] Vocabulary(EventField field) =>
        Vocabularies.TryGetValue(field.Name, out var vocabulary) ? vocabulary
        : field.Storage is RepeatedTextStorage ? People
        : [.. AwkwardText, .. TextWords];

    // ---- words, orders, pages -------------------------------------------------------------------

    /// <summary>
    /// Usually no words; else one or two, typed as a person would (pieces of the events' words,
    /// in any case) and split by <see cref="FullTextWords.Split"/> as the service does.
    /// </summary>
    public static Gen<IReadOnlyList<string>> Words(IReadOnlyList<Event> events)
    {
        var texts = events.SelectMany(e => new[] { e.Title, e.Attributes.Message }).Where(t => t.Length > 0).Distinct().ToArray();
        var typed = Gen.Frequency(
            (5, TokenStart(Gen.OneOf(texts))),
            (2, Slice(Gen.OneOf(texts))),
            (2, TokenStart(Gen.OneOf(TextWords))),
            (1, Gen.OneOf("zq", "DEPLOY", "Écol", "ОШИБ", "δοκ", "日本", "cafe", "caf", "x", "1", "2024")));
        var query = Gen.Frequency(
            (6, Gen.Const(string.Empty)),
            (3, typed),
            (1, Gen.Select(typed, typed, (a, b) => a + " " + b)));
        return query.Select(q => FullTextWords.Split(q, new Violations()));
    }

    public static Gen<EventOrder> Order =>
        Gen.Frequency(
            (1, Gen.Const(EventOrder.NewestFirst)),
            (1, Gen.Const(EventOrder.CommitOrder)),
            (8, Gen.Select(Gen.Int[0, SortFields.Length - 1], Gen.Bool).Array[1, 3]
                .Select(keys => new EventOrder(keys.DistinctBy(k => k.Item1).Select(k => new SortKey(SortFields[k.Item1], k.Item2)).ToArray()))));

    /// <summary>After_id's position: mostly none, else before every event or at one of them.</summary>
    public static Gen<int?> AfterIndex(int eventCount) =>
        Gen.Frequency((7, Gen.Const(default(int?))), (1, Gen.Const<int?>(-1)), (2, Gen.Int[0, eventCount - 1].Select(i => (int?)i)));

    public static Gen<PageProbe> Probe(int eventCount) =>
        Gen.Select(
            Gen.Int[1, 20],
            Gen.Int[0, eventCount],
            Gen.Frequency((1, Gen.Const(default(int?))), (2, Gen.Int[0, eventCount - 1].Select(i => (int?)i))),
            Gen.OneOf(0, 0, -1, 1),
            (limit, offset, cursor, nudge) => new PageProbe(limit, offset, cursor, nudge));

    /// <summary>Queries over <paramref name="events"/>.</summary>
    public static Gen<QueryCase> Query(IReadOnlyList<Event> events, int depth) =>
        Gen.Select(
            Expression(events, depth),
            Words(events),
            AfterIndex(events.Count),
            Order,
            Gen.Int[1, 30],
            Probe(events.Count),
            (where, words, after, order, pageSize, probe) => new QueryCase(where, words, after, order, pageSize, probe));

    /// <summary>A value of <paramref name="gen"/> drawn from <paramref name="pcg"/>: the same PCG state gives the same value.</summary>
    public static T Draw<T>(this Gen<T> gen, PCG pcg) => gen.Generate(pcg, null!, out _);
}
