using System.Text;
using CallCenter.AgentDesk.Admin;
using CallCenter.Data.Catalog;

namespace CallCenter.AgentDesk.Tests.Admin;

public sealed class ClientCsvRulesTests
{
    private static readonly string[] _tiers = ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant"];
    private static readonly HashSet<string> _agents = ["1001", "1004"];

    [Test]
    public void GoodRowsAreTakenWithTheTierAsConfiguredAndAnEmptyManagerAsNone()
    {
        var plan = Check(
            ClientCsvRules.Header,
            "13900000001,王建国,****0001,diamond,1001,zh,上海浦东营业部",
            "13900000002,\"Chen, Emily\",62**,Gold,,en,");

        Assert.That(plan.HeaderError, Is.Null);
        Assert.That(plan.Rejected, Is.Empty);
        Assert.That(plan.Rows, Is.EqualTo(new[]
        {
            new ClientRecord("13900000001", "王建国", "****0001", "Diamond", "1001", "zh", "上海浦东营业部"),
            new ClientRecord("13900000002", "Chen, Emily", "62**", "Gold", null, "en", ""),
        }));
    }

    [TestCase("1390000000a,A,****1,Gold,,zh,b", "phone \"1390000000a\" must be 5 to 20 digits")]
    [TestCase("1234,A,****1,Gold,,zh,b", "phone \"1234\" must be 5 to 20 digits")]
    [TestCase("123456789012345678901,A,****1,Gold,,zh,b", "must be 5 to 20 digits")]
    [TestCase("13900000001,,****1,Gold,,zh,b", "name must not be empty")]
    [TestCase("13900000001,A,****1,Bronze,,zh,b", "unknown tier \"Bronze\"")]
    [TestCase("13900000001,A,6225123412340001,Gold,,zh,b", "account_masked must be masked")]
    [TestCase("13900000001,A,62251234****0001,Gold,,zh,b", "account_masked must be masked")]
    [TestCase("13900000001,A,,Gold,,zh,b", "account_masked must be masked")]
    [TestCase("13900000001,A,****1,Gold,1999,zh,b", "manager_extension \"1999\" is not an agent's extension")]
    [TestCase("13900000001,A,****1,Gold,,fr,b", "language \"fr\" must be zh or en")]
    [TestCase("13900000001,A,****1,Gold,,zh", "expected 7 columns, found 6")]
    [TestCase("13900000001,A,****1,Gold,,zh,b,extra", "expected 7 columns, found 8")]
    [TestCase("13900000001,A,****1,Gold,,zh,b\"x", "malformed CSV: field 7 has a quote inside an unquoted value")]
    public void ABadRowIsRejectedWithItsLineAndReasonAndTheOthersAreTaken(string bad, string reason)
    {
        var plan = Check(ClientCsvRules.Header, "13900000009,Good,****9,Gold,,zh,b", bad, "13900000008,Also good,****8,Gold,1004,en,b");

        Assert.That(plan.Rejected, Has.Count.EqualTo(1));
        Assert.That(plan.Rejected[0].Line, Is.EqualTo(3));
        Assert.That(plan.Rejected[0].Reason, Does.Contain(reason));
        Assert.That(plan.Rows.Select(r => r.Phone), Is.EqualTo(new[] { "13900000009", "13900000008" }));
    }

    [Test]
    public void EveryReasonOfARowIsGiven()
    {
        var plan = Check(ClientCsvRules.Header, "12,A,12345678,Bronze,,fr,b");

        Assert.That(plan.Rejected.Single().Reason, Does.Contain("phone").And.Contain("account_masked").And.Contain("tier").And.Contain("language"));
    }

    [Test]
    public void AFullAccountNumberIsNeverEchoedInTheReason()
    {
        var plan = Check(ClientCsvRules.Header, "13900000001,A,6225123412340001,Gold,,zh,b");

        Assert.That(plan.Rejected.Single().Reason, Does.Not.Contain("6225123412340001"));
    }

    [Test]
    public void ASecondRowWithTheSamePhoneIsRejectedNamingTheFirstLine()
    {
        var plan = Check(ClientCsvRules.Header, "13900000001,First,****1,Gold,,zh,b", "13900000002,Other,****2,Gold,,zh,b", "13900000001,Again,****1,Gold,,zh,b");

        Assert.That(plan.Rows.Select(r => r.Name), Is.EqualTo(new[] { "First", "Other" }));
        Assert.That(plan.Rejected.Single(), Is.EqualTo(new RejectedRow(4, "phone 13900000001 is already on line 2")));
    }

