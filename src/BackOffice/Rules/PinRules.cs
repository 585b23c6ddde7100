using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Rules;

/// <summary>What a trading PIN is (six digits), and the checks on a new one.</summary>
internal static class PinRules
{
    public const int Length = 6;

    public static bool IsWellFormed(string? pin) => pin is { Length: Length } && pin.All(char.IsAsciiDigit);

    /// <summary>Null when the new PIN may replace the old one; the old one is checked against its hash elsewhere.</summary>
    public static PinChangeRefusal? CheckNew(string oldPin, string newPin, string newPinAgain)
    {
        if (!IsWellFormed(newPin))
        {
            return PinChangeRefusal.NotSixDigits;
        }

        if (!string.Equals(newPin, newPinAgain, StringComparison.Ordinal))
        {
            return PinChangeRefusal.Mismatch;
        }

        return string.Equals(newPin, oldPin, StringComparison.Ordinal) ? PinChangeRefusal.SameAsOld : null;
    }
}
