namespace CallCenter.ResourceControl.Clients;

/// <summary>What the review needs to know about one client.</summary>
/// <param name="ClientId">The client's key in the directory (account or phone); only carried through.</param>
/// <param name="CurrentTier">The tier the client holds now; null if never graded.</param>
/// <param name="Months">Monthly figures; months outside the quarter under review are ignored.</param>
/// <param name="AccountOpened">The day the account was opened.</param>
/// <param name="LastTrade">The day of the last trade; null if the client never traded.</param>
/// <param name="HasPositions">True if the client holds any position now.</param>
/// <param name="YearEndEquity">Equity at the last year-end before the review date; null if unknown.</param>
internal sealed record TierReviewInput(
    string ClientId,
    ClientTier? CurrentTier,
    IReadOnlyList<MonthlyFigures> Months,
    DateOnly AccountOpened,
    DateOnly? LastTrade,
    bool HasPositions,
    decimal? YearEndEquity);
