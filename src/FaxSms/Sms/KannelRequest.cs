using System.Globalization;
using System.Text;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// smsbox's sendsms request for one message, and what its answer means (pure). The text is sent as
/// UTF-8 (charset) with coding 2 when it needs UCS-2; splitting and the concatenation UDH are
/// smsbox's (its sendsms-user has <c>concatenation = true</c>). The dlr-url names the message id and
/// its signature: Kannel fills in %d (the report type) and %A (the SMSC's answer).
/// </summary>
public static class KannelRequest
{
    public static Uri Build(KannelOptions options, string from, CallbackSignature signature, OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(message);
        var dlrUrl = $"{options.CallbackBaseUrl.TrimEnd('/')}/sms/kannel/dlr?id={Uri.EscapeDataString(message.Id)}&sig={signature.Sign(message.Id)}&type=%d&answer=%A";
        var query = new StringBuilder();
        Add(query, "username", options.Username);
        Add(query, "password", options.Password);
        Add(query, "from", from);
        Add(query, "to", message.Recipient);
        Add(query, "text", message.Body);
        Add(query, "charset", "UTF-8");
        Add(query, "coding", SmsCoding.For(message.Body).ToString(CultureInfo.InvariantCulture));
        if (options.DlrMask > 0)
        {
            Add(query, "dlr-mask", options.DlrMask.ToString(CultureInfo.InvariantCulture));
            Add(query, "dlr-url", dlrUrl);
        }

        var separator = options.SendUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(options.SendUrl + separator + query);
    }

    /// <summary>smsbox answers 202 "0: Accepted for delivery" or "3: Queued for later delivery"; 4xx refuses this message; anything else may pass.</summary>
    public static SendResult Interpret(int status, string body)
    {
        var text = body.Trim();
        if (text.Length > 200)
        {
            text = text[..200];
        }

        return status switch
        {
            >= 200 and < 300 => new SendResult.Accepted($"Kannel: {text}"),
            // 401/403: smsbox's user or its address allowance is wrong; fixing the configuration must let the message through.
            401 or 403 => new SendResult.Transient($"Kannel refused the sendsms user ({status}: {text}); check Sms:Kannel:Username/Password and smsbox's sendsms-user"),
            >= 400 and < 500 => new SendResult.Permanent($"Kannel refused the message ({status}: {text})"),
            _ => new SendResult.Transient($"Kannel answered {status}: {text}"),
        };
    }

    /// <summary>Kannel's DLR type (%d) as a status: 1 delivered, 2 failed, 8 taken by the SMSC, 16 refused by it, 4 buffered.</summary>
    public static (string Status, string Detail)? Report(int type, string? answer)
    {
        var said = string.IsNullOrWhiteSpace(answer) ? "" : $": {(answer.Length > 200 ? answer[..200] : answer)}";
        return type switch
        {
            1 => (MessageStatus.Delivered, $"delivered to the handset (Kannel DLR 1{said})"),
            2 => (MessageStatus.Failed, $"not delivered to the handset (Kannel DLR 2{said})"),
            8 => (MessageStatus.Sent, $"taken by the SMSC (Kannel DLR 8{said})"),
            16 => (MessageStatus.Failed, $"refused by the SMSC (Kannel DLR 16{said})"),
            4 => (MessageStatus.Sent, $"buffered by the SMSC (Kannel DLR 4{said})"),
            _ => null,
        };
    }

    private static void Add(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }
}
