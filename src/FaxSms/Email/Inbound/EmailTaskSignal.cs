namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>Wakes <see cref="EmailTaskOffers"/> when a task arrived or an agent became free (otherwise it polls).</summary>
public sealed class EmailTaskSignal : WakeSignal;
