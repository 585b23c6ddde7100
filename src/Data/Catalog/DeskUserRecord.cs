namespace CallCenter.Data.Catalog;

/// <summary>A desk login; <see cref="PasswordHash"/> is PBKDF2, never the password.</summary>
public sealed record DeskUserRecord(string Login, string Role, string PasswordHash, string? AgentExtension);
