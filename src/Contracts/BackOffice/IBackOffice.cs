namespace CallCenter.Contracts.BackOffice;

/// <summary>
/// The brokerage's back office as the hotline sees it: accounts, the trading PIN, funds, positions,
/// orders, trades, bank links, transfers and quotes. The platform ships a built-in implementation on
/// its own database (src/BackOffice); a brokerage replaces it with an adapter to its counter system.
/// Every call that changes state takes an <see cref="OperationContext"/> whose idempotency key names
/// the call step ("&lt;callId&gt;:&lt;step&gt;"): a retried step is carried out once and returns the
/// result of the first attempt; a refusal changes nothing and leaves its key free. Each new entry by
/// the caller (a second PIN attempt, a corrected amount after a success) needs a new key. Bad input
/// (an unknown account, a malformed code or amount) is a refusal, never an exception. PINs cross this
/// interface only as arguments, never in a result.
/// </summary>
public interface IBackOffice
{
    /// <summary>Checks an account's trading PIN; failures are counted per account across calls and restarts.</summary>
    Task<PinCheck> VerifyPinAsync(string account, string pin, OperationContext context, CancellationToken cancellationToken);

    /// <summary>Cash, frozen and available funds; null for an unknown account.</summary>
    Task<AccountFunds?> GetFundsAsync(string account, CancellationToken cancellationToken);

    /// <summary>Holdings valued at the last price; empty for an unknown account.</summary>
    Task<IReadOnlyList<Position>> GetPositionsAsync(string account, CancellationToken cancellationToken);

    /// <summary>Orders placed today (in the back office's time zone), oldest first.</summary>
    Task<IReadOnlyList<Order>> GetTodaysOrdersAsync(string account, CancellationToken cancellationToken);

    /// <summary>Trades (fills) made today, oldest first.</summary>
    Task<IReadOnlyList<Trade>> GetTodaysTradesAsync(string account, CancellationToken cancellationToken);

    /// <summary>Places a limit order, or refuses it with the reason and changes nothing.</summary>
    Task<OrderResult> PlaceOrderAsync(OrderRequest request, OperationContext context, CancellationToken cancellationToken);

    /// <summary>Cancels an open order (unfreezing its cash or shares), or refuses with the reason.</summary>
    Task<CancelResult> CancelOrderAsync(string account, long orderId, OperationContext context, CancellationToken cancellationToken);

    /// <summary>The bank accounts linked to the fund account (masked card numbers) with their balances.</summary>
    Task<IReadOnlyList<BankLink>> GetBankLinksAsync(string account, CancellationToken cancellationToken);

    /// <summary>Moves money between the linked bank and the fund account, or refuses with the reason.</summary>
    Task<TransferResult> TransferAsync(TransferRequest request, OperationContext context, CancellationToken cancellationToken);

    /// <summary>Changes the trading PIN after checking the old one and the new one's rules.</summary>
    Task<PinChangeResult> ChangePinAsync(PinChangeRequest request, OperationContext context, CancellationToken cancellationToken);

    /// <summary>A stock's name, last price and previous close; null for an unknown code.</summary>
    Task<Quote?> GetQuoteAsync(string code, CancellationToken cancellationToken);
}
