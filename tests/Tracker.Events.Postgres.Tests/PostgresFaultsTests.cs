using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

public sealed class PostgresFaultsTests
{
    [Theory]
    [InlineData("57P01", true, true)] // admin_shutdown: the server is stopping
    [InlineData("57P02", true, true)] // crash_shutdown
    [InlineData("57P03", true, false)] // cannot_connect_now: starting up
    [InlineData("08006", true, true)] // connection_failure
    [InlineData("53300", true, false)] // too_many_connections
    [InlineData("40001", true, false)] // serialization_failure: retry later
    [InlineData("23505", false, false)] // unique_violation: a bug, not an outage
    [InlineData("42P01", false, false)] // undefined_table: not migrated
    [InlineData("22P02", false, false)] // invalid_text_representation
    public void Classify_ServerError_ByItsSqlState(string sqlState, bool unavailable, bool broken)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(unavailable, PostgresFaults.IsUnavailable(error));
        Assert.Equal(broken, PostgresFaults.IsBrokenConnection(error));
    }

    [Fact]
    public void Classify_ConnectionRefused_IsUnavailableButNotBroken()
    {
        var error = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(PostgresFaults.IsUnavailable(error));
        Assert.False(PostgresFaults.IsBrokenConnection(error));
    }

    [Fact]
    public void Classify_StreamClosedUnderACall_IsUnavailableAndBroken()
    {
        var error = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        Assert.True(PostgresFaults.IsUnavailable(error));
        Assert.True(PostgresFaults.IsBrokenConnection(error));
    }

    [Fact]
    public void Classify_Timeout_IsUnavailable()
    {
        Assert.True(PostgresFaults.IsUnavailable(new NpgsqlException("Exception while connecting", new TimeoutException())));
    }

    [Fact]
    public void Classify_ProgrammingError_IsNeither()
    {
        var error = new InvalidOperationException("Connection is not open");

        Assert.False(PostgresFaults.IsUnavailable(error));
        Assert.False(PostgresFaults.IsBrokenConnection(error));
    }
}
