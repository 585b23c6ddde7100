using System.Globalization;
using CallCenter.Contracts.BackOffice;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// The words of the PDF documents in one language, and how that language writes amounts and dates
/// (pure). Two languages, as the hotline speaks: Mandarin (<see cref="Chinese"/>, any language but
/// "en") and English. Formats are written out here, not taken from a culture: the platform runs with
/// invariant globalization, and a statement must read the same on every machine.
/// </summary>
public sealed record DocumentLabels(
    string Language,
    string StatementTitle,
    string Client,
    string Account,
    string Date,
    string Currency,
    string Cash,
    string Frozen,
    string Available,
    string Positions,
    string Orders,
    string Trades,
    string Code,
    string Name,
    string Shares,
    string AvailableShares,
    string LastPrice,
    string MarketValue,
    string OrderId,
    string Side,
    string LimitPrice,
    string TradePrice,
    string Status,
    string None,
    string Buy,
    string Sell,
    string Open,
    string Filled,
    string Cancelled,
    string FullText,
    string Colon,
    string Gap)
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public static DocumentLabels English { get; } = new(
        "en", "Account statement", "Client", "Account", "Date", "Currency", "Cash", "Frozen", "Available",
        "Positions", "Today's orders", "Today's trades", "Code", "Name", "Shares", "Available", "Last price",
        "Market value", "Order", "Side", "Limit price", "Price", "Status", "none", "Buy", "Sell", "Open",
        "Filled", "Cancelled", "Full text", ": ", "    ");

    public static DocumentLabels Chinese { get; } = new(
        "zh", "账户对账单", "客户", "资金账号", "日期", "币种", "资金余额", "冻结资金", "可用资金",
        "持仓", "当日委托", "当日成交", "证券代码", "证券名称", "股数", "可用股数", "最新价",
        "市值", "委托编号", "买卖", "委托价", "成交价", "状态", "无", "买入", "卖出", "已报",
        "已成", "已撤", "全文", "：", "　　");

    /// <summary>The labels for a caller's language: English for "en", Mandarin otherwise (the hotline's first language).</summary>
    public static DocumentLabels For(string? language) => language == "en" ? English : Chinese;

    /// <summary>"Cash: 100,000.00 CNY" / "资金余额：100,000.00元".</summary>
    public string Field(string label, string value) => label + Colon + value;

    /// <summary>An amount with its currency: "100,000.00 CNY" in English, "100,000.00元" in Mandarin (CNY only; another currency keeps its code).</summary>
    public string Money(decimal amount, string currency) =>
        Language == "zh" && currency == "CNY" ? Amount(amount) + "元" : Amount(amount) + " " + currency;

    /// <summary>The currency's name: "CNY" / "人民币".</summary>
    public string CurrencyName(string currency) => Language == "zh" && currency == "CNY" ? "人民币" : currency;

    /// <summary>"4 December 2026" / "2026年12月4日".</summary>
    public string Day(DateOnly date) => Language == "zh"
        ? date.ToString("yyyy'年'M'月'd'日'", _invariant)
        : date.ToString("d MMMM yyyy", _invariant);

    public string SideOf(OrderSide side) => side == OrderSide.Buy ? Buy : Sell;

    public string StatusOf(OrderStatus status) => status switch
    {
        OrderStatus.Open => Open,
        OrderStatus.Filled => Filled,
        _ => Cancelled,
    };

    /// <summary>Two decimals, thousands grouped with commas (both languages write amounts so on a statement).</summary>
    public static string Amount(decimal value) => value.ToString("#,0.00", _invariant);

    /// <summary>A share count, grouped: 1,000.</summary>
    public static string Count(long value) => value.ToString("#,0", _invariant);
}
