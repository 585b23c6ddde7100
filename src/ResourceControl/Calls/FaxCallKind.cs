namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A call to the fax number (<c>Fax:Number</c>, demo 95580): answered like any call, then, once the
/// caller is confirmed, a T.30 receiver runs on its media instead of an IVR flow (<see cref="FaxCalls"/>).
/// </summary>
internal sealed class FaxCallKind(string number) : ICallKind
{
    public string Name => "fax";

    public string? Answers(string dialed) => number.Length > 0 && dialed == number ? "fax" : null;

    public CallKindStart Start(ICallFacts call) => new CallKindStart.ReceiveFax();
}