    [Test]
    public void LineNumbersCountTheLinesOfQuotedFieldsAndBlankLines()
    {
        var plan = Check(ClientCsvRules.Header, "13900000001,\"Two", "lines\",****1,Gold,,zh,b", "", "13900000002,A,****2,Gold,,xx,b");

        Assert.That(plan.Rows.Single().Name, Is.EqualTo("Two\nlines"));
        Assert.That(plan.Rejected.Single().Line, Is.EqualTo(5));
    }

    [TestCase("6225****0001")]
    [TestCase("****0001")]
    [TestCase("6225 **** **** 0001")]
    public void AnAccountMaskedAsTheTradeDoesIsImported(string account)
    {
        var plan = Check(ClientCsvRules.Header, $"13900000001,A,{account},Gold,,zh,b");

        Assert.That(plan.Rejected, Is.Empty);
        Assert.That(plan.Rows.Single().AccountMasked, Is.EqualTo(account));
    }

    [TestCase("")]
    [TestCase("phone,name,account_masked,tier,manager_extension,language")]
    [TestCase("13900000001,A,****1,Gold,,zh,b")]
    public void AMissingOrWrongHeaderRefusesTheWholeFile(string header)
    {
        var plan = Check(header, "13900000001,A,****1,Gold,,zh,b");

        Assert.That(plan.HeaderError, Does.Contain(ClientCsvRules.Header));
        Assert.That(plan.Rows, Is.Empty);
    }

    [Test]
    public void TheHeaderMayDifferInCaseAndSpaces()
    {
        var plan = Check("Phone, Name ,ACCOUNT_MASKED,tier,manager_extension,language,branch", "13900000001,A,****1,Gold,,zh,b");

        Assert.That((plan.HeaderError, plan.Rows.Count), Is.EqualTo(((string?)null, 1)));
    }

    [Test]
    public void TheOptionalCallHoursColumnGivesAClientsOwnHoursAndABadValueRejectsItsRowWithTheReason()
    {
        var plan = Check(
            ClientCsvRules.Header + ",call_hours",
            "13900000001,A,****1,Gold,,zh,b,14:00-16:00",
            "13900000002,B,****2,Gold,,zh,b, 20:00 - 09:00 ",
            "13900000003,C,****3,Gold,,zh,b,",
            "13900000004,D,****4,Gold,,zh,b,14:00",
            "13900000005,E,****5,Gold,,zh,b,09:00-09:00",
            "13900000006,F,****6,Gold,,zh,b,25:00-26:00",
            "13900000007,G,****7,Gold,,zh,b,9:00-16:00");

        Assert.That(plan.HasCallHours, Is.True);
        Assert.That(plan.Rows.Select(r => (r.Phone, r.CallHours)), Is.EqualTo(new[] { ("13900000001", "14:00-16:00"), ("13900000002", "20:00-09:00"), ("13900000003", (string?)null) }));
        Assert.That(plan.Rejected.Select(r => r.Line), Is.EqualTo(new[] { 5, 6, 7, 8 }));
        Assert.That(plan.Rejected[0].Reason, Does.Contain("call_hours \"14:00\" must be HH:mm-HH:mm"));
        Assert.That(plan.Rejected[1].Reason, Does.Contain("call_hours \"09:00-09:00\" must start and end at different times"));
        Assert.That(plan.Rejected[2].Reason, Does.Contain("call_hours \"25:00-26:00\""));
        Assert.That(plan.Rejected[3].Reason, Does.Contain("call_hours \"9:00-16:00\""));
    }

    [TestCase(",business,call_hours", "13900000001,A,****1,Gold,,zh,b,,14:00-16:00")]
    [TestCase(",call_hours,business", "13900000001,A,****1,Gold,,zh,b,14:00-16:00,")]
    [TestCase(",manager_name,manager_phone,call_hours", "13900000001,A,****1,Gold,,zh,b,,,14:00-16:00")]
    public void TheCallHoursColumnGoesAfterTheFixedOnesBeforeOrAfterTheBusiness(string tail, string row)
    {
        var plan = Check(ClientCsvRules.Header + tail, row);

        Assert.That(plan.HeaderError, Is.Null);
        Assert.That(plan.Rows.Single().CallHours, Is.EqualTo("14:00-16:00"));
    }

