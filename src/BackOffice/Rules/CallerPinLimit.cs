namespace CallCenter.BackOffice.Rules;

/// <summary>
/// The platform's limit on wrong PINs from one calling number, whatever the accounts (pure). The first wrong PIN opens a
/// window of <see cref="Window"/>; the <see cref="MaxFailures"/>th wrong PIN inside it refuses every PIN check from that
/// number until the window ends; a wrong PIN after the window opens a new one. So one number gets at most
/// <see cref="MaxFailures"/> guesses a day, however it spreads them over accounts (each account still locks after 3 in a
/// row, <see cref="PinLockout"/>), and a client who mistypes now and then never notices.
/// </summary>
public static class CallerPinLimit
{
    /// <summary>Wrong PINs one calling number may key in a <see cref="Window"/>, across all calls and accounts.</summary>
    public const int MaxFailures = 10;

    /// <summary>How long the count of one number runs from its first wrong PIN, and the longest a refusal lasts.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Until when a number with <paramref name="failures"/> wrong PINs since <paramref name="windowStart"/> is refused at <paramref name="now"/>, or null.</summary>
    public static DateTimeOffset? BlockedUntil(int failures, DateTimeOffset windowStart, DateTimeOffset now)
    {
        var end = windowStart + Window;
        return failures >= MaxFailures && now < end ? end : null;
    }

    /// <summary>The count and window after one more wrong PIN at <paramref name="now"/> (a window that ended starts again).</summary>
    public static (int Failures, DateTimeOffset WindowStart) After(int failures, DateTimeOffset windowStart, DateTimeOffset now) =>
        now >= windowStart + Window ? (1, now) : (failures + 1, windowStart);
}
