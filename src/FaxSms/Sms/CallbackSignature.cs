using System.Security.Cryptography;
using System.Text;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// Guards the URLs smsbox calls on us (pure). Each message's dlr-url carries an HMAC of its id under
/// <c>Sms:Kannel:CallbackSecret</c>, so a delivery report can only be made for a message by whoever
/// saw that message's URL; the inbound URL carries the secret itself (it is in smsbox's config).
/// Compared in fixed time.
/// </summary>
public sealed class CallbackSignature(string secret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public string Sign(string messageId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("dlr:" + messageId)))[..32];

    public bool Verify(string? messageId, string? signature) =>
        messageId is not null && signature is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(messageId)), Encoding.ASCII.GetBytes(signature));

    public bool IsSecret(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_key, Encoding.UTF8.GetBytes(candidate));
}
