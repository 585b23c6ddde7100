namespace CallCenter.Telephony.Media;

/// <summary>The three parties of a monitored agent call.</summary>
public enum MonitorParty
{
    Caller,
    Agent,
    Supervisor,
}
