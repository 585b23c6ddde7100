namespace CallCenter.Telephony.Sip.Auth;

/// <summary>How much digest guessing <see cref="SipAuthLimiter"/> tolerates, and how much it remembers.</summary>
public sealed record SipAuthLimits
{
    /// <summary>Wrong passwords one source address may send per <see cref="Window"/>; the next one bans it.</summary>
    public int FailuresPerSource { get; init; } = 5;

    /// <summary>
    /// Wrong passwords for one extension per <see cref="Window"/> from addresses that never
    /// registered it; beyond that every such address is banned at its first wrong password (a
    /// guesser spread over many addresses), while the addresses it registered from are not.
    /// </summary>
    public int FailuresPerExtension { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a banned source's requests are dropped unanswered.</summary>
    public TimeSpan Ban { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long an address that registered an extension is remembered as its own.</summary>
    public TimeSpan KnownFor { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The most addresses, extensions and known (address, extension) pairs remembered each: memory stays bounded whatever is sprayed.</summary>
    public int MaxTracked { get; init; } = 10_000;
}
