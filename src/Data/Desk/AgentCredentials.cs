namespace CallCenter.Data.Desk;

/// <summary>
/// What a new password becomes: the SIP digest HA1s for the realm (MD5 and SHA-256) and the desk
/// login's PBKDF2 hash. The password itself is never stored.
/// </summary>
public sealed record AgentCredentials(string SipRealm, string SipHa1Md5, string SipHa1Sha256, string DeskPasswordHash);
