using CallCenter.FaxSms.Broadcasts;
using CallCenter.FaxSms.Email.Inbound;

namespace CallCenter.FaxSms.Tests;

/// <summary>
/// The securities cards (Tiers:Businesses) in the messaging room: a broadcast names a card client's tier in Mandarin,
/// and a card client's e-mail ranks by the card's routing weight, not after every futures grade.
/// </summary>
public sealed class SecuritiesCardsTests
{
    [Test]
    public void ABroadcastNamesACardInMandarin()
    {
        var zh = MessageTemplate.Parse("{{name}}您好，您是{{tier}}客户").Template!;
        AudienceMember[] members = [new("13900000001", "周明", "GoldCard", "6225****0009", "zh", null)];

        var (messages, _) = BroadcastExpansion.Expand(members, BroadcastContent.Sms(zh, null), new HashSet<string>(), riskNotice: false, new DateOnly(2026, 12, 5));

        Assert.That(messages.Single().Body, Is.EqualTo("周明您好，您是金卡客户"));
    }

    [Test]
    public void ACardRanksWithTheGradeOfItsWeightAndTheGradesKeepTheirStoredRanks()
    {
        Assert.That(EmailTaskRouting.TierRank("PlatinumCard"), Is.EqualTo(EmailTaskRouting.TierRank("Diamond")));
        Assert.That(EmailTaskRouting.TierRank("GoldCard"), Is.LessThan(EmailTaskRouting.TierRank("Gold")));
        Assert.That(EmailTaskRouting.TierRank("SilverCard"), Is.LessThan(EmailTaskRouting.TierRank("Effective")));
        Assert.That(EmailTaskRouting.TierRank("Ordinary"), Is.LessThan(EmailTaskRouting.TierRank(null)));

        // Ranks are stored with each task when it arrives: the futures grades' values must not move.
        Assert.That(new[] { "Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant" }.Select(EmailTaskRouting.TierRank), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5 }));
        Assert.That(EmailTaskRouting.TierRank("Unknown"), Is.EqualTo(6));
    }
}
