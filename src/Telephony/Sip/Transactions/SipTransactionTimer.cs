namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The transaction timers of RFC 3261 17 (table 4) and RFC 6026.</summary>
public enum SipTransactionTimer
{
    /// <summary>INVITE request retransmit (UDP only).</summary>
    A,

    /// <summary>INVITE transaction timeout.</summary>
    B,

    /// <summary>Wait time for response retransmits after a non-2xx to INVITE.</summary>
    D,

    /// <summary>Non-INVITE request retransmit (UDP only).</summary>
    E,

    /// <summary>Non-INVITE transaction timeout.</summary>
    F,

    /// <summary>INVITE non-2xx final response retransmit (UDP only).</summary>
    G,

    /// <summary>Wait time for ACK receipt.</summary>
    H,

    /// <summary>Wait time for ACK retransmits.</summary>
    I,

    /// <summary>Wait time for non-INVITE request retransmits.</summary>
    J,

    /// <summary>Wait time for non-INVITE response retransmits.</summary>
    K,

    /// <summary>RFC 6026 8.7: server INVITE transaction lingers in Accepted for 2xx-INVITE retransmissions.</summary>
    L,

    /// <summary>RFC 6026 8.4: client INVITE transaction lingers in Accepted for 2xx retransmissions.</summary>
    M,

    /// <summary>The 200 ms after which a server INVITE transaction sends 100 Trying itself (RFC 3261 17.2.1).</summary>
    Trying,

    /// <summary>2xx retransmission by the UAS until ACK (RFC 3261 13.3.1.4), run by the server INVITE transaction in Accepted.</summary>
    Retransmit2xx,
}
