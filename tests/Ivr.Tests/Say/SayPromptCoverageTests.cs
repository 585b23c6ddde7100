using CallCenter.Ivr.Prompts;
using CallCenter.Ivr.Say;

namespace CallCenter.Ivr.Tests.Say;

/// <summary>Every fragment Say can produce has a committed recording in config/prompts.</summary>
public sealed class SayPromptCoverageTests
{
    private static IEnumerable<long> Numbers()
    {
        for (long n = 0; n <= 10_000; n++)
        {
            yield return n;
        }

        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            yield return random.NextInt64(0, IvrSay.MaxNumber + 1);
        }

        for (long power = 10; power <= IvrSay.MaxNumber; power *= 10)
        {
            yield return power;
            yield return power * 2;
            yield return (power * 2) + 2;
        }

        yield return IvrSay.MaxNumber;
    }

    [TestCase("zh")]
    [TestCase("en")]
    public void EveryFragmentSayProducesIsARecordedPrompt(string language)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Add(IEnumerable<IvrPrompt> prompts)
        {
            foreach (var prompt in prompts)
            {
                Assert.That(prompt.Language, Is.EqualTo(language));
                names.Add(prompt.Name);
            }
        }

        foreach (var n in Numbers())
        {
            Add(IvrSay.Number(language, n));
        }

        for (var fen = 0; fen < 100_000; fen += 7)
        {
            Add(IvrSay.Currency(language, fen / 100m));
        }

        Add(IvrSay.Currency(language, IvrSay.MaxNumber + 0.99m));
        for (var date = new DateOnly(1899, 12, 25); date < new DateOnly(2101, 1, 10); date = date.AddDays(3))
        {
            Add(IvrSay.Date(language, date));
        }

        Add(IvrSay.Digits(language, "0123456789"));
        for (var position = 1; position < 300; position++)
        {
            Add(IvrSay.QueuePosition(language, position, position % 61));
        }

        var missing = names.Where(name => !IvrTestData.Prompts.Exists(language, name)).Order(StringComparer.Ordinal).ToList();
        Assert.That(missing, Is.Empty, $"fragments without config/prompts/{language}/<name>.wav");
        Assert.That(names, Has.Count.GreaterThan(20), "the sweep reached the fragments");
    }

    [Test]
    public void EveryPromptFileIsEightKilohertzMonoSixteenBitPcm()
    {
        foreach (var language in IvrLanguages.All)
        {
            foreach (var name in IvrTestData.Prompts.NamesOf(language))
            {
                var path = IvrTestData.Prompts.PathOf(new IvrPrompt(language, name));
                var header = new byte[44];
                using (var file = File.OpenRead(path))
                {
                    file.ReadExactly(header);
                }

                var format = BitConverter.ToInt16(header, 20);
                var channels = BitConverter.ToInt16(header, 22);
                var rate = BitConverter.ToInt32(header, 24);
                var bits = BitConverter.ToInt16(header, 34);
                Assert.That((format, channels, rate, bits), Is.EqualTo(((short)1, (short)1, 8000, (short)16)), path);
            }
        }
    }
}
