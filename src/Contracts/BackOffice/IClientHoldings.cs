namespace CallCenter.Contracts.BackOffice;

/// <summary>A stock held by clients, and by how many of them.</summary>
public sealed record HeldStock(string Code, string Name, int Holders);

/// <summary>
/// The back office's facts about clients as a whole, for choosing a broadcast's audience and filling
/// its <c>{{holdings}}</c>: who holds a stock, who has no bank account bound, and each client's
/// positions. Clients are named by their phone number as the back office has it on the fund account
/// (the directory's key). Read-only; a brokerage implements it against its counter (a nightly
/// extract is enough: these are not trading decisions), the platform's built-in back office on its
/// own tables. A malformed stock code is not an error here: it is held by no one.
/// </summary>
public interface IClientHoldings
{
    /// <summary>The clients whose fund accounts hold shares of <paramref name="code"/> (more than zero), each once.</summary>
    Task<IReadOnlyList<string>> HoldersAsync(string code, CancellationToken cancellationToken);

    /// <summary>The clients with a fund account that has no bank account bound (银证转账 not set up; any of their accounts), each once.</summary>
    Task<IReadOnlyList<string>> WithoutBankLinkAsync(CancellationToken cancellationToken);

    /// <summary>The positions of each of <paramref name="phones"/>, by phone, code order; clients holding nothing are absent.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<Position>>> PositionsByClientAsync(IReadOnlyCollection<string> phones, CancellationToken cancellationToken);

    /// <summary>The client's phone number on file for a fund account (the directory's key); null for an unknown account.</summary>
    Task<string?> PhoneOfAccountAsync(string account, CancellationToken cancellationToken);

    /// <summary>The stocks that anyone holds, with how many clients hold each, code order.</summary>
    Task<IReadOnlyList<HeldStock>> HeldStocksAsync(CancellationToken cancellationToken);
}
