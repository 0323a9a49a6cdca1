using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Tracker.Events.Postgres;

/// <summary>
/// The numbered parameters ($1, $2, ...) of one statement as it is being written: each value
/// added is sent typed, and its placeholder is what goes into the SQL text.
/// </summary>
internal sealed class PostgresQueryParameters(NpgsqlParameterCollection parameters)
{
    /// <summary>Adds a value; returns its placeholder.</summary>
    public string Add(NpgsqlParameter parameter)
    {
        parameters.Add(parameter);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    public string Text(string value) => Add(new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text });

    public string Number(long value) => Add(new NpgsqlParameter<long> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint });

    public string Integer(int value) => Add(new NpgsqlParameter<int> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer });
}
