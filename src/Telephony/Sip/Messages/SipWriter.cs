namespace CallCenter.Telephony.Sip.Messages;

// PLACEHOLDER: replaced by the serializer work (SIP parser helper). Do not build on its output.
public static partial class SipWriter
{
    public static string Write(SipUri uri) => throw new NotImplementedException();

    public static string Write(SipNameAddress address) => throw new NotImplementedException();

    public static string Write(SipVia via) => throw new NotImplementedException();
}
