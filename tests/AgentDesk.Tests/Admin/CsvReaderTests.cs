using System.Text;
using CallCenter.AgentDesk.Admin;

namespace CallCenter.AgentDesk.Tests.Admin;

public sealed class CsvReaderTests
{
    /// <summary>Input, then the records expected: line, fields, and a part of the error (null: well-formed).</summary>
    private static readonly (string Name, byte[] Input, (int Line, string[] Fields, string? Error)[] Expected)[] _table =
    [
        ("plain rows with LF", U("a,b,c\n1,2,3\n"), [(1, ["a", "b", "c"], null), (2, ["1", "2", "3"], null)]),
        ("CRLF line ends", U("a,b\r\n1,2\r\n"), [(1, ["a", "b"], null), (2, ["1", "2"], null)]),
        ("lone CR line ends", U("a,b\r1,2\r"), [(1, ["a", "b"], null), (2, ["1", "2"], null)]),
        ("no line break after the last row", U("a,b\n1,2"), [(1, ["a", "b"], null), (2, ["1", "2"], null)]),
        ("empty fields", U(",x,\n,,\n"), [(1, ["", "x", ""], null), (2, ["", "", ""], null)]),
        ("blank lines are skipped and still counted", U("a\n\n\r\nb\n"), [(1, ["a"], null), (4, ["b"], null)]),
        ("a quoted field holds commas", U("\"a,b\",c\n"), [(1, ["a,b", "c"], null)]),
        ("a doubled quote is one quote", U("\"say \"\"hi\"\"\",x\n"), [(1, ["say \"hi\"", "x"], null)]),
        ("an empty quoted field", U("\"\",\"\"\n"), [(1, ["", ""], null)]),
        ("a quoted field over two lines starts its record's line", U("h\n\"one\r\ntwo\",x\nnext\n"), [(1, ["h"], null), (2, ["one\r\ntwo", "x"], null), (4, ["next"], null)]),
        ("a quoted LF inside a field", U("\"a\nb\"\nc\n"), [(1, ["a\nb"], null), (3, ["c"], null)]),
        ("a byte order mark is dropped", [0xEF, 0xBB, 0xBF, .. U("phone,name\n1,2\n")], [(1, ["phone", "name"], null), (2, ["1", "2"], null)]),
        ("a byte order mark alone is an empty file", [0xEF, 0xBB, 0xBF], []),
        ("the start of a byte order mark that is not one is data", [0xEF, .. U("x\n")], [(1, ["\uFFFDx"], "UTF-8")]),
        ("multi-byte characters", U("王建国,上海浦东营业部\n"), [(1, ["王建国", "上海浦东营业部"], null)]),
        ("a quote inside an unquoted field", U("ab\"c,d\nok\n"), [(1, [], "quote inside an unquoted"), (2, ["ok"], null)]),
        ("text after a closing quote", U("\"ab\"c,d\nok\n"), [(1, [], "after its closing quote"), (2, ["ok"], null)]),
        ("an unclosed quote runs to the end of the file", U("ok\n\"abc,d\nmore\n"), [(1, ["ok"], null), (2, [], "not closed")]),
        ("invalid UTF-8", [.. U("a,"), 0xC3, 0x28, .. U("\nok\n")], [(1, [], "field 2 is not valid UTF-8"), (2, ["ok"], null)]),
        ("spaces are kept", U(" a , b \n"), [(1, [" a ", " b "], null)]),
    ];

    private static IEnumerable<TestCaseData> Cases() => _table.Select(c => new TestCaseData(c.Input, c.Expected).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Cases))]
    public void EveryWayOfSplittingTheBytesReadsTheSameRecords(byte[] input, (int Line, string[] Fields, string? Error)[] expected)
    {
        var whole = ReadInChunks(input, [input.Length]);
        AssertRecords(whole, expected);
        for (var split = 0; split <= input.Length; split++)
        {
            Assert.That(Describe(ReadInChunks(input, [split, input.Length - split])), Is.EqualTo(Describe(whole)), $"split at byte {split}");
        }

        Assert.That(Describe(ReadInChunks(input, [.. Enumerable.Repeat(1, input.Length)])), Is.EqualTo(Describe(whole)), "one byte at a time");
    }

    [Test]
    public void AFieldOverTheLimitMakesItsRecordMalformedAndTheNextIsRead()
    {
        var input = U(new string('x', CsvReader.MaxFieldBytes + 1) + ",y\nok\n");

        var records = ReadInChunks(input, [input.Length]);

        Assert.That(records, Has.Count.EqualTo(2));
        Assert.That(records[0].Error, Does.Contain("longer than"));
        Assert.That(records[1], Has.Property(nameof(CsvRecord.Fields)).EqualTo(new[] { "ok" }).And.Property(nameof(CsvRecord.Error)).Null);
    }

    [Test]
    public void ALineWithTooManyFieldsIsMalformed()
    {
        var input = U(string.Join(',', Enumerable.Repeat("a", CsvReader.MaxFields + 1)) + "\n");

        var records = ReadInChunks(input, [input.Length]);

        Assert.That(records.Single().Error, Does.Contain("more than"));
    }

    private static List<CsvRecord> ReadInChunks(byte[] input, int[] sizes)
    {
        var reader = new CsvReader();
        var records = new List<CsvRecord>();
        var offset = 0;
        foreach (var size in sizes)
        {
            reader.Read(input.AsSpan(offset, size), records);
            offset += size;
        }

        reader.Complete(records);
        return records;
    }

    private static void AssertRecords(List<CsvRecord> records, (int Line, string[] Fields, string? Error)[] expected)
    {
        var ordered = expected;
        Assert.That(records.Select(r => r.Line), Is.EqualTo(ordered.Select(e => e.Line)));
        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i].Error is { } error)
            {
                Assert.That(records[i].Error, Does.Contain(error), $"record on line {ordered[i].Line}");
                if (ordered[i].Fields.Length > 0)
                {
                    Assert.That(records[i].Fields, Is.EqualTo(ordered[i].Fields));
                }
            }
            else
            {
                Assert.That(records[i].Error, Is.Null, $"record on line {ordered[i].Line}");
                Assert.That(records[i].Fields, Is.EqualTo(ordered[i].Fields), $"record on line {ordered[i].Line}");
            }
        }
    }

    private static string Describe(List<CsvRecord> records) =>
        string.Join(" | ", records.Select(r => $"{r.Line}:{string.Join("¦", r.Fields)}:{r.Error}"));

    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);
}
