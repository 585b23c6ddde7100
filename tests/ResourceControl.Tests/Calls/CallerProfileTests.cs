using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>What the directory says of a caller, as the call keeps it: a denied manager is not theirs; a callback's booking fills only the gaps.</summary>
public sealed class CallerProfileTests
{
    [Test]
    public void TheDirectorysAnswerStandsAndABookingFillsOnlyWhatItLeavesOut()
    {
        var client = new Data.Catalog.ClientRecord("13800000001", "Li Lei", "8800****0001", "vip", "1001", "en", "Shanghai");
        var known = CallerProfile.From(new CallerIdentity(client, "Wang Fang", []));
        var denied = CallerProfile.From(new CallerIdentity(client, "Wang Fang", [], ManagerDeniedAt: DateTimeOffset.UnixEpoch));
        Assert.Multiple(() =>
        {
            Assert.That((known.Tier, known.Language, known.AccountManager, known.ClientName), Is.EqualTo(("vip", "en", "1001", "Li Lei")));
            Assert.That(denied.AccountManager, Is.Null, "a manager the client denied takes none of their calls");
            Assert.That(denied.ManagerDeniedAt, Is.EqualTo(DateTimeOffset.UnixEpoch));
            Assert.That(known.OrBooked("normal", "zh", "1002"), Is.EqualTo(known), "the directory's answer stands");
            Assert.That(
                CallerProfile.Unknown.OrBooked("vip", "en", "1002") is { Tier: "vip", Language: "en", AccountManager: "1002", Client: null },
                Is.True,
                "the booking where the directory is silent");
            Assert.That(CallerProfile.Unknown.OrBooked(null, null, null), Is.EqualTo(CallerProfile.Unknown));

            // Field by field: the directory knew the tier only, the booking fills the rest.
            var tierOnly = CallerProfile.Unknown with { Tier = "gold" };
            Assert.That(tierOnly.OrBooked("vip", "en", "1002") is { Tier: "gold", Language: "en", AccountManager: "1002" }, Is.True, "only the gaps");
            Assert.That(denied.OrBooked("vip", "zh", "1002").AccountManager, Is.Null, "a denied manager is not brought back by a booking");
        });
    }
}
