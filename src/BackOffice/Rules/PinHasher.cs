using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallCenter.BackOffice.Rules;

/// <summary>
/// Trading PINs are kept only as salted slow hashes: PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2),
/// a random 16-byte salt per PIN and <see cref="Iterations"/> rounds, stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (Base64). Six digits are only a million PINs, so the
/// hash slows an offline search of a stolen table; the lockout is what protects the phone path.
/// </summary>
internal static class PinHasher
{
    public const int Iterations = 100_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private static readonly Lazy<string> _dummy = new(() => Hash("000000"));

    private static long _verifications;

    /// <summary>
    /// A hash of no account's PIN: an unknown or locked account is checked against it, so the answer
    /// takes the same time as a real account's wrong PIN and timing does not tell which accounts exist.
    /// </summary>
    public static string Dummy => _dummy.Value;

    /// <summary>How many times <see cref="Verify"/> ran the slow hash in this process (the tests' seam: the work was done).</summary>
    public static long Verifications => Interlocked.Read(ref _verifications);

    public static string Hash(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="pin"/> is the one hashed; compares in constant time. A malformed hash matches nothing.</summary>
    public static bool Verify(string pin, string stored)
    {
        ArgumentNullException.ThrowIfNull(pin);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        Interlocked.Increment(ref _verifications);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
