namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The states of the RFC 3261 17 machines, with Accepted from RFC 6026.</summary>
public enum SipTransactionState
{
    /// <summary>Created, not yet started.</summary>
    Initial,

    /// <summary>Client INVITE: request sent, no response yet.</summary>
    Calling,

    /// <summary>Non-INVITE: request sent (client) or received (server), no response yet.</summary>
    Trying,

    Proceeding,

    Completed,

    /// <summary>Server INVITE: ACK for the non-2xx received.</summary>
    Confirmed,

    /// <summary>RFC 6026: a 2xx was sent (server) or received (client) for an INVITE.</summary>
    Accepted,

    Terminated,
}
