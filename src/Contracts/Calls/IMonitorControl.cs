namespace CallCenter.Contracts.Calls;

/// <summary>
/// Listen, whisper and barge: the platform calls the supervisor's own SIP phone (their desk user's
/// extension) and joins it to the call's media. The host implements it.
/// </summary>
public interface IMonitorControl
{
    /// <summary>Starts monitoring (rings the supervisor's phone), or changes the mode of a monitor already joined.</summary>
    Task<CallControlResult> MonitorAsync(string callId, string supervisorExtension, MonitorMode mode);

    /// <summary>Ends the supervisor's leg; the call goes on.</summary>
    Task<CallControlResult> StopMonitorAsync(string callId, string supervisorExtension);
}
