using System.Globalization;
using System.Text;
using CallCenter.Contracts.BackOffice;
using CallCenter.Contracts.Documents;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// What a document says on each channel (pure): the short SMS a brokerage sends (a statement's
/// balances and holdings, a note's title, summary and link), an e-mail's subject and body in the
/// caller's language (the PDF goes with it), and the PDF's lines (English: see <see cref="DocumentPdf"/>).
/// Accounts appear masked (the last four digits) everywhere.
/// </summary>
public static class DocumentTexts
{
    /// <summary>The longest SMS body written (a few segments; the outbox allows more).</summary>
    public const int MaxSmsLength = 300;

    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public static string MaskAccount(string account) =>
        account.Length <= 4 ? new string('*', account.Length) : "****" + account[^4..];

    /// <summary>A phone number or address for the audit: enough to recognise, not enough to reuse.</summary>
    public static string MaskRecipient(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var at = recipient.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return recipient[..1] + "***" + recipient[at..];
        }

        return recipient.Length <= 4 ? recipient : new string('*', recipient.Length - 4) + recipient[^4..];
    }

    public static string Sms(ResearchNote note, string language)
    {
        ArgumentNullException.ThrowIfNull(note);
        var zh = language != "en";
        var text = new StringBuilder(zh ? "【研究报告】" : "[Research note] ").Append(note.Title);
        var link = note.Url.Length > 0 ? (zh ? " 全文：" : " Full text: ") + note.Url : "";
        var summary = note.Body.ReplaceLineEndings(" ").Trim();
        var room = MaxSmsLength - text.Length - link.Length - 2;
        if (summary.Length > 0 && room > 10)
        {
            text.Append(zh ? "：" : ": ").Append(summary.Length > room ? summary[..(room - 3)] + "..." : summary);
        }

        return text.Append(link).ToString();
    }

    public static string Sms(Statement statement, string language)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var zh = language != "en";
        var f = statement.Funds;
        var text = new StringBuilder();
        text.Append(zh
            ? $"【对账单】账户{MaskAccount(statement.Account)} {Day(statement.Date)}：资金余额{Money(f.Cash)}元，可用{Money(f.Available)}元"
            : $"[Statement] Account {MaskAccount(statement.Account)} on {Day(statement.Date)}: cash {Money(f.Cash)} CNY, available {Money(f.Available)} CNY");
        foreach (var p in statement.Positions)
        {
            var item = zh ? $"；{p.Code} {p.Quantity.ToString(_invariant)}股 市值{Money(p.MarketValue)}元" : $"; {p.Code} {p.Quantity.ToString(_invariant)} shares, value {Money(p.MarketValue)}";
            if (text.Length + item.Length > MaxSmsLength - 30)
            {
                text.Append(zh ? "；更多持仓见电子邮件或传真对账单" : "; more holdings in the e-mailed or faxed statement");
                break;
            }

            text.Append(item);
        }

        var orders = statement.Orders.Count;
        var trades = statement.Trades.Count;
        text.Append(zh
            ? $"；今日委托{orders.ToString(_invariant)}笔，成交{trades.ToString(_invariant)}笔。"
            : $"; today {orders.ToString(_invariant)} order(s), {trades.ToString(_invariant)} trade(s).");
        return text.ToString();
    }

    public static string Subject(DocumentKind kind, string title, string language) => (kind, language) switch
    {
        (DocumentKind.Statement, "en") => "Your account statement",
        (DocumentKind.Statement, _) => "您的账户对账单",
        (_, "en") => "Research note: " + title,
        _ => "研究报告：" + title,
    };

    public static string EmailBody(DocumentKind kind, string language) => (kind, language) switch
    {
        (DocumentKind.Statement, "en") => "As you asked on the phone, your account statement is attached (PDF).\n",
        (DocumentKind.Statement, _) => "您在电话中申请的账户对账单见附件（PDF）。\n",
        (_, "en") => "As you asked on the phone, the latest research note is attached (PDF).\n",
        _ => "您在电话中申请的最新研究报告见附件（PDF）。\n",
    };

    /// <summary>The statement's PDF lines (English).</summary>
    public static IReadOnlyList<string> Lines(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var f = statement.Funds;
        var lines = new List<string>
        {
            $"Account: {MaskAccount(statement.Account)}    Date: {Day(statement.Date)}    Currency: {f.Currency}",
            "",
            $"Cash: {Money(f.Cash)}    Frozen: {Money(f.Frozen)}    Available: {Money(f.Available)}",
            "",
            "Positions (code, shares, available, last price, market value)",
        };
        lines.AddRange(statement.Positions.Count == 0
            ? ["  none"]
            : statement.Positions.Select(p => $"  {p.Code}  {p.Quantity.ToString(_invariant)}  {p.Available.ToString(_invariant)}  {Money(p.LastPrice)}  {Money(p.MarketValue)}"));
        lines.Add("");
        lines.Add("Today's orders (id, side, code, limit price, shares, status)");
        lines.AddRange(statement.Orders.Count == 0
            ? ["  none"]
            : statement.Orders.Select(o => $"  {o.Id.ToString(_invariant)}  {o.Side}  {o.Code}  {Money(o.Price)}  {o.Quantity.ToString(_invariant)}  {o.Status}"));
        lines.Add("");
        lines.Add("Today's trades (order, side, code, price, shares)");
        lines.AddRange(statement.Trades.Count == 0
            ? ["  none"]
            : statement.Trades.Select(t => $"  {t.OrderId.ToString(_invariant)}  {t.Side}  {t.Code}  {Money(t.Price)}  {t.Quantity.ToString(_invariant)}"));
        return lines;
    }

    public static string Money(decimal value) => value.ToString("#,0.00", _invariant);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", _invariant);
}