    [TestCase(",call_hours,call_hours")]
    [TestCase(",call_hours,extra")]
    [TestCase(",hours")]
    public void AnUnknownOrRepeatedOptionalColumnRefusesTheFile(string tail)
    {
        var plan = Check(ClientCsvRules.Header + tail, "13900000001,A,****1,Gold,,zh,b,14:00-16:00,x");

        Assert.That(plan.HeaderError, Does.Contain("call_hours"));
    }

    [Test]
    public void AFileWithoutTheColumnSaysSoAndSetsNoHours()
    {
        var plan = Check(ClientCsvRules.Header, "13900000001,A,****1,Gold,,zh,b");

        Assert.That((plan.HasCallHours, plan.Rows.Single().CallHours), Is.EqualTo((false, (string?)null)));
    }

    [Test]
    public void TheSecuritiesSchemesCardsAreAcceptedAndTheFuturesGradesAreNot()
    {
        string[] cards = ["PlatinumCard", "GoldCard", "SilverCard", "Ordinary"];
        var reader = new CsvReader();
        var records = new List<CsvRecord>();
        reader.Read(Encoding.UTF8.GetBytes(string.Join('\n', ClientCsvRules.Header, "13900000011,A,****11,silvercard,,zh,b", "13900000012,B,****12,Diamond,,zh,b") + "\n"), records);
        reader.Complete(records);

        var plan = ClientCsvRules.Check(records, cards, _agents);

        Assert.That(plan.Rows.Select(r => (r.Phone, r.Tier)), Is.EqualTo(new[] { ("13900000011", "SilverCard") }));
        Assert.That(plan.Rejected.Single().Reason, Does.Contain("unknown tier \"Diamond\" (known: PlatinumCard, GoldCard, SilverCard, Ordinary)"));
    }

    [Test]
    public void TheLongerHeaderTakesAManagerOutsideTheHotlineByNameAndPhone()
    {
        var plan = Check(
            ClientCsvRules.HeaderWithOutsideManager,
            "13900000001,王建国,****0001,Gold,,zh,杭州西湖营业部,吴敏 Wu Min,+8657188886666",
            "13900000002,Ann,****0002,Gold,1004,en,b,,",
            "13900000003,Bo,****0003,Gold,,en,b,Zhou,");

        Assert.That(plan.Rejected, Is.Empty);
        Assert.That(plan.Rows, Is.EqualTo(new[]
        {
            new ClientRecord("13900000001", "王建国", "****0001", "Gold", null, "zh", "杭州西湖营业部", "吴敏 Wu Min", "+8657188886666"),
            new ClientRecord("13900000002", "Ann", "****0002", "Gold", "1004", "en", "b"),
            new ClientRecord("13900000003", "Bo", "****0003", "Gold", null, "en", "b", "Zhou"),
        }));
    }

    [TestCase("13900000001,A,****1,Gold,1004,zh,b,Wu,", "give either manager_extension (a hotline agent) or manager_name (someone outside the hotline), not both")]
    [TestCase("13900000001,A,****1,Gold,,zh,b,,13900000009", "manager_phone needs a manager_name")]
    [TestCase("13900000001,A,****1,Gold,,zh,b,Wu,call-me", "manager_phone \"call-me\" must be 5 to 20 digits")]
    [TestCase("13900000001,A,****1,Gold,,zh,b", "expected 9 columns, found 7")]
    public void AnOutsideManagerWithoutANameOrBesideAnAgentIsRejected(string bad, string reason)
    {
        var plan = Check(ClientCsvRules.HeaderWithOutsideManager, bad, "13900000002,Good,****2,Gold,,zh,b,,");

        Assert.That(plan.Rows.Select(r => r.Phone), Is.EqualTo(new[] { "13900000002" }));
        Assert.That(plan.Rejected.Single().Reason, Does.Contain(reason));
    }

    private static ClientImportPlan Check(params string[] lines)
    {
        var reader = new CsvReader();
        var records = new List<CsvRecord>();
        reader.Read(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), records);
        reader.Complete(records);
        return ClientCsvRules.Check(records, _tiers, _agents);
    }
}
