using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Tests.Say;

/// <summary>Renders prompt sequences as the text they speak, so tables read like the language.</summary>
internal static class SpokenText
{
    private static readonly Dictionary<string, string> _mandarin = new()
    {
        ["n-1"] = "一",
        ["n-2"] = "二",
        ["n-2-liang"] = "两",
        ["n-3"] = "三",
        ["n-4"] = "四",
        ["n-5"] = "五",
        ["n-6"] = "六",
        ["n-7"] = "七",
        ["n-8"] = "八",
        ["n-9"] = "九",
        ["n-10"] = "十",
        ["n-100"] = "百",
        ["n-1000"] = "千",
        ["n-10000"] = "万",
        ["n-100000000"] = "亿",
        ["zero"] = "零",
        ["digit-0"] = "零",
        ["digit-1"] = "幺",
        ["digit-2"] = "二",
        ["digit-3"] = "三",
        ["digit-4"] = "四",
        ["digit-5"] = "五",
        ["digit-6"] = "六",
        ["digit-7"] = "七",
        ["digit-8"] = "八",
        ["digit-9"] = "九",
        ["yuan"] = "元",
        ["jiao"] = "角",
        ["fen"] = "分",
        ["year"] = "年",
        ["month"] = "月",
        ["day"] = "日",
        ["queue-position-before"] = "您现在排在第",
        ["queue-position-after"] = "位，",
        ["queue-wait-before"] = "预计等待",
        ["queue-wait-after"] = "分钟",
        ["queue-wait-after-one"] = "分钟",
    };

    private static readonly string[] _ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] _months =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ];

    private static readonly string[] _ordinals =
    [
        "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
    ];

    private static readonly Dictionary<string, string> _english = BuildEnglish();

    public static string Of(IReadOnlyList<IvrPrompt> prompts)
    {
        if (prompts.Count == 0)
        {
            return string.Empty;
        }

        var language = prompts[0].Language;
        Assert.That(prompts.Select(p => p.Language), Is.All.EqualTo(language), "one language per reading");
        var map = language == IvrLanguages.English ? _english : _mandarin;
        var words = prompts.Select(p => map.TryGetValue(p.Name, out var text) ? text : $"<{p.Name}>");
        return string.Join(language == IvrLanguages.English ? " " : string.Empty, words);
    }

    private static Dictionary<string, string> BuildEnglish()
    {
        var map = new Dictionary<string, string>
        {
            ["hundred"] = "hundred",
            ["thousand"] = "thousand",
            ["million"] = "million",
            ["billion"] = "billion",
            ["oh"] = "oh",
            ["yuan"] = "yuan",
            ["fen"] = "fen",
            ["ord-30"] = "thirtieth",
            ["queue-position-before"] = "you are number",
            ["queue-position-after"] = "in the queue,",
            ["queue-wait-before"] = "the estimated wait is",
            ["queue-wait-after"] = "minutes",
            ["queue-wait-after-one"] = "minute",
        };
        for (var i = 0; i < _ones.Length; i++)
        {
            map["n-" + i] = _ones[i];
        }

        string[] tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
        for (var i = 0; i < tens.Length; i++)
        {
            map["n-" + ((i + 2) * 10)] = tens[i];
        }

        for (var i = 0; i < 10; i++)
        {
            map["digit-" + i] = _ones[i];
        }

        for (var i = 0; i < _months.Length; i++)
        {
            map["month-" + (i + 1)] = _months[i];
        }

        for (var i = 1; i < _ordinals.Length; i++)
        {
            map["ord-" + i] = _ordinals[i];
        }

        return map;
    }
}
