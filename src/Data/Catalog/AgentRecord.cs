namespace CallCenter.Data.Catalog;

/// <summary>An agent's SIP identity: the extension and the digest HA1 values (never the password).</summary>
public sealed record AgentRecord(string Extension, string Name, string SipRealm, string SipHa1Md5, string SipHa1Sha256);
