using CallCenter.Contracts.BackOffice;
using CallCenter.FaxSms.Documents;

namespace CallCenter.FaxSms.Tests.Documents;

/// <summary>The pure parts of the documents: line breaking, the labels and formats of each language, the statement's layout.</summary>
public sealed class DocumentTextsTests
{
    internal static readonly Statement Statement = new(
        "880000000001",
        new DateOnly(2026, 12, 4),
        new AccountFunds("880000000001", 98_480.00m, 1_520.00m, 96_960.00m, "CNY"),
        [new Position("600000", "浦发银行", 1000, 1000, 10.50m, 10_500.00m), new Position("600519", "贵州茅台", 100, 100, 1520.00m, 152_000.00m)],
        [new Order(7, "880000000001", "000858", "五粮液", OrderSide.Buy, 128.60m, 200, OrderStatus.Open, DateTimeOffset.UnixEpoch)],
        [],
        "王建国");

    private static double OnePerCharacter(string s) => s.Length;

    [Test]
    public void LatinTextBreaksAtSpaces()
    {
        var lines = TextWrap.Lines("the quick brown fox jumps", 10, OnePerCharacter);

        Assert.That(lines, Is.EqualTo(new[] { "the quick", "brown fox", "jumps" }));
    }

    [Test]
    public void ChineseTextBreaksBetweenCharactersButNotBeforeClosingPunctuation()
    {
        var lines = TextWrap.Lines("上证综指本周基本持平，大型银行股表现稳健。", 10, OnePerCharacter);

        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(lines), Is.EqualTo("上证综指本周基本持平，大型银行股表现稳健。"), "nothing lost or added");
            Assert.That(lines, Has.All.Length.LessThanOrEqualTo(10));
            Assert.That(lines.Skip(1).Select(l => l[0]), Has.None.EqualTo('，').And.None.EqualTo('。'), "a line never starts with closing punctuation");
            Assert.That(lines[0], Is.EqualTo("上证综指本周基本持"), "the comma stays with 平 on the next line");
        });
    }

    [Test]
    public void AWordLongerThanTheLineIsCutAndMixedTextBreaksAtTheBoundary()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TextWrap.Lines("https://research.example.com/weekly", 12, OnePerCharacter), Is.EqualTo(new[] { "https://rese", "arch.example", ".com/weekly" }));
            Assert.That(TextWrap.Lines("浦发银行600000", 6, OnePerCharacter), Is.EqualTo(new[] { "浦发银行", "600000" }));
            Assert.That(TextWrap.Lines("", 6, OnePerCharacter), Is.EqualTo(new[] { "" }));
        });
    }

    [Test]
    public void TheStatementInMandarinHasTheClientsNameChineseLabelsAmountsInYuanAndAChineseDate()
    {
        var layout = DocumentTexts.Layout(Statement, DocumentLabels.For("zh"));
        var text = Flatten(layout);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Title, Is.EqualTo("账户对账单"));
            Assert.That(text, Does.Contain("客户：王建国"));
            Assert.That(text, Does.Contain("资金账号：****0001").And.Contain("日期：2026年12月4日").And.Contain("币种：人民币"));
            Assert.That(text, Does.Contain("资金余额：98,480.00元").And.Contain("冻结资金：1,520.00元").And.Contain("可用资金：96,960.00元"));
            Assert.That(text, Does.Contain("600519|贵州茅台|100|100|1,520.00|152,000.00"));
            Assert.That(text, Does.Contain("7|买入|000858|五粮液|128.60|200|已报"));
            Assert.That(text, Does.Contain("当日成交").And.Contain("无"));
            Assert.That(text, Does.Not.Contain("880000000001"), "the account is masked");
        });
    }

    [Test]
    public void TheStatementInEnglishHasEnglishLabelsAmountsWithTheCurrencyAndAnEnglishDate()
    {
        var layout = DocumentTexts.Layout(Statement, DocumentLabels.For("en"));
        var text = Flatten(layout);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Title, Is.EqualTo("Account statement"));
            Assert.That(text, Does.Contain("Client: 王建国"), "the name as the directory has it");
            Assert.That(text, Does.Contain("Date: 4 December 2026").And.Contain("Currency: CNY"));
            Assert.That(text, Does.Contain("Cash: 98,480.00 CNY").And.Contain("Available: 96,960.00 CNY"));
            Assert.That(text, Does.Contain("600000|浦发银行|1,000|1,000|10.50|10,500.00"));
            Assert.That(text, Does.Contain("7|Buy|000858|五粮液|128.60|200|Open"));
        });
    }

    [Test]
    public void AnyLanguageButEnglishGetsMandarinAsTheHotlineDoes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DocumentLabels.For("zh"), Is.SameAs(DocumentLabels.Chinese));
            Assert.That(DocumentLabels.For(null), Is.SameAs(DocumentLabels.Chinese));
            Assert.That(DocumentLabels.For("en"), Is.SameAs(DocumentLabels.English));
            Assert.That(DocumentLabels.Chinese.Money(12.5m, "USD"), Is.EqualTo("12.50 USD"), "only yuan is written 元");
        });
    }

    [Test]
    public void ANoteIsLaidOutWithItsLinkInTheReadersLanguage()
    {
        var note = ResearchNote.Parse("每周点评\n银行股企稳。\n", "https://research.example.com/weekly");

        var zh = DocumentTexts.Layout(note, DocumentLabels.Chinese);
        var en = DocumentTexts.Layout(note, DocumentLabels.English);

        Assert.Multiple(() =>
        {
            Assert.That(zh.Title, Is.EqualTo("每周点评"));
            Assert.That(Flatten(zh), Does.Contain("银行股企稳。").And.EndWith("全文：https://research.example.com/weekly"));
            Assert.That(Flatten(en), Does.EndWith("Full text: https://research.example.com/weekly"));
        });
    }

    /// <summary>The layout as text: a block a line, table cells joined by '|'.</summary>
    internal static string Flatten(DocumentLayout layout) => string.Join("\n", layout.Blocks.Select(b => b switch
    {
        TextBlock t => t.Text,
        HeadingBlock h => h.Text,
        TableBlock t => string.Join("\n", new[] { t.Header }.Concat(t.Rows.Count == 0 ? [[t.WhenEmpty]] : t.Rows).Select(r => string.Join("|", r))),
        _ => "",
    }));
}
