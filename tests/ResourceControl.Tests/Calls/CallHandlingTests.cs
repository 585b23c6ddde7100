using CallCenter.ResourceControl.Calls;
using FsCheck;
using FsCheck.Fluent;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>How agents handled a call, as its record keeps it: times only add up, the first answer stays, only an answer or a take-over names the agent.</summary>
public sealed class CallHandlingTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    /// <summary>One step: its kind (0 offered, 1 answered, 2 ring ended, 3 held, 4 taken over), an extension, when the leg was offered and now (seconds; a clock may step back).</summary>
    private static readonly Gen<(int Kind, int Extension, int OfferedAt, int Now)> _step =
        from kind in Gen.Choose(0, 4)
        from extension in Gen.Choose(1001, 1004)
        from offeredAt in Gen.Choose(0, 600)
        from now in Gen.Choose(-30, 900)
        select (kind, extension, offeredAt, now);

    [Test]
    public void TheFirstAnswerRingAndHoldAddUpAsTheCallGoesInAnyOrder() =>
        Prop.ForAll(
            Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(_step, n)).ToArbitrary(),
            steps =>
            {
                var handling = new CallHandling();
                double ring = 0, hold = 0;
                DateTimeOffset? firstAnswer = null;
                string? agent = null;
                foreach (var (kind, extension, offeredAt, now) in steps)
                {
                    var before = handling;
                    var (offered, at) = (_t0.AddSeconds(offeredAt), _t0.AddSeconds(now));
                    handling = kind switch
                    {
                        0 => handling.Offered($"reason {extension}"),
                        1 => handling.AgentAnswered(extension.ToString(System.Globalization.CultureInfo.InvariantCulture), offered, at),
                        2 => handling.RingEnded(offered, at),
                        3 => handling.Held(now - offeredAt),
                        _ => handling.TakenOverBy(extension.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    };

                    // The model: what each step adds, never less than nothing.
                    ring += kind is 1 or 2 ? Math.Max(0, now - offeredAt) : 0;
                    hold += kind == 3 ? Math.Max(0, now - offeredAt) : 0;
                    firstAnswer ??= kind == 1 ? at : null;
                    agent = kind is 1 or 4 ? extension.ToString(System.Globalization.CultureInfo.InvariantCulture) : agent;
                    if (handling.RingSeconds < before.RingSeconds || handling.HoldSeconds < before.HoldSeconds
                        || (before.AnsweredAt is not null && handling.AnsweredAt != before.AnsweredAt)
                        || handling.Agent != agent || handling.AnsweredAt != firstAnswer
                        || Math.Abs(handling.RingSeconds - ring) > 1e-6 || Math.Abs(handling.HoldSeconds - hold) > 1e-6
                        || (kind != 0 && handling.RoutingReason != before.RoutingReason))
                    {
                        return false;
                    }
                }

                return true;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));

    [Test]
    public void ATransfersAgentTakesTheCallOverWithoutMovingItsAnswer()
    {
        var answered = new CallHandling().Offered("account manager").AgentAnswered("1001", _t0, _t0.AddSeconds(8));
        var transferred = answered.TakenOverBy("1002").AgentAnswered("1003", _t0.AddSeconds(60), _t0.AddSeconds(65));
        Assert.Multiple(() =>
        {
            Assert.That(answered, Is.EqualTo(new CallHandling("1001", _t0.AddSeconds(8), "account manager", 8, 0)));
            Assert.That(transferred.Agent, Is.EqualTo("1003"));
            Assert.That(transferred.AnsweredAt, Is.EqualTo(_t0.AddSeconds(8)), "the call was answered once, by the first agent");
            Assert.That(transferred.RingSeconds, Is.EqualTo(13));
            Assert.That(answered.RingEnded(_t0.AddSeconds(10), _t0).RingSeconds, Is.EqualTo(8), "a clock stepped back takes nothing off");
        });
    }
}
