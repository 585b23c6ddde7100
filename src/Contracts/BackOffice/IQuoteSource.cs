namespace CallCenter.Contracts.BackOffice;

/// <summary>
/// Market quotes (行情) as the hotline reads them to callers: a stock's name, last price and previous
/// close, from which the change is spoken. A port of its own because a brokerage's quotes usually come
/// from a market-data feed rather than from its counter system (<see cref="IBackOffice"/>); the
/// platform's built-in back office answers both from its own quote table. Read-only; a malformed or
/// unknown code is null, never an exception.
/// </summary>
public interface IQuoteSource
{
    /// <summary>The stock's latest quote; null for an unknown or malformed code.</summary>
    Task<Quote?> GetQuoteAsync(string code, CancellationToken cancellationToken);
}
