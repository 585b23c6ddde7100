using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Say;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>
/// The shipped 95500 flow's stock quotes (main menu 1, then 2), driven like the host does with a fake
/// clock; the test plays the quote port, answering the session's <c>quote</c> request.
/// </summary>
public sealed class QuoteFlowTests
{
    private static readonly IvrFlowSet _flows = IvrTestData.ShippedFlows();

    private static IvrAction.BackOfficeRequest RequestOf(SessionDriver call) => call.Last.OfType<IvrAction.BackOfficeRequest>().Single();

    private static IvrEvent.Answered Known(IvrAction.BackOfficeRequest request, string name, string last, string trend, string change) =>
        new(request.RequestId, "known", new Dictionary<string, string>
        {
            ["quoteName"] = name,
            ["quoteLast"] = last,
            ["quotePreviousClose"] = "0.00",
            ["quoteTrend"] = trend,
            ["quoteChange"] = change,
        }, []);

    private static SessionDriver AtCodePrompt(char language)
    {
        var call = new SessionDriver(_flows, "95500", new IvrCallContext("13900000000", "95500"));
        call.Start();
        call.Press(language);
        call.FinishPlayback();
        call.Press('1');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notices-menu" }));
        call.Press('2');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-stock-code" }));
        return call;
    }

    /// <summary>Plays every prompt to its end until the notices menu comes back; the prompts heard on the way.</summary>
    private static List<string> HearUntilNoticesMenu(SessionDriver call)
    {
        var heard = new List<string>();
        for (var i = 0; i < 10 && call.PlayingNames is not ["notices-menu"]; i++)
        {
            heard.AddRange(call.PlayingNames);
            call.FinishPlayback();
        }

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notices-menu" }), "back at the notices menu after the quote");
        return heard;
    }

    private static IEnumerable<string> Say(string language, IvrSayKind kind, string text)
    {
        Assert.That(IvrSay.TrySay(language, kind, text, out var prompts), Is.True);
        return prompts.Select(p => p.Name);
    }

    [TestCase('1', "zh")]
    [TestCase('2', "en")]
    public void AKnownCodeIsReadWithNameLastPriceAndARise(char key, string language)
    {
        var call = AtCodePrompt(key);
        call.Press("600000#");
        var request = RequestOf(call);
        Assert.That((request.Operation, request.Inputs["code"]), Is.EqualTo(("quote", "600000")));
        Assert.That(call.Timer, Is.Not.Null, "the node gives up if the quote port never answers");

        call.Send(Known(request, "stock-600000", "10.50", "up", "0.10"));
        var heard = HearUntilNoticesMenu(call);

        string[] expected =
        [
            "stock-code", .. Say(language, IvrSayKind.Digits, "600000"),
            "stock-600000",
            "quote-last", .. Say(language, IvrSayKind.Currency, "10.50"),
            "quote-up", .. Say(language, IvrSayKind.Currency, "0.10"),
        ];
        Assert.That(heard, Is.EqualTo(expected));
        Assert.That(call.Playing!.Prompts.All(p => p.Language == language), Is.True);
        Assert.That(call.Session.Path, Does.Contain("95500.quoteUp").And.Not.Contain("95500.quoteDown"));
    }

    [Test]
    public void AFallIsReadAsDownAndNoChangeAsUnchanged()
    {
        var call = AtCodePrompt('1');
        call.Press("600036#");
        call.Send(Known(RequestOf(call), "stock-600036", "35.20", "down", "0.40"));
        var down = HearUntilNoticesMenu(call);

        call.Press('2');
        call.Press("000001#");
        call.Send(Known(RequestOf(call), "stock-000001", "11.75", "flat", "0.00"));
        var flat = HearUntilNoticesMenu(call);

        Assert.That(down[^(1 + Say("zh", IvrSayKind.Currency, "0.40").Count())..], Is.EqualTo(new[] { "quote-down" }.Concat(Say("zh", IvrSayKind.Currency, "0.40"))));
        Assert.That(flat[^1], Is.EqualTo("quote-unchanged"));
        Assert.That(flat, Does.Not.Contain("quote-up").And.Not.Contain("quote-down"));
    }

    [Test]
    public void AnUnknownCodeHasItsOwnPromptAndAsksForTheCodeAgain()
    {
        var call = AtCodePrompt('1');
        call.Press("999999#");
        call.Send(new IvrEvent.Answered(RequestOf(call).RequestId, "unknownCode", new Dictionary<string, string>(), []));

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "unknown-stock-code" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-stock-code" }));
        call.Press("600000#");
        Assert.That(RequestOf(call).Inputs["code"], Is.EqualTo("600000"), "the caller may correct the code");
    }

    [TestCase("60000#")]
    [TestCase("6000001#")]
    [TestCase("600*00#")]
    public void ACodeOfTheWrongShapeIsRefusedBeforeThePortIsAsked(string keys)
    {
        var call = AtCodePrompt('1');
        call.Press(keys);

        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>(), Is.Empty);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-entry", "enter-stock-code" }));
    }

    [Test]
    public void AFailedOrSilentQuotePortSaysUnavailableAndReturnsToTheNoticesMenu()
    {
        var call = AtCodePrompt('1');
        call.Press("600000#");
        call.FireTimer();

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "service-unavailable" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notices-menu" }));
        call.Press('#');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
    }
}
