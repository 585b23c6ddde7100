using System.Text;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Makes the code-page charsets many Chinese mail clients still send (GB2312, GBK, GB18030, Big5) known to .NET.
/// MimeKit builds its charset table once, from what .NET knows at that moment, and otherwise decodes such
/// text as Latin-1: so this runs at start-up (<see cref="FaxSmsSetup.AddFaxSms"/>), before any mail is read.
/// </summary>
public static class MailCharsets
{
    public static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
