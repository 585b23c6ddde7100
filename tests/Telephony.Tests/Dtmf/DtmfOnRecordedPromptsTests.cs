using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Dtmf;
using CallCenter.Telephony.Media.Audio;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Dtmf;

/// <summary>
/// The in-band detector over every committed prompt (real synthesized speech, music on hold and
/// the say-* fragments, through G.711 as a caller's audio would be): no key may be heard in them.
/// </summary>
public sealed class DtmfOnRecordedPromptsTests
{
    public static IEnumerable<string> Prompts() =>
        Directory.EnumerateFiles(Path.Combine(Fixtures.RepositoryRoot, "config", "prompts"), "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    [Test]
    public void ThePromptSetIsThere() => Assert.That(Prompts().Count(), Is.GreaterThan(100));

    [TestCaseSource(nameof(Prompts))]
    public void NoDigitIsDetectedInAPrompt(string file)
    {
        var pcm = WavFile.Read(file).ToLinear();
        var law = new byte[pcm.Length];
        var decoded = new short[pcm.Length];
        G711.Encode(pcm, law, G711Law.MuLaw);
        G711.Decode(law, decoded, G711Law.MuLaw);
        var detector = new DtmfToneDetector();
        var digits = new List<char>();

        for (var offset = 0; offset + 160 <= decoded.Length; offset += 160)
        {
            if (detector.Process(decoded.AsSpan(offset, 160)) is char digit)
            {
                digits.Add(digit);
            }
        }

        Assert.That(digits, Is.Empty, Path.GetRelativePath(Fixtures.RepositoryRoot, file));
    }
}
