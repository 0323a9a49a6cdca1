using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Grpc.Tests.Transcoding.Protos;

namespace Tracker.Grpc.Tests.Transcoding;

/// <summary>Seeded random Rich messages: each field set or not, with values from the edges of their ranges.</summary>
internal sealed class RandomRichMessages
{
    private readonly Random _random;

    public RandomRichMessages(int seed)
    {
        _random = new Random(seed);
    }

    public Rich Next()
    {
        var rich = new Rich();
        if (Coin())
        {
            rich.Int32Value = Pick(0, 1, -1, int.MaxValue, int.MinValue, _random.Next());
        }

        if (Coin())
        {
            rich.Int64Value = Pick(0L, long.MaxValue, long.MinValue, 9007199254740993L, _random.NextInt64());
        }

        if (Coin())
        {
            rich.Uint32Value = Pick(0u, uint.MaxValue, (uint)_random.Next());
        }

        if (Coin())
        {
            rich.Uint64Value = Pick(0ul, ulong.MaxValue, (ulong)_random.NextInt64());
        }

        if (Coin())
        {
            rich.Sint64Value = -_random.NextInt64();
        }

        if (Coin())
        {
            rich.FloatValue = Pick(0f, float.MaxValue, float.Epsilon, -1.5f, float.NaN, float.PositiveInfinity, (float)_random.NextDouble());
        }

        if (Coin())
        {
            rich.DoubleValue = Pick(0d, double.MaxValue, double.Epsilon, -1e-300, double.NegativeInfinity, _random.NextDouble() * 1e10);
        }

        if (Coin())
        {
            rich.BoolValue = Coin();
        }

        if (Coin())
        {
            rich.StringValue = Text();
        }

        if (Coin())
        {
            rich.BytesValue = ByteString.CopyFrom(Bytes());
        }

        if (Coin())
        {
            rich.Color = (Color)_random.Next(0, 5);
        }

        if (Coin())
        {
            rich.Inner = Inner(2);
        }

        for (var i = _random.Next(0, 3); i > 0; i--)
        {
            rich.RepeatedInt32.Add(_random.Next(int.MinValue, int.MaxValue));
            rich.RepeatedString.Add(Text());
            rich.RepeatedColor.Add((Color)_random.Next(0, 4));
            rich.RepeatedInner.Add(Inner(1));
            rich.StringToInt[Text()] = _random.Next();
            rich.IntToString[_random.Next(int.MinValue, int.MaxValue)] = Text();
            rich.BoolToInner[Coin()] = Inner(1);
            rich.RepeatedTimestamp.Add(Time());
            rich.RepeatedWrapper.Add(_random.Next());
        }

        switch (_random.Next(0, 4))
        {
            case 1:
                rich.ChoiceText = Text();
                break;
            case 2:
                rich.ChoiceNumber = _random.NextInt64();
                break;
            case 3:
                rich.ChoiceInner = Inner(1);
                break;
        }

        if (Coin())
        {
            rich.Timestamp = Time();
        }

        if (Coin())
        {
            rich.Duration = new Duration { Seconds = _random.Next(-100000, 100000), Nanos = 0 }.Seconds is var s && s < 0
                ? new Duration { Seconds = s, Nanos = -_random.Next(0, 999999999) }
                : new Duration { Seconds = s, Nanos = _random.Next(0, 999999999) };
        }

        if (Coin())
        {
            rich.FieldMask = new FieldMask { Paths = { "int32_value", "inner.child.name" } };
        }

        if (Coin())
        {
            rich.Int64Wrapper = _random.NextInt64();
            rich.StringWrapper = Text();
            rich.BoolWrapper = Coin();
        }

        if (Coin())
        {
            rich.StructValue = new Struct { Fields = { ["k" + Text()] = Value.ForNumber(_random.Next()), ["list"] = Value.ForList(Value.ForBool(true)) } };
            rich.Value = Pick(Value.ForNull(), Value.ForString(Text()), Value.ForNumber(1.5), Value.ForStruct(new Struct()));
        }

        if (Coin())
        {
            rich.Any = Coin() ? Any.Pack(Inner(1)) : Any.Pack(Time());
        }

        if (Coin())
        {
            rich.OptionalInt32 = _random.Next();
        }

        return rich;
    }

    private Rich.Types.Inner Inner(int depth)
    {
        var inner = new Rich.Types.Inner { Name = Coin() ? Text() : "", Count = _random.Next(-5, 5) };
        if (depth > 0 && Coin())
        {
            inner.Child = Inner(depth - 1);
        }

        return inner;
    }

    private Timestamp Time() => new() { Seconds = _random.NextInt64(-62135596800, 253402300799), Nanos = Pick(0, 1000, 120000000, _random.Next(0, 999999999)) };

    private string Text()
    {
        const string alphabet = "abcXYZ019 _-\"\\/\n\té€😀\u2028";
        var length = _random.Next(0, 8);
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var c = alphabet[_random.Next(alphabet.Length)];
            if (char.IsSurrogate(c))
            {
                builder.Append("😀");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private byte[] Bytes()
    {
        var bytes = new byte[_random.Next(0, 10)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private bool Coin() => _random.Next(2) == 0;

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];
}
