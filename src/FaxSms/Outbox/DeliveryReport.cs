namespace CallCenter.FaxSms.Outbox;

/// <summary>A gateway's report on one message: its new status and the gateway's words.</summary>
public sealed record DeliveryReport(string Id, string Status, string Detail, DateTimeOffset At);
