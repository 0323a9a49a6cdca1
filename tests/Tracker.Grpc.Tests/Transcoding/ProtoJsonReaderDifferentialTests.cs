using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Grpc.Tests.Transcoding.Protos;
using Tracker.Grpc.Transcoding;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

/// <summary>
/// Our JSON reading and writing against Google.Protobuf's JsonParser and JsonFormatter, the
/// reference implementation of proto3 JSON in C#.
/// </summary>
public sealed class ProtoJsonReaderDifferentialTests
{
    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles(RichReflection.Descriptor, WidgetsReflection.Descriptor);
    private static readonly JsonParser ReferenceParser = new(JsonParser.Settings.Default.WithTypeRegistry(Registry));
    private static readonly JsonFormatter ReferenceFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));
    private static readonly ProtoJsonReader Reader = new(ReferenceParser, ignoreUnknownFields: false);

    public static Rich FullRich()
    {
        var inner = new Rich.Types.Inner { Name = "in", Count = -3, Child = new Rich.Types.Inner { Name = "deep" } };
        var rich = new Rich
        {
            Int32Value = int.MinValue,
            Int64Value = long.MinValue,
            Uint32Value = uint.MaxValue,
            Uint64Value = ulong.MaxValue,
            Sint32Value = -17,
            Sint64Value = -9007199254740993,
            Fixed32Value = 4000000000,
            Fixed64Value = 18000000000000000000,
            Sfixed32Value = -5,
            Sfixed64Value = 9007199254740993,
            FloatValue = 1.5f,
            DoubleValue = -2.25e-10,
            BoolValue = true,
            StringValue = "héllo \"quoted\" \u2028 \n",
            BytesValue = ByteString.CopyFrom(0, 1, 2, 250, 255),
            Color = Color.DarkBlue,
            Inner = inner,
            RepeatedInt32 = { 1, -2, 3 },
            RepeatedString = { "a", "", "c" },
            RepeatedColor = { Color.Red, Color.Green },
            RepeatedInner = { inner, new Rich.Types.Inner() },
            StringToInt = { ["one"] = 1, ["minus"] = -1 },
            IntToString = { [7] = "seven", [-1] = "minus one" },
            BoolToInner = { [true] = inner, [false] = new Rich.Types.Inner { Count = 1 } },
            StringToColor = { ["r"] = Color.Red },
            ChoiceInner = inner,
            Timestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 0, 0, 123, TimeSpan.Zero)),
            Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(90.5)),
            FieldMask = new FieldMask { Paths = { "int32_value", "inner.name" } },
            Int32Wrapper = 0,
            Int64Wrapper = long.MaxValue,
            StringWrapper = "",
            BoolWrapper = false,
            DoubleWrapper = 3.5,
            BytesWrapper = ByteString.CopyFromUtf8("wrapped"),
            Uint64Wrapper = 12,
            FloatWrapper = 0.25f,
            Uint32Wrapper = 8,
            StructValue = Struct.Parser.ParseJson("{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 2.5}}"),
            Value = Value.ForList(Value.ForNumber(1), Value.ForString("s"), Value.ForNull()),
            ListValue = new ListValue { Values = { Value.ForBool(false), Value.ForStruct(new Struct()) } },
            Any = Any.Pack(new Widget { Id = "w", Color = Color.Green }),
            RepeatedTimestamp = { Timestamp.FromDateTime(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) },
            OptionalInt32 = 0,
            RepeatedWrapper = { 1, 2 },
            StringToValue = { ["n"] = Value.ForNull(), ["s"] = Value.ForString("v") },
        };
        return rich;
    }

    public static TheoryData<string> Messages => new()
    {
        Format(FullRich(), preserveNames: false),
        Format(FullRich(), preserveNames: true),
        Format(new Rich(), preserveNames: false),
        Format(new Rich { ChoiceText = "t", Value = Value.ForNull() }, preserveNames: false),
        Format(new Rich { ChoiceNumber = 5, Any = Any.Pack(Timestamp.FromDateTime(new DateTime(2020, 2, 2, 0, 0, 0, DateTimeKind.Utc))) }, preserveNames: false),
        Format(new Rich { Any = Any.Pack(Value.ForString("x")), DoubleValue = double.NaN, FloatValue = float.NegativeInfinity }, preserveNames: true),
    };

    // JSON that is valid proto3 JSON in some less usual spelling; both parsers must agree.
    public static TheoryData<string> Spellings => new()
    {
        """{"int32Value": "12", "int64Value": -5, "uint64Value": "18446744073709551615"}""",
        """{"int32Value": 1e2, "uint32Value": 5.0, "sint64Value": "-1e3"}""",
        """{"int32_value": 3, "string_value": "proto names"}""",
        """{"color": 2, "repeatedColor": ["COLOR_RED", 3, "COLOR_GREEN"]}""",
        """{"color": 99}""",
        """{"floatValue": "NaN", "doubleValue": "-Infinity"}""",
        """{"doubleValue": "1.5", "floatValue": 3}""",
        """{"floatValue": 3.4028235E+38}""",
        """{"floatValue": "-3.4028235e38"}""",
        """{"bytesValue": "AAEC+v8=", "bytesWrapper": "AAEC+v8="}""",
        """{"inner": null, "repeatedInt32": null, "stringToInt": null, "timestamp": null, "int32Wrapper": null}""",
        """{"value": null, "structValue": {}, "listValue": []}""",
        """{"intToString": {"-3": "x", "10": "y"}, "boolToInner": {"true": {"name": "t"}}}""",
        """{"timestamp": "2024-01-15T10:00:00+02:00", "duration": "-0.000001s", "fieldMask": "int32Value,inner.name"}""",
        """{"any": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "3s"}}""",
        """{"any": {"@type": "type.googleapis.com/transcoding.test.v1.Widget", "labels": {"a": "b"}}}""",
        """{"stringToValue": {"k": null}, "repeatedWrapper": [0, 5]}""",
        """{"optionalInt32": 0, "choiceInner": {}}""",
        """{"inner": {"child": {"child": {"count": "4"}}}}""",
    };

    // JSON that proto3 JSON rejects; both parsers must reject it.
    public static TheoryData<string> Invalid => new()
    {
        """{"int32Value": 2147483648}""",
        """{"int32Value": 1.5}""",
        """{"floatValue": 3.40282357E+38}""",
        """{"floatValue": "-3.5e38"}""",
        """{"uint32Value": -1}""",
        """{"int64Value": "12x"}""",
        """{"boolValue": "true"}""",
        """{"stringValue": 5}""",
        """{"color": "COLOR_PURPLE"}""",
        """{"color": true}""",
        """{"unknownField": 1}""",
        """{"inner": "text"}""",
        """{"repeatedInt32": 5}""",
        """{"repeatedInt32": [1, null]}""",
        """{"intToString": {"x": "y"}}""",
        """{"timestamp": "yesterday"}""",
        """{"duration": "5m"}""",
        """{"any": {"@type": "type.googleapis.com/unknown.Type"}}""",
        """{"choiceText": "a", "choiceNumber": 1}""",
        """{"bytesValue": "!!"}""",
        """{"int32Wrapper": "x"}""",
        """[1, 2]""",
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Merge_FormatterOutput_EqualsReferenceParserAndOriginal(string json)
    {
        var expected = ReferenceParser.Parse<Rich>(json);

        var actual = Parse(json);

        Assert.Equal(expected, actual);
        Assert.Equal(ReferenceFormatter.Format(expected), ReferenceFormatter.Format(actual));
    }

    [Fact]
    public void Merge_FullMessage_RoundTripsToOriginal()
    {
        var original = FullRich();

        Assert.Equal(original, Parse(Format(original, preserveNames: false)));
        Assert.Equal(original, Parse(Format(original, preserveNames: true)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Merge_RandomMessages_AgreeWithReferenceParserAndRoundTrip(int seed)
    {
        var messages = new RandomRichMessages(seed);
        for (var i = 0; i < 200; i++)
        {
            var original = messages.Next();
            foreach (var preserveNames in new[] { false, true })
            {
                var json = Format(original, preserveNames);

                var actual = Parse(json);

                Assert.Equal(ReferenceParser.Parse<Rich>(json), actual);
                Assert.Equal(original, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Merge_UnusualSpelling_AgreesWithReferenceParser(string json)
    {
        var expected = ReferenceParser.Parse<Rich>(json);

        Assert.Equal(expected, Parse(json));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Merge_InvalidJson_RejectedLikeReferenceParser(string json)
    {
        Assert.ThrowsAny<Exception>(() => ReferenceParser.Parse<Rich>(json));

        var error = Assert.Throws<RpcException>(() => Parse(json));

        Assert.Equal(StatusCode.InvalidArgument, error.Code);
        var violation = Assert.IsType<Google.Rpc.BadRequest>(Assert.Single(error.Details)).FieldViolations.Single();
        Assert.NotEmpty(violation.Field);
        Assert.NotEmpty(violation.Description);
    }

    [Fact]
    public void Merge_EnumAsNumericString_AcceptedUnlikeReferenceParser()
    {
        // A deliberate extension: CI payloads quote enum numbers ("type": "1"), as grpcurl users do.
        Assert.ThrowsAny<Exception>(() => ReferenceParser.Parse<Rich>("""{"color": "3"}"""));

        Assert.Equal(Color.DarkBlue, Parse("""{"color": "3"}""").Color);
    }

    [Fact]
    public void Merge_UrlSafeBase64WithoutPadding_AcceptedUnlikeReferenceParser()
    {
        // The proto3 JSON spec accepts both base64 alphabets, with or without padding.
        Assert.ThrowsAny<Exception>(() => ReferenceParser.Parse<Rich>("""{"bytesValue": "AAEC-v8"}"""));

        Assert.Equal(ByteString.CopyFrom(0, 1, 2, 250, 255), Parse("""{"bytesValue": "AAEC-v8"}""").BytesValue);
    }

    [Fact]
    public void Merge_Errors_NameTheJsonPath()
    {
        var error = Assert.Throws<RpcException>(() => Parse("""{"repeatedInner": [{}, {"count": "x"}]}"""));

        var violation = Assert.IsType<Google.Rpc.BadRequest>(Assert.Single(error.Details)).FieldViolations.Single();
        Assert.Equal("repeatedInner[1].count", violation.Field);
        Assert.Equal("expected a 32-bit integer", violation.Description);
        Assert.Equal("Invalid value for 'repeatedInner[1].count': expected a 32-bit integer", error.Detail);
    }

    [Fact]
    public void Merge_PresentPaths_AreLeafProtoNamesWithArraysAndMapsWhole()
    {
        var json = """
            {"int32Value": 1, "inner": {"name": "n", "child": {"count": 2}}, "repeatedInner": [{"name": "x"}],
             "stringToInt": {"a": 1}, "timestamp": "2024-01-01T00:00:00Z", "choiceInner": {}, "value": null, "structValue": {"k": 1}}
            """;
        var present = new List<string>();

        Reader.Merge(new Rich(), JsonDocument.Parse(json).RootElement, present);

        Assert.Equal(
            ["int32_value", "inner.name", "inner.child.count", "repeated_inner", "string_to_int", "timestamp", "choice_inner", "value", "struct_value"],
            present);
    }

    [Fact]
    public void Format_ResponseWriter_MatchesReferenceFormatter()
    {
        var writer = new TranscodingResponseWriter(Registry, NullLogger.Instance);
        var rich = FullRich();

        Assert.Equal(Compact(ReferenceFormatter.Format(rich)), writer.Format(rich, null));
        Assert.Equal("{}", writer.Format(new Rich(), null));
        Assert.Equal("\"COLOR_DARK_BLUE\"", writer.Format(rich, Rich.Descriptor.FindFieldByName("color")));
        Assert.Equal("[1,-2,3]", writer.Format(rich, Rich.Descriptor.FindFieldByName("repeated_int32")));
        Assert.Equal("\"-9223372036854775808\"", writer.Format(rich, Rich.Descriptor.FindFieldByName("int64_value")));
    }

    // The same JSON without whitespace between tokens, written by System.Text.Json.
    private static string Compact(string json) => JsonSerializer.Serialize(
        JsonDocument.Parse(json).RootElement,
        new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static Rich Parse(string json)
    {
        var message = new Rich();
        using var document = JsonDocument.Parse(json);
        Reader.Merge(message, document.RootElement);
        return message;
    }

    private static string Format(IMessage message, bool preserveNames) =>
        new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(Registry).WithPreserveProtoFieldNames(preserveNames)).Format(message);
}
