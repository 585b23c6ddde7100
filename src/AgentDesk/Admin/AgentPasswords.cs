using System.Security.Cryptography;
using System.Text;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Identity;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// Turns an agent's new password into what is stored: the SIP digest HA1 = H(extension:realm:password)
/// in MD5 and SHA-256 (RFC 7616 3.4.2, lowercase hex, as the registrar checks them) and the desk
/// login's PBKDF2 hash (ASP.NET Core's <see cref="PasswordHasher{TUser}"/>, as desk sign-in checks it).
/// </summary>
internal static class AgentPasswords
{
    private static readonly PasswordHasher<string> _hasher = new();

    public static AgentCredentials For(string extension, string realm, string password) => new(
        realm,
        Ha1(MD5.HashData, extension, realm, password),
        Ha1(SHA256.HashData, extension, realm, password),
        _hasher.HashPassword(extension, password));

    private static string Ha1(Func<byte[], byte[]> hash, string extension, string realm, string password) =>
        Convert.ToHexStringLower(hash(Encoding.UTF8.GetBytes(extension + ":" + realm + ":" + password)));
}
