namespace CallCenter.FaxSms.Outbox;

/// <summary>Wakes the worker when a message was enqueued in this process (otherwise it polls).</summary>
public sealed class OutboxSignal : WakeSignal;
