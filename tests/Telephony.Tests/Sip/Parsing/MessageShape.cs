using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>
/// A text rendering of every field of a parsed message, written without SipWriter, so two
/// messages compare structurally by comparing their shapes.
/// </summary>
internal static class MessageShape
{
    public static string Of(SipMessage m)
    {
        var sb = new StringBuilder();
        if (m is SipRequest r)
        {
            sb.Append("request ").Append(r.Method).Append(' ').AppendLine(Uri(r.RequestUri));
        }
        else
        {
            var s = (SipResponse)m;
            sb.Append("response ").Append(s.StatusCode).Append(' ').AppendLine(s.ReasonPhrase);
        }

        foreach (var v in m.Vias)
        {
            sb.Append("via ").Append(v.Protocol).Append('|').Append(v.Transport).Append('|').Append(v.Host).Append('|')
                .Append(v.Port).Append('|').AppendLine(Params(v.Parameters));
        }

        sb.Append("from ").AppendLine(Address(m.From));
        sb.Append("to ").AppendLine(Address(m.To));
        sb.Append("call-id ").AppendLine(m.CallId);
        sb.Append("cseq ").AppendLine(m.CSeq?.ToString());
        sb.Append("max-forwards ").AppendLine(m.MaxForwards?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sb.Append("contact* ").AppendLine(m.ContactStar.ToString());
        AppendList(sb, "contact", m.Contacts);
        AppendList(sb, "route", m.Routes);
        AppendList(sb, "record-route", m.RecordRoutes);
        sb.Append("content-type ").AppendLine(m.ContentType);
        sb.Append("expires ").AppendLine(m.Expires?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var h in m.Headers)
        {
            sb.Append("header ").Append(h.Name).Append(": ").AppendLine(h.Value);
        }

        sb.Append("body ").AppendLine(Convert.ToHexString(m.Body.Span));
        return sb.ToString();
    }

    private static void AppendList(StringBuilder sb, string name, List<SipNameAddress> list)
    {
        foreach (var a in list)
        {
            sb.Append(name).Append(' ').AppendLine(Address(a));
        }
    }

    private static string Address(SipNameAddress? a) =>
        a is null ? "(none)" : "[" + a.DisplayName + "]" + Uri(a.Uri) + Params(a.Parameters);

    public static string Uri(SipUri u) =>
        "{" + u.Scheme + "|" + u.User + "|" + u.Password + "|" + u.Host + "|" + u.Port + "|" + Params(u.Parameters) + "|" + Params(u.Headers) + "|" + u.Opaque + "}";

    private static string Params(SipParameters p) => string.Join(";", p.Select(kv => kv.Key + (kv.Value is null ? "" : "=" + kv.Value)));
}
