using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>The RFC 4475 messages in tests/fixtures/sip-torture and their verdicts from expected.tsv.</summary>
internal static class TortureMessages
{
    public static string Directory => Fixtures.Path("sip-torture");

    public static byte[] Read(string file) => File.ReadAllBytes(Fixtures.Path("sip-torture", file));

    /// <summary>(file, expectation) for every row of expected.tsv.</summary>
    public static IEnumerable<(string File, string Expect)> Rows()
    {
        foreach (var line in File.ReadLines(Fixtures.Path("sip-torture", "expected.tsv")).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            yield return (cells[0], cells[2]);
        }
    }

    public static IEnumerable<string> ValidFiles() => Rows().Where(r => r.Expect == "valid").Select(r => r.File);
}
