namespace CallCenter.Telephony.Sip.Messages;

/// <summary>CSeq: a sequence number below 2**31 and the method (RFC 3261 8.1.1.5, 20.16).</summary>
public readonly record struct SipCSeq(uint Number, string Method)
{
    public override string ToString() =>
        Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Method;
}
