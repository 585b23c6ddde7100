using System.Text;
using CallCenter.AgentDesk.Admin;
using CallCenter.Data.Catalog;

namespace CallCenter.AgentDesk.Tests.Admin;

/// <summary>
/// The client import of a hotline serving two businesses (Tiers:Businesses): the optional last column
/// <c>business</c> says whose scheme a row's tier is of (empty: the default business), and a row naming a tier of
/// another scheme, or a business not served, is reported with its line while the others are taken.
/// </summary>
public sealed class ClientCsvBusinessTests
{
    private static readonly Dictionary<string, IReadOnlyCollection<string>> _businesses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["futures"] = ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Ordinary", "Dormant"],
        ["securities"] = ["PlatinumCard", "GoldCard", "SilverCard", "Ordinary"],
    };

    private static readonly HashSet<string> _agents = ["1001"];

    private static ClientImportPlan Check(IReadOnlyDictionary<string, IReadOnlyCollection<string>> businesses, params string[] lines)
    {
        var reader = new CsvReader();
        var records = new List<CsvRecord>();
        reader.Read(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), records);
        reader.Complete(records);
        return ClientCsvRules.Check(records, businesses, "futures", _agents);
    }

    [Test]
    public void EachRowsTierIsCheckedInItsOwnBusinessesSchemeAndReportedWithItsLine()
    {
        var plan = Check(
            _businesses,
            ClientCsvRules.Header + ",business",
            "13900000201,Card,****0201,goldcard,,zh,b,Securities",
            "13900000202,Grade,****0202,Diamond,1001,zh,b,",
            "13900000203,Wrong,****0203,Diamond,,zh,b,securities",
            "13900000204,Wrong too,****0204,SilverCard,,zh,b,",
            "13900000205,Nobody,****0205,Gold,,zh,b,banking",
            "13900000206,Shared,****0206,Ordinary,,en,b,securities");

        Assert.That(plan.HeaderError, Is.Null);
        Assert.That(plan.Rows, Is.EqualTo(new[]
        {
            new ClientRecord("13900000201", "Card", "****0201", "GoldCard", null, "zh", "b", Business: "securities"),
            new ClientRecord("13900000202", "Grade", "****0202", "Diamond", "1001", "zh", "b"),
            new ClientRecord("13900000206", "Shared", "****0206", "Ordinary", null, "en", "b", Business: "securities"),
        }));
        Assert.That(plan.Rejected.Select(r => r.Line), Is.EqualTo(new[] { 4, 5, 6 }));
        Assert.That(plan.Rejected[0].Reason, Is.EqualTo("tier \"Diamond\" is of the futures scheme, not of the client's business securities (its tiers: PlatinumCard, GoldCard, SilverCard, Ordinary)"));
        Assert.That(plan.Rejected[1].Reason, Does.Contain("tier \"SilverCard\" is of the securities scheme, not of the client's business futures"));
        Assert.That(plan.Rejected[2].Reason, Is.EqualTo("business \"banking\" is not one of futures, securities"));
    }

    [Test]
    public void TheLongerHeaderTakesTheBusinessColumnToo()
    {
        var plan = Check(
            _businesses,
            ClientCsvRules.HeaderWithOutsideManager + ",business",
            "13900000201,Card,****0201,PlatinumCard,,zh,b,Wu,+8657188886666,securities",
            "13900000202,Short,****0202,Gold,,zh,b,securities");

        Assert.That(plan.Rows.Single(), Is.EqualTo(new ClientRecord("13900000201", "Card", "****0201", "PlatinumCard", null, "zh", "b", "Wu", "+8657188886666", "securities")));
        Assert.That(plan.Rejected.Single().Reason, Is.EqualTo("expected 10 columns, found 8"));
    }

    [Test]
    public void WithoutTheColumnEveryRowIsOfTheDefaultBusiness()
    {
        var plan = Check(_businesses, ClientCsvRules.Header, "13900000201,Card,****0201,GoldCard,,zh,b", "13900000202,Grade,****0202,Gold,,zh,b");

        Assert.That(plan.Rows.Select(r => (r.Phone, r.Business)), Is.EqualTo(new[] { ("13900000202", (string?)null) }));
        Assert.That(plan.Rejected.Single().Line, Is.EqualTo(2));
    }

    [Test]
    public void WithOneBusinessTheMessagesAreAsBeforeAndAnotherBusinessIsNotServed()
    {
        var one = new Dictionary<string, IReadOnlyCollection<string>> { ["futures"] = _businesses["futures"] };

        var plan = Check(one, ClientCsvRules.Header + ",business", "13900000201,Card,****0201,GoldCard,,zh,b,", "13900000202,Grade,****0202,Gold,,zh,b,securities", "13900000203,Ok,****0203,Gold,,zh,b,futures");

        Assert.That(plan.Rejected[0].Reason, Is.EqualTo("unknown tier \"GoldCard\" (known: Diamond, Platinum, Gold, Quality, Effective, Ordinary, Dormant)"));
        Assert.That(plan.Rejected[1].Reason, Is.EqualTo("business \"securities\" is not one of futures"));
        Assert.That(plan.Rows.Single().Business, Is.EqualTo("futures"));
    }

    [Test]
    public void AHeaderThatIsNeitherFormIsRefusedNamingTheOptionalColumn()
    {
        var plan = Check(_businesses, "phone,name,business");

        Assert.That(plan.HeaderError, Does.Contain("(either may end with \",business\", \",call_hours\" or both)"));
    }
}
