namespace CallCenter.Data.Catalog;

/// <summary>A number the platform answers: <c>ivr</c> runs the auto-attendant, <c>vip</c> queues directly.</summary>
public sealed record HotlineRecord(string Number, string Name, string Kind);
