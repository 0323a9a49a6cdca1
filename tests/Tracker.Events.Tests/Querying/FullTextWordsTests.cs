using Tracker.Events.Querying;
using Tracker.Events.Validation;
using Xunit;

namespace Tracker.Events.Tests.Querying;

public sealed class FullTextWordsTests
{
    [Theory]
    [InlineData("Rollback checkout-api", new[] { "rollback", "checkout", "api" })]
    [InlineData("cafe\u0301", new[] { "café" })]
    [InlineData("部署完成 🚀 Déploiement", new[] { "部署完成", "déploiement" })]
    [InlineData("v1.2.3 v1", new[] { "v1", "2", "3" })]
    [InlineData("a\uFFFEb\uFFFFe\u0301", new[] { "a", "b", "é" })]
    public void Split_Text_GivesItsWordsLowerCasedAndComposed(string q, string[] expected)
    {
        var violations = new Violations();

        Assert.Equal(expected, FullTextWords.Split(q, violations));
        Assert.False(violations.Any);
    }

    [Fact]
    public void Split_NoLetterOrDigit_ViolatesQ()
    {
        var violations = new Violations();

        FullTextWords.Split("🚀 ?!", violations);

        Assert.Equal("q", Assert.Single(violations.Items).Field);
    }

    /// <summary>Words at and over the longest allowed, in 1-, 2-, 3- and 4-byte UTF-8 characters, and as the NFD that composes to it.</summary>
    [Theory]
    [InlineData("a")]
    [InlineData("é")]
    [InlineData("語")]
    [InlineData("\U00020000")]
    public void Split_WordOfTheLongestLength_Accepted_OneMoreViolatesQ(string character)
    {
        var longest = string.Concat(Enumerable.Repeat(character, FullTextWords.MaxWordChars));
        var accepted = new Violations();
        var refused = new Violations();

        Assert.Equal(["short", longest], FullTextWords.Split("short " + longest, accepted));
        FullTextWords.Split("short " + longest + character + character, refused);

        Assert.False(accepted.Any);
        var violation = Assert.Single(refused.Items);
        Assert.Equal("q", violation.Field);
        Assert.Equal($"has a word of {FullTextWords.MaxWordChars + 2} characters; a word is at most {FullTextWords.MaxWordChars}", violation.Description);
    }

    [Fact]
    public void Split_DecomposedWordThatComposesToTheLongest_Accepted()
    {
        var violations = new Violations();

        var words = FullTextWords.Split(string.Concat(Enumerable.Repeat("e\u0301", FullTextWords.MaxWordChars)), violations);

        Assert.Equal(FullTextWords.MaxWordChars, Assert.Single(words).Length);
        Assert.False(violations.Any);
    }
}
