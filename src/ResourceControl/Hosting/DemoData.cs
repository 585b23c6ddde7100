using System.Globalization;
using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using CallCenter.ResourceControl.Clients;
using CallCenter.Telephony.Sip.Auth;
using Microsoft.AspNetCore.Identity;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// Demo data for trying the platform out (design.md section 4), seeded only with <c>Demo:Seed=true</c>
/// into an empty database: hotlines 95500/95501, agents 1001-1004 (passwords demo-&lt;extension&gt;),
/// supervisor super/demo-super at phone 1900 (SIP password demo-1900), admin admin/demo-admin, and one client per tier.
/// </summary>
internal static class DemoData
{
    public static readonly IReadOnlyList<HotlineRecord> Hotlines =
    [
        new("95500", "客户服务热线 Customer service", "ivr"),
        new("95501", "VIP 专线 VIP line", "vip"),
    ];

    public static readonly IReadOnlyList<string> AgentExtensions = ["1001", "1002", "1003", "1004"];

    /// <summary>The demo supervisor's phone (kind supervisor, SIP password demo-1900).</summary>
    public const string SupervisorExtension = "1900";

    public static readonly IReadOnlyList<ClientRecord> Clients =
    [
        new("13800000001", "王建国", "6225****0001", "Diamond", "1001", "zh", "上海浦东营业部"),
        new("13800000002", "李美华", "6225****0002", "Platinum", "1002", "zh", "北京金融街营业部"),
        new("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳福田营业部"),
        new("13800000004", "Emily Chen", "6225****0004", "Quality", "1003", "en", "上海浦东营业部"),
        new("13800000005", "刘洋", "6225****0005", "Effective", null, "zh", "广州天河营业部"),
        new("13800000006", "陈静", "6225****0006", "Dormant", null, "zh", "杭州西湖营业部"),
    ];

    /// <summary>
    /// Each demo client's monthly average equity and fees (CNY), inside their seeded tier's band with the default
    /// <c>Tiers</c> thresholds; 13800000005 (Effective) deposits enough in the current quarter to grade Quality.
    /// </summary>
    private static readonly (decimal Equity, decimal Fees, decimal CurrentQuarterEquity)[] _figures =
    [
        (15_000_000m, 120_000m, 15_000_000m),
        (7_000_000m, 30_000m, 7_000_000m),
        (2_000_000m, 8_000m, 2_000_000m),
        (700_000m, 2_000m, 700_000m),
        (50_000m, 300m, 800_000m),
        (800m, 0m, 800m),
    ];

    private static readonly string[] _agentNames = ["赵敏 Zhao Min", "钱磊 Qian Lei", "孙丽 Sun Li", "周强 Zhou Qiang"];

    // Every demo agent speaks both languages, answers e-mail tasks and is on the VIP team (the vip skill the queue of the
    // VIP line asks for; a firm gives it to its VIP team only); 1003 also takes complaints, 1004 futures.
    private static readonly string[] _agentSkills =
        ["zh,en,stocks,email,vip", "zh,en,stocks,email,vip", "zh,en,stocks,complaints,email,vip", "zh,en,stocks,futures,email,vip"];

    public static async Task SeedAsync(CatalogRepository catalog, string realm, CancellationToken cancellationToken)
    {
        var hasher = new PasswordHasher<string>();
        foreach (var hotline in Hotlines)
        {
            await catalog.UpsertHotlineAsync(hotline, cancellationToken);
        }

        for (var i = 0; i < AgentExtensions.Count; i++)
        {
            var extension = AgentExtensions[i];
            var password = "demo-" + extension;
            await catalog.UpsertAgentAsync(
                new AgentRecord(
                    extension,
                    _agentNames[i],
                    realm,
                    SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, extension, realm, password),
                    SipDigest.ComputeHa1(SipDigestAlgorithm.Sha256, extension, realm, password),
                    _agentSkills[i]),
                cancellationToken);
            await catalog.UpsertDeskUserAsync(new DeskUserRecord(extension, "agent", hasher.HashPassword(extension, password), extension), cancellationToken);
        }

        // The duty manager's own phone, rung for listen, whisper and barge; the desk user super is at it.
        await catalog.UpsertAgentAsync(
            new AgentRecord(
                SupervisorExtension,
                "值班经理 Duty manager",
                realm,
                SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, SupervisorExtension, realm, "demo-" + SupervisorExtension),
                SipDigest.ComputeHa1(SipDigestAlgorithm.Sha256, SupervisorExtension, realm, "demo-" + SupervisorExtension),
                "",
                AgentRecord.SupervisorKind),
            cancellationToken);
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", hasher.HashPassword("super", "demo-super"), SupervisorExtension), cancellationToken);
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("admin", "admin", hasher.HashPassword("admin", "demo-admin"), null), cancellationToken);
        foreach (var client in Clients)
        {
            await catalog.UpsertClientAsync(client, cancellationToken);
        }
    }

    /// <summary>
    /// The tier review's demo inputs: account facts and monthly figures from the December before the third-last
    /// ended quarter to the end of the current one. The three ended quarters are marked reviewed ("seed"), so the review job
    /// changes no tier at start-up (the demo tiers are a contract, design.md section 4), even with other thresholds.
    /// The current quarter's figures lift 13800000005 from Effective to Quality: the job applies that once the
    /// quarter has ended, and <c>tier-review --quarter &lt;current&gt; --dry-run</c> previews it at once.
    /// </summary>
    public static async Task SeedTierFiguresAsync(ClientFiguresRepository figures, TierChangeRepository changes, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var current = Quarter.Of(today);
        Quarter[] reviewed = [current.Previous().Previous().Previous(), current.Previous().Previous(), current.Previous()];
        var firstMonth = new DateOnly(reviewed[0].Year - 1, 12, 1);

        var months = new List<ClientMonthFigures>();
        for (var i = 0; i < Clients.Count; i++)
        {
            var phone = Clients[i].Phone;
            var (equity, fees, currentEquity) = _figures[i];
            var dormant = Clients[i].Tier == "Dormant";
            await figures.UpsertAccountAsync(
                new ClientAccountRecord(phone, new DateOnly(2016 + i, 3, 1), dormant ? today.AddYears(-3) : today.AddDays(-1), HasPositions: !dormant),
                cancellationToken);
            // Through the current quarter's end: a Q4 review needs December's month-end equity for the Dormant rule.
            for (var month = firstMonth; month <= current.LastDay; month = month.AddMonths(1))
            {
                var value = current.Contains(month.Year, month.Month) ? currentEquity : equity;
                months.Add(new ClientMonthFigures(phone, month.ToString("yyyy-MM", CultureInfo.InvariantCulture), value, fees, value));
            }
        }

        await figures.UpsertMonthsAsync(months, cancellationToken);
        var tiers = CallCenter.ResourceControl.Clients.TierNotices.Counts(Clients.Select(c => c.Tier));
        foreach (var quarter in reviewed)
        {
            await changes.ApplyAsync(new TierReviewRecord(quarter.ToString(), now, TierReviewSources.Seed, Clients.Count, 0, tiers, tiers), [], cancellationToken: cancellationToken);
        }
    }
}
