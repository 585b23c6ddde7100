using System.Text;
using CallCenter.AgentDesk.Admin;
using CallCenter.Data.Clients;

namespace CallCenter.AgentDesk.Tests.Admin;

/// <summary>The grading feed's row checks: good rows are taken, each bad one is reported with its line and every reason.</summary>
public sealed class FiguresCsvRulesTests
{
    private static readonly HashSet<string> _clients = ["13800000001", "13800000005"];
    private static readonly DateOnly _today = new(2026, 12, 4);

    private static FiguresImportPlan Check(params string[] lines)
    {
        var reader = new CsvReader();
        var records = new List<CsvRecord>();
        reader.Read(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), records);
        reader.Complete(records);
        return FiguresCsvRules.Check(records, _clients, _today);
    }

    [Test]
    public void GoodRowsAreTakenAndEachBadRowIsReportedWithItsLineAndReasons()
    {
        var plan = Check(
            FiguresCsvRules.Header,
            "13800000001,2026-10,15000000.00,120000,15200000.5",   // 2 good
            "13800000005,2026-11,800000,300,",                     // 3 good, no month-end equity
            "13999999999,2026-10,1,1,1",                           // 4 unknown client
            "13800000001,2026-13,1,1,1",                           // 5 no such month
            "13800000001,2026-12,1,1,1",                           // 6 this month has not ended
            "13800000001,2026-09,-5,1,1",                          // 7 negative
            "13800000001,2026-09,\"1,000\",1.234,1e5",             // 8 separators, three decimals, exponent
            "13800000001,2026-09,,1,1",                            // 9 missing equity
            "13800000001,2026-10,1,1,1",                           // 10 the same month again
            "13800000001,2026-08,1,1",                             // 11 too few columns
            "13800000001,2026-08,200000000000,1,1");               // 12 above the limit

        Assert.That(plan.HeaderError, Is.Null);
        Assert.That(plan.Rows, Is.EqualTo(new[]
        {
            new ClientMonthFigures("13800000001", "2026-10", 15_000_000m, 120_000m, 15_200_000.5m),
            new ClientMonthFigures("13800000005", "2026-11", 800_000m, 300m, null),
        }));
        var reasons = plan.Rejected.ToDictionary(r => r.Line, r => r.Reason);
        Assert.That(reasons.Keys, Is.EqualTo(new[] { 4, 5, 6, 7, 8, 9, 10, 11, 12 }));
        Assert.That(reasons[4], Does.Contain("\"13999999999\" is no client of the directory"));
        Assert.That(reasons[5], Does.Contain("month \"2026-13\" must be YYYY-MM"));
        Assert.That(reasons[6], Does.Contain("month 2026-12 has not ended yet"));
        Assert.That(reasons[7], Does.Contain("average_equity \"-5\""));
        Assert.That(reasons[8], Does.Contain("average_equity \"1,000\"").And.Contain("fees \"1.234\"").And.Contain("month_end_equity \"1e5\""));
        Assert.That(reasons[9], Does.Contain("average_equity is missing"));
        Assert.That(reasons[10], Does.Contain("13800000001 2026-10 is already on line 2"));
        Assert.That(reasons[11], Does.Contain("expected 5 columns, found 4"));
        Assert.That(reasons[12], Does.Contain("above 100000000000"));
    }

    [Test]
    public void AWrongHeaderImportsNothing()
    {
        var plan = Check("phone,month,equity", "13800000001,2026-10,1");

        Assert.That(plan.HeaderError, Does.Contain("Line 1 must be the header \"phone,month,average_equity,fees,month_end_equity\""));
        Assert.That(plan.Rows, Is.Empty);
    }
}
