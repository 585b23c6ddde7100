namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The timer base values of RFC 3261 17 (table 4) and the timers derived from them. Defaults
/// are the RFC's: T1 = 500 ms (RTT estimate), T2 = 4 s (cap on non-INVITE and response
/// retransmission), T4 = 5 s (how long the network may hold a message).
/// </summary>
public sealed record SipTimerSettings
{
    public static SipTimerSettings Default { get; } = new();

    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a server INVITE transaction waits for the TU before it sends 100 Trying itself (RFC 3261 17.2.1).</summary>
    public TimeSpan TryingDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Timer A: first INVITE retransmission interval, doubling each time (17.1.1.2).</summary>
    public TimeSpan TimerA => T1;

    /// <summary>Timer B, F, H, J (UDP), L and M: 64*T1.</summary>
    public TimeSpan TransactionTimeout => 64 * T1;

    /// <summary>Timer D: at least 32 s on unreliable transports, zero on reliable (17.1.1.2).</summary>
    public TimeSpan TimerD(bool reliable) => reliable ? TimeSpan.Zero : Max(TimeSpan.FromSeconds(32), TransactionTimeout / 2);

    /// <summary>Timer E and G: T1, doubling up to T2 (17.1.2.2, 17.2.1).</summary>
    public TimeSpan TimerE => T1;

    /// <summary>Timer I: T4 on unreliable transports, zero on reliable (17.2.1).</summary>
    public TimeSpan TimerI(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>Timer J: 64*T1 on unreliable transports, zero on reliable (17.2.2).</summary>
    public TimeSpan TimerJ(bool reliable) => reliable ? TimeSpan.Zero : TransactionTimeout;

    /// <summary>Timer K: T4 on unreliable transports, zero on reliable (17.1.2.2).</summary>
    public TimeSpan TimerK(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>The next interval of a retransmission capped at T2 (timers E and G).</summary>
    public TimeSpan NextCapped(TimeSpan current) => Min(current * 2, T2);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
