using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>Which words the text index is asked for, by their hits among the probe's rows.</summary>
public sealed class PostgresFullTextWordChoiceTests
{
    [Fact]
    public void Choose_CommonWordsRareTogether_AsksForTheRarestWhileTheyPay()
    {
        // "gateway v6.36.9" among the newest 1,000 of 1,000,000 generated events.
        var chosen = PostgresFullTextWordChoice.Choose(["gateway", "v6", "36"], [19, 56, 12], 1000);

        Assert.Equal(["36", "gateway"], chosen);
    }

    [Fact]
    public void Choose_AVeryCommonWordAmongRareOnes_TestsTheCommonOneOnTheRowsFound()
    {
        // "checkout v1.11.1": checkout is in one event in six.
        var chosen = PostgresFullTextWordChoice.Choose(["checkout", "v1", "11"], [165, 56, 13], 1000);

        Assert.Equal(["11", "v1"], chosen);
    }

    [Fact]
    public void Choose_AWordNoSampledRowHolds_AsksForThatWordAlone()
    {
        var chosen = PostgresFullTextWordChoice.Choose(["common", "rare"], [500, 0], 1000);

        Assert.Equal(["rare"], chosen);
    }

    [Fact]
    public void Choose_AWordEveryRowHolds_TestsItOnTheRowsFound()
    {
        var chosen = PostgresFullTextWordChoice.Choose(["every", "common"], [1000, 500], 1000);

        Assert.Equal(["common"], chosen);
    }

    [Fact]
    public void Choose_TwoHalfCommonWords_AsksForBoth()
    {
        var chosen = PostgresFullTextWordChoice.Choose(["common", "config"], [500, 400], 1000);

        Assert.Equal(["config", "common"], chosen);
    }

    [Fact]
    public void Choose_EquallyRareWords_AsksForTheLongerFirst()
    {
        var chosen = PostgresFullTextWordChoice.Choose(["ab", "abcd"], [0, 0], 1000);

        Assert.Equal(["abcd"], chosen);
    }

    [Fact]
    public void Choose_NoSample_AsksForEveryWord()
    {
        var chosen = PostgresFullTextWordChoice.Choose(["gateway", "v6"], [], 0);

        Assert.Equal(["gateway", "v6"], chosen);
    }
}
