namespace CallCenter.Contracts.Desk;

/// <summary>A queue's callbacks still owed, for the supervisors' wallboard.</summary>
/// <param name="Queue">The queue the callbacks wait in.</param>
/// <param name="DueNow">In the queue now, waiting for an agent.</param>
/// <param name="Later">Waiting for their time: scheduled for later, a retry's delay, or the end of the quiet hours.</param>
/// <param name="Calling">Given to an agent: the agent's phone or the client's is ringing, or they talk.</param>
/// <param name="Overdue">Of those waiting (due now or later), the ones whose time passed more than <c>Callbacks:OverdueMinutes</c> ago.</param>
public sealed record CallbackCount(string Queue, int DueNow, int Later, int Calling, int Overdue);

/// <summary>What the desk room needs of the host's callbacks to show them on the wallboard (in memory: read every second).</summary>
public interface ICallbackCounts
{
    /// <summary>Every queue with at least one callback owed, by queue id.</summary>
    IReadOnlyList<CallbackCount> Counts();
}
