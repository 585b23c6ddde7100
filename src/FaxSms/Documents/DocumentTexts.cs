using System.Globalization;
using System.Text;
using CallCenter.Contracts.BackOffice;
using CallCenter.Contracts.Documents;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// What a document says on each channel (pure): the short SMS a brokerage sends (a statement's
/// balances and holdings, a note's title, summary and link), an e-mail's subject and body in the
/// caller's language (the PDF goes with it), and the PDF's layout in the labels' language
/// (<see cref="DocumentLabels"/>).
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

    /// <summary>
    /// The statement as a PDF lays it out, in the labels' language: the client's name (as the
    /// directory has it), the masked account, the date, the funds, then positions, today's orders and
    /// trades as tables with the stocks' names.
    /// </summary>
    public static DocumentLayout Layout(Statement statement, DocumentLabels labels)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(labels);
        var f = statement.Funds;
        var money = (decimal amount) => labels.Money(amount, f.Currency);
        var blocks = new List<DocumentBlock>();
        if (statement.ClientName is { Length: > 0 } name)
        {
            blocks.Add(new TextBlock(labels.Field(labels.Client, name)));
        }

        blocks.Add(new TextBlock(string.Join(labels.Gap,
            labels.Field(labels.Account, MaskAccount(statement.Account)),
            labels.Field(labels.Date, labels.Day(statement.Date)),
            labels.Field(labels.Currency, labels.CurrencyName(f.Currency)))));
        blocks.Add(new TextBlock(""));
        blocks.Add(new TextBlock(string.Join(labels.Gap,
            labels.Field(labels.Cash, money(f.Cash)),
            labels.Field(labels.Frozen, money(f.Frozen)),
            labels.Field(labels.Available, money(f.Available)))));
        blocks.Add(new HeadingBlock(labels.Positions));
        blocks.Add(new TableBlock(
            [labels.Code, labels.Name, labels.Shares, labels.AvailableShares, labels.LastPrice, labels.MarketValue],
            [.. statement.Positions.Select(p => new[] { p.Code, p.Name, DocumentLabels.Count(p.Quantity), DocumentLabels.Count(p.Available), DocumentLabels.Amount(p.LastPrice), DocumentLabels.Amount(p.MarketValue) })],
            [false, false, true, true, true, true],
            labels.None));
        blocks.Add(new HeadingBlock(labels.Orders));
        blocks.Add(new TableBlock(
            [labels.OrderId, labels.Side, labels.Code, labels.Name, labels.LimitPrice, labels.Shares, labels.Status],
            [.. statement.Orders.Select(o => new[] { o.Id.ToString(_invariant), labels.SideOf(o.Side), o.Code, o.Name, DocumentLabels.Amount(o.Price), DocumentLabels.Count(o.Quantity), labels.StatusOf(o.Status) })],
            [true, false, false, false, true, true, false],
            labels.None));
        blocks.Add(new HeadingBlock(labels.Trades));
        blocks.Add(new TableBlock(
            [labels.OrderId, labels.Side, labels.Code, labels.Name, labels.TradePrice, labels.Shares],
            [.. statement.Trades.Select(t => new[] { t.OrderId.ToString(_invariant), labels.SideOf(t.Side), t.Code, t.Name, DocumentLabels.Amount(t.Price), DocumentLabels.Count(t.Quantity) })],
            [true, false, false, false, true, true],
            labels.None));
        return new DocumentLayout(labels.StatementTitle, blocks);
    }

    /// <summary>The research note as a PDF lays it out: its title, its lines, and the link to the full text.</summary>
    public static DocumentLayout Layout(ResearchNote note, DocumentLabels labels)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(labels);
        List<DocumentBlock> blocks = [.. note.Body.ReplaceLineEndings("\n").Split('\n').Select(l => new TextBlock(l))];
        if (note.Url.Length > 0)
        {
            blocks.Add(new TextBlock(""));
            blocks.Add(new TextBlock(labels.Field(labels.FullText, note.Url)));
        }

        return new DocumentLayout(note.Title, blocks);
    }

    public static string Money(decimal value) => value.ToString("#,0.00", _invariant);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", _invariant);
}
