namespace CallCenter.Data.Desk;

/// <summary>What saving an agent came to.</summary>
public enum AgentSaveOutcome
{
    Created,
    Updated,

    /// <summary>A new agent needs a password: its SIP credentials cannot be made without one.</summary>
    PasswordRequired,

    /// <summary>A desk login named like the extension exists with another role; it is not taken over.</summary>
    LoginTaken,
}
