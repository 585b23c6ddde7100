namespace CallCenter.BackOffice.Rules;

/// <summary>
/// Money and prices are decimal CNY in the port and integer fen (0.01 CNY) in the tables, so SQLite
/// and PostgreSQL hold the same exact values and sums never round.
/// </summary>
internal static class Money
{
    /// <summary>The largest amount handled (10¹² CNY): far beyond any account, far inside a long of fen.</summary>
    public const decimal Max = 1_000_000_000_000m;

    /// <summary>True when the amount is whole fen (at most two decimals) and within ±<see cref="Max"/>.</summary>
    public static bool IsWholeFen(decimal amount) => Math.Abs(amount) <= Max && decimal.Round(amount, 2) == amount;

    /// <summary>Fen of an amount that <see cref="IsWholeFen"/> accepted.</summary>
    public static long ToFen(decimal amount) =>
        IsWholeFen(amount) ? (long)(amount * 100) : throw new ArgumentOutOfRangeException(nameof(amount), "Not a whole number of fen.");

    public static decimal FromFen(long fen) => fen / 100m;
}
