using CallCenter.Contracts.BackOffice;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// A fund account's statement as the back office gives it on one day: funds, holdings, today's orders
/// and trades, and the owner's name as the client directory has it (null when the directory has none).
/// </summary>
public sealed record Statement(
    string Account,
    DateOnly Date,
    AccountFunds Funds,
    IReadOnlyList<Position> Positions,
    IReadOnlyList<Order> Orders,
    IReadOnlyList<Trade> Trades,
    string? ClientName = null);

/// <summary>The latest research note: its title and body, as the configured file holds them.</summary>
public sealed record ResearchNote(string Title, string Body, string Url)
{
    /// <summary>Reads a note file: the first non-empty line is the title, the rest the body.</summary>
    public static ResearchNote Parse(string text, string url)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        return first < 0
            ? new ResearchNote("Research note", "", url)
            : new ResearchNote(lines[first].Trim(), string.Join('\n', lines[(first + 1)..]).Trim(), url);
    }
}
