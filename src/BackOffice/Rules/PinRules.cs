using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Rules;

/// <summary>What a trading PIN is (six digits), and the checks on a new one (not too simple to guess, not the old one).</summary>
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

        if (IsTooSimple(newPin))
        {
            return PinChangeRefusal.TooSimple;
        }

        return string.Equals(newPin, oldPin, StringComparison.Ordinal) ? PinChangeRefusal.SameAsOld : null;
    }

    /// <summary>The PINs guessed first: one digit six times (000000, 888888) and runs up or down (123456, 654321).</summary>
    public static bool IsTooSimple(string pin)
    {
        static bool Steps(string pin, int step)
        {
            for (var i = 1; i < pin.Length; i++)
            {
                if (pin[i] - pin[i - 1] != step)
                {
                    return false;
                }
            }

            return true;
        }

        return Steps(pin, 0) || Steps(pin, 1) || Steps(pin, -1);
    }
}
