using Tracker.Events.Storage;

namespace Tracker.Events.Tests.Support;

/// <summary>
/// Makes a failing expression smaller while it still fails, so a property failure reports the
/// least tree that shows the problem: greedily, a term in place of its AND, OR or NOT, or an AND
/// or OR with one term fewer, until no smaller tree fails (or the budget of tries is spent).
/// </summary>
public static class FilterShrinker
{
    public static FilterNode Shrink(FilterNode failing, Func<FilterNode, bool> fails, int budget = 500) =>
        ShrinkAsync(failing, node => Task.FromResult(fails(node)), budget).GetAwaiter().GetResult();

    public static async Task<FilterNode> ShrinkAsync(FilterNode failing, Func<FilterNode, Task<bool>> fails, int budget = 200)
    {
        var current = failing;
        var tries = 0;
        var smaller = true;
        while (smaller && tries < budget)
        {
            smaller = false;
            foreach (var candidate in Smaller(current))
            {
                if (++tries > budget)
                {
                    break;
                }

                if (await fails(candidate))
                {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }

        return current;
    }

    /// <summary>The trees one step smaller than <paramref name="node"/>, smallest first.</summary>
    public static IEnumerable<FilterNode> Smaller(FilterNode node)
    {
        switch (node)
        {
            case AllOf or AnyOf:
                var terms = node is AllOf all ? all.Terms : ((AnyOf)node).Terms;
                FilterNode With(IReadOnlyList<FilterNode> t) => node is AllOf ? new AllOf(t) : new AnyOf(t);
                foreach (var term in terms)
                {
                    yield return term;
                }

                for (var i = 0; i < terms.Count; i++)
                {
                    yield return With([.. terms.Take(i), .. terms.Skip(i + 1)]);
                }

                for (var i = 0; i < terms.Count; i++)
                {
                    foreach (var smaller in Smaller(terms[i]))
                    {
                        yield return With([.. terms.Take(i), smaller, .. terms.Skip(i + 1)]);
                    }
                }

                break;
            case Negation not:
                yield return not.Term;
                foreach (var smaller in Smaller(not.Term))
                {
                    yield return new Negation(smaller);
                }

                break;
        }
    }

    /// <summary>How many comparisons and presences a tree holds.</summary>
    public static int Leaves(FilterNode node) => node switch
    {
        AllOf all => all.Terms.Sum(Leaves),
        AnyOf any => any.Terms.Sum(Leaves),
        Negation not => Leaves(not.Term),
        _ => 1,
    };
}
