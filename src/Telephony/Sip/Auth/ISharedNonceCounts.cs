namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// The nonce counts every node of a cluster shares. With one nonce secret for all nodes (a REGISTER challenged by one
/// node may be answered to another), a count remembered by one node alone would let a request sniffed on its way to
/// node 1 be replayed, whole, at node 2. The authenticator asks here after its own table.
/// </summary>
public interface ISharedNonceCounts
{
    /// <summary>
    /// Records use <paramref name="count"/> of <paramref name="nonce"/> for the whole cluster, remembered until
    /// <paramref name="expiresAt"/>; true only when it is higher than every count any node accepted for that nonce.
    /// Throws when the shared store cannot be asked (the request is then refused).
    /// </summary>
    Task<bool> TryUseAsync(string nonce, uint count, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken);
}
