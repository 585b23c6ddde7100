namespace CallCenter.Contracts.Queues;

/// <summary>A caller waiting in a queue as supervisors see it: the number masked (the middle digits hidden), the tier, since when.</summary>
public sealed record WaitingCallerView(string CallId, string MaskedNumber, string? Tier, DateTimeOffset WaitingSince)
{
    /// <summary>"138****0001": the first three and last four digits of a number of eight or more, otherwise all but the last two hidden.</summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "****";
        }

        return number.Length >= 8
            ? string.Concat(number.AsSpan(0, 3), new string('*', number.Length - 7), number.AsSpan(number.Length - 4))
            : string.Concat(new string('*', Math.Max(0, number.Length - 2)), number.AsSpan(Math.Max(0, number.Length - 2)));
    }
}
