using CallCenter.Ivr.SelfService;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>How the per-number PIN limit keys a calling number: one number in every spelling a carrier may present, and no key for a withheld one.</summary>
public sealed class CallerNumberKeyTests
{
    [TestCase("13800000005", "13800000005")]
    [TestCase("+8613800000005", "13800000005")]
    [TestCase("008613800000005", "13800000005")]
    [TestCase("8613800000005", "13800000005")]
    [TestCase("02112345678", "02112345678")]
    [TestCase("+862112345678", "02112345678")]
    [TestCase("00862112345678", "02112345678")]
    [TestCase(" +8613800000005 ", "13800000005")]
    [TestCase("0014155550100", "14155550100")]
    [TestCase("95500", "95500")]
    public void EverySpellingOfANumberIsOneKey(string presented, string key) =>
        Assert.That(IvrBackOfficeExecutor.NumberKey(presented), Is.EqualTo(key));

    [TestCase("anonymous")]
    [TestCase("")]
    [TestCase("1234")]
    [TestCase("+")]
    [TestCase("138-0000-0005")]
    public void AWithheldOrNonNumericCallerIdHasNoKey(string presented) =>
        Assert.That(IvrBackOfficeExecutor.NumberKey(presented), Is.Null);
}
