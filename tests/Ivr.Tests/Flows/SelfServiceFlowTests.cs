using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>
/// The shipped 95500 flow's account services (main menu 2), driven like the host does with a fake
/// clock: the back office is played by the test, answering each request the session makes.
/// </summary>
public sealed class SelfServiceFlowTests
{
    private const string Account = "880000000001";
    private const string Pin = "135790";
    private static readonly IvrFlowSet _flows = IvrTestData.ShippedFlows();

    private static Dictionary<string, string> Values(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private static IvrEvent.Answered Answer(IvrAction.BackOfficeRequest request, string result, params (string Name, string Value)[] values) =>
        new(request.RequestId, result, Values(values), []);

    private static IvrAction.BackOfficeRequest RequestOf(SessionDriver call) => call.Last.OfType<IvrAction.BackOfficeRequest>().Single();

    private static SessionDriver AtAccountPrompt(string language = "1")
    {
        var call = new SessionDriver(_flows, "95500", new IvrCallContext("13800000001", "95500", "Diamond"));
        call.Start();
        call.Press(language);
        call.Press('2');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-account" }));
        return call;
    }

    private static SessionDriver Verified()
    {
        var call = AtAccountPrompt();
        call.Press(Account + "#");
        call.Press(Pin + "#");
        call.Send(Answer(RequestOf(call), "verified"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "account-menu" }));
        return call;
    }

    [Test]
    public void AccountAndPinAreCollectedMaskedAndSentOnlyInTheVerifyRequest()
    {
        var call = AtAccountPrompt();
        call.Press(Account + "#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-pin" }));
        call.Press(Pin + "#");

        var request = RequestOf(call);
        Assert.Multiple(() =>
        {
            Assert.That(request.Operation, Is.EqualTo("verifyPin"));
            Assert.That(request.Inputs, Is.EqualTo(Values(("account", Account), ("pin", Pin))));
            Assert.That(request.Step, Is.EqualTo($"95500.verify#{request.RequestId}"));
            Assert.That(request.Attempt, Is.EqualTo(1));
            Assert.That(request.ToString(), Does.Not.Contain(Pin).And.Not.Contain(Account));
            Assert.That(call.Session.Trace.Single(t => t.Node == "95500.account").Keys, Is.EqualTo(new string('*', 13)));
            Assert.That(call.Session.Trace.Single(t => t.Node == "95500.pin").Keys, Is.EqualTo("*******"));
            Assert.That(string.Join(" ", call.Session.Trace), Does.Not.Contain(Pin).And.Not.Contain(Account));
            Assert.That(string.Join(" ", call.Session.Path), Does.Not.Contain(Pin).And.Not.Contain(Account));
            Assert.That(call.Session.Variables.ToString(), Does.Not.Contain(Pin).And.Not.Contain(Account));
            Assert.That(call.Timer, Is.Not.Null, "the node gives up if the back office never answers");
        });
    }

    [Test]
    public void TheLanguageTheCallerChoseOnTheCallWinsOverTheRecordedOne()
    {
        var call = AtAccountPrompt("2");
        Assert.That(call.Session.Language, Is.EqualTo("en"));
        call.Press(Account + "#");
        call.Press(Pin + "#");
        call.Send(Answer(RequestOf(call), "verified", (SelfService.IvrOperations.ClientLanguage, "zh")));

        Assert.That((call.PlayingNames, call.Session.Language), Is.EqualTo((new[] { "account-menu" }, "en")));
        Assert.That(call.Session.Variables.Contains(SelfService.IvrOperations.ClientLanguage), Is.False, "not a flow variable");
    }

    [Test]
    public void ARecordedLanguageTheEngineDoesNotSpeakLeavesTheCallsChoice()
    {
        var call = AtAccountPrompt("2");
        call.Press(Account + "#");
        call.Press(Pin + "#");
        call.Send(Answer(RequestOf(call), "verified", (SelfService.IvrOperations.ClientLanguage, "fr")));

        Assert.That((call.PlayingNames, call.Session.Language), Is.EqualTo((new[] { "account-menu" }, "en")));
    }

    [Test]
    public void AWrongPinSaysHowManyTriesRemainAndAsksForTheAccountAgain()
    {
        var call = AtAccountPrompt();
        call.Press(Account + "#");
        call.Press("111111#");
        call.Send(Answer(RequestOf(call), "wrong", ("triesLeft", "2")));

        Assert.That(call.PlayingNames[0], Is.EqualTo("pin-wrong"));
        Assert.That(call.PlayingNames[^1], Is.EqualTo("tries-left"));
        Assert.That(call.PlayingNames, Has.Count.GreaterThan(2), "the number of tries is spoken");
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-account" }));

        call.Press(Account + "#");
        call.Press(Pin + "#");
        var second = RequestOf(call);
        Assert.That(second.Attempt, Is.EqualTo(2));
        call.Send(Answer(second, "verified"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "account-menu" }));
    }

    [TestCase("locked", "account-locked")]
    [TestCase("error", "service-unavailable")]
    [TestCase("nonsense", "service-unavailable")]
    public void ALockedAccountOrAFailedBackOfficeHasItsOwnPromptAndReturnsToTheMainMenu(string result, string prompt)
    {
        var call = AtAccountPrompt();
        call.Press(Account + "#");
        call.Press(Pin + "#");
        call.Send(Answer(RequestOf(call), result));

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { prompt }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
    }

    [Test]
    public void NoAnswerWithinTheTimeoutIsServiceUnavailableAndALateAnswerIsIgnored()
    {
        var call = AtAccountPrompt();
        call.Press(Account + "#");
        call.Press(Pin + "#");
        var request = RequestOf(call);
        call.FireTimer();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "service-unavailable" }));

        Assert.That(call.Send(Answer(request, "verified")), Is.Empty);
        Assert.That(call.Session.CurrentNode, Is.EqualTo("95500.unavailable"));
    }

    [TestCase("12345#", "invalid-entry")]
    [TestCase("1234567#", "invalid-entry")]
    [TestCase("12*456#", "invalid-entry")]
    public void APinOfTheWrongShapeIsRefusedBeforeTheBackOfficeAndCostsNoTry(string keys, string prompt)
    {
        var call = AtAccountPrompt();
        call.Press(Account + "#");
        call.Press(keys);

        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>(), Is.Empty);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { prompt, "enter-pin" }));
    }

    [Test]
    public void BalanceSpeaksCashAndAvailableFundsThenTheAccountMenu()
    {
        var call = Verified();
        call.Press('1');
        var request = RequestOf(call);
        Assert.That(request.Operation, Is.EqualTo("funds"));
        Assert.That(request.Inputs, Is.EqualTo(Values(("account", Account))));

        call.Send(Answer(request, "ok", ("cash", "100000.00"), ("available", "98000.50"), ("frozen", "1999.50")));
        Assert.That(call.PlayingNames[0], Is.EqualTo("balance-cash"));
        Assert.That(call.PlayingNames[^1], Is.EqualTo("yuan"));
        call.FinishPlayback();
        Assert.That(call.PlayingNames[0], Is.EqualTo("balance-available"));
        Assert.That(call.PlayingNames, Does.Contain("jiao"), "98,000.50 has five jiao");
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "account-menu" }));
    }

    [Test]
    public void PositionsAreReadOneByOneWithTheCodeDigitByDigitAndTheName()
    {
        var call = Verified();
        call.Press('2');
        var request = RequestOf(call);
        IReadOnlyList<IReadOnlyDictionary<string, string>> items =
        [
            Values(("itemCode", "600000"), ("itemName", "stock-600000"), ("itemQuantity", "1000"), ("itemValue", "10500.00")),
            Values(("itemCode", "000001"), ("itemName", "stock-000001"), ("itemQuantity", "200"), ("itemValue", "2360.00")),
        ];
        call.Send(new IvrEvent.Answered(request.RequestId, "ok", Values(("itemCount", "2")), items));

        var heard = new List<string>();
        while (call.PlayingNames is not ["account-menu"])
        {
            heard.AddRange(call.PlayingNames);
            call.FinishPlayback();
        }

        Assert.That(heard, Is.EqualTo(new[]
        {
            "stock-code", "digit-6", "digit-0", "digit-0", "digit-0", "digit-0", "digit-0", "stock-600000",
            "holding", "n-1", "n-1000", "shares", "market-value", "n-1", "n-10000", "zero", "n-5", "n-100", "yuan",
            "stock-code", "digit-0", "digit-0", "digit-0", "digit-0", "digit-0", "digit-1", "stock-000001",
            "holding", "n-2-liang", "n-100", "shares", "market-value", "n-2-liang", "n-1000", "n-3", "n-100", "n-6", "n-10", "yuan",
        }));
    }

    private static IReadOnlyDictionary<string, string> OrderItem(string id, string cancellable) => Values(
        ("itemKind", "item-order"), ("itemSide", "side-buy"), ("itemCode", "600000"), ("itemName", "stock-600000"), ("itemPrice", "10.20"),
        ("itemQuantity", "200"), ("itemStatus", cancellable == "yes" ? "status-open" : "status-filled"), ("itemOrderId", id), ("itemCancellable", cancellable));

    private static SessionDriver HearingOrders(params IReadOnlyDictionary<string, string>[] items)
    {
        var call = Verified();
        call.Press('3');
        call.Send(new IvrEvent.Answered(RequestOf(call).RequestId, "ok", Values(("itemCount", items.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))), items));
        while (call.PlayingNames is not (["order-cancel-offer"] or ["account-menu"]))
        {
            call.FinishPlayback();
        }

        return call;
    }

    [Test]
    public void AnOpenOrderIsOfferedForCancellingAndKey1CancelsThatOrderThenTheListGoesOn()
    {
        var call = HearingOrders(OrderItem("7", "yes"), OrderItem("8", "no"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "order-cancel-offer" }));

        call.Press('1');
        var request = RequestOf(call);
        Assert.That(request.Operation, Is.EqualTo("cancelOrder"));
        Assert.That(request.Inputs, Is.EqualTo(Values(("account", Account), ("itemOrderId", "7"))));
        call.Send(Answer(request, "cancelled"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "order-cancelled" }));
        call.FinishPlayback();

        // The filled order is read without an offer, then the account menu.
        var heard = new List<string>();
        while (call.PlayingNames is not ["account-menu"])
        {
            heard.AddRange(call.PlayingNames);
            call.FinishPlayback();
        }

        Assert.That(heard, Does.Contain("status-filled").And.Not.Contain("order-cancel-offer"));
    }

    [Test]
    public void NoKeyAtTheOfferGoesOnAndAnOrderThatCannotBeCancelledSaysSo()
    {
        var call = HearingOrders(OrderItem("7", "yes"));
        call.FinishPlayback();
        call.FireTimer();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "account-menu" }), "silence keeps the order");
        Assert.That(call.Last.OfType<IvrAction.BackOfficeRequest>(), Is.Empty);

        var again = HearingOrders(OrderItem("7", "yes"));
        again.Press('1');
        again.Send(Answer(RequestOf(again), "notOpen"));
        Assert.That(again.PlayingNames, Is.EqualTo(new[] { "order-not-cancellable" }));
    }

    [Test]
    public void NoPositionsAndNoOrdersHaveTheirOwnPrompts()
    {
        var call = Verified();
        call.Press('2');
        call.Send(new IvrEvent.Answered(RequestOf(call).RequestId, "none", Values(("itemCount", "0")), []));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "positions-none" }));
        call.FinishPlayback();
        call.Press('3');
        Assert.That(RequestOf(call).Operation, Is.EqualTo("todaysOrders"));
        call.Send(new IvrEvent.Answered(RequestOf(call).RequestId, "none", Values(("itemCount", "0")), []));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "orders-none" }));
    }

    /// <summary>Plays the read-back out (it cannot be skipped) until the confirmation asks for 1 or 2.</summary>
    private static SessionDriver ThroughReadBack(SessionDriver call)
    {
        while (call.PlayingNames is not ["confirm-or-cancel"])
        {
            Assert.That(call.PlayingNames, Is.Not.Empty, "the read-back plays before the confirmation");
            call.FinishPlayback();
        }

        return call;
    }

    private static SessionDriver AtOrderConfirm(string side = "1", string price = "10*5#", string quantity = "200#")
    {
        var call = Verified();
        call.Press('4');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "order-side" }));
        call.Press(side);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-stock-code" }));
        call.Press("600000#");
        var quote = RequestOf(call);
        Assert.That(quote.Inputs, Is.EqualTo(Values(("code", "600000"))));
        call.Send(Answer(quote, "known", ("quoteName", "stock-600000"), ("quoteLast", "10.50"), ("quotePreviousClose", "10.40")));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-price" }));
        call.Press(price);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-quantity" }));
        call.Press(quantity);
        return call;
    }

    [Test]
    public void AnOrderIsReadBackAndPlacedOnlyAfterTheConfirmKey()
    {
        var call = AtOrderConfirm();
        var heard = new List<string>();
        while (call.PlayingNames is not ["confirm-or-cancel"])
        {
            heard.AddRange(call.PlayingNames);
            call.FinishPlayback();
        }

        Assert.That(heard, Is.EqualTo(new[]
        {
            "readback-buy", "stock-code", "digit-6", "digit-0", "digit-0", "digit-0", "digit-0", "digit-0", "stock-600000",
            "price", "n-10", "yuan", "n-5", "jiao", "quantity", "n-2-liang", "n-100", "shares",
        }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Where(r => r.Operation == "placeOrder"), Is.Empty);

        call.Press('1');
        var place = RequestOf(call);
        Assert.That(place.Operation, Is.EqualTo("placeOrder"));
        Assert.That(place.Inputs, Is.EqualTo(Values(("account", Account), ("side", "1"), ("code", "600000"), ("price", "10.5"), ("quantity", "200"))));
        call.Send(Answer(place, "placed", ("orderId", "7")));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "order-placed", "n-7" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "account-menu" }));
    }

    [Test]
    public void KeysTypedAheadCannotSkipAnOrdersReadBackNorConfirmItUnheard()
    {
        // The whole order keyed in one go, the confirm key included: the read-back still plays whole (it is the
        // client's record of what they ordered), and the 1 typed before it confirms nothing.
        var call = AtOrderConfirm(quantity: "200#1");
        var heard = new List<string>();
        while (call.PlayingNames is not ["confirm-or-cancel"])
        {
            Assert.That(call.PlayingNames, Is.Not.Empty, "the read-back plays");
            heard.AddRange(call.PlayingNames);
            call.Press('1'); // keys during the read-back do not stop it
            call.FinishPlayback();
        }

        Assert.That(heard, Does.Contain("readback-buy").And.Contain("shares"));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Where(r => r.Operation == "placeOrder"), Is.Empty, "no order before the confirm key after the read-back");
        call.Press('1');
        Assert.That(RequestOf(call).Operation, Is.EqualTo("placeOrder"));
    }

    [Test]
    public void CancellingAtTheConfirmationPlacesNothing()
    {
        var call = ThroughReadBack(AtOrderConfirm());
        call.Press('2');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "cancelled" }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Select(r => r.Operation), Is.EqualTo(new[] { "verifyPin", "quote" }));
    }

    [TestCase("priceOutOfBand", "price-out-of-band", "enter-price")]
    [TestCase("invalidPrice", "invalid-price", "enter-price")]
    [TestCase("notWholeLot", "not-whole-lot", "enter-quantity")]
    [TestCase("insufficientFunds", "insufficient-funds", "account-menu")]
    [TestCase("insufficientPosition", "insufficient-position", "account-menu")]
    [TestCase("unknownCode", "unknown-stock-code", "enter-stock-code")]
    public void EachOrderRefusalHasItsOwnPromptAndLeadsToTheRightEntry(string refusal, string prompt, string then)
    {
        var call = ThroughReadBack(AtOrderConfirm());
        call.Press('1');
        call.Send(Answer(RequestOf(call), refusal));

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { prompt }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { then }));
    }

    [TestCase("6000001#")]
    [TestCase("60000#")]
    [TestCase("600*00#")]
    public void AStockCodeOfTheWrongShapeIsAnInvalidEntry(string keys)
    {
        var call = Verified();
        call.Press("41");
        call.Press(keys);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-entry", "enter-stock-code" }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Count(r => r.Operation == "quote"), Is.Zero);
    }

    [Test]
    public void AnUnknownStockCodeIsSaidAtOnceAndAskedAgain()
    {
        var call = Verified();
        call.Press("41");
        call.Press("999999#");
        call.Send(Answer(RequestOf(call), "unknownCode"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "unknown-stock-code" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-stock-code" }));
    }

    [TestCase("10**")]
    [TestCase("*#")]
    [TestCase("10*#")]
    public void APriceWithTwoDecimalPointsOrNoDigitsIsAnInvalidEntry(string keys)
    {
        var call = Verified();
        call.Press("41");
        call.Press("600000#");
        call.Send(Answer(RequestOf(call), "known", ("quoteName", "stock-600000")));
        call.Press(keys);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-entry", "enter-price" }));
    }

    [Test]
    public void KeysTypedAheadCannotSkipATransfersReadBackNorConfirmItUnheard()
    {
        var call = Verified();
        call.Press("515000*5#1");

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "readback-transfer-in", "n-5", "n-1000", "yuan", "n-5", "jiao" }), "the read-back plays, not skipped");
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Where(r => r.Operation == "transfer"), Is.Empty, "the 1 typed ahead confirmed nothing");
        call.Press('1');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "readback-transfer-in", "n-5", "n-1000", "yuan", "n-5", "jiao" }), "a key during the read-back does not stop it");
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "confirm-or-cancel" }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Where(r => r.Operation == "transfer"), Is.Empty);
        call.Press('1');
        Assert.That(RequestOf(call).Operation, Is.EqualTo("transfer"));
    }

    [Test]
    public void ABankTransferIsReadBackConfirmedAndDoneOnce()
    {
        var call = Verified();
        call.Press('5');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "transfer-direction" }));
        call.Press('1');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-amount" }));
        call.Press("5000*5#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "readback-transfer-in", "n-5", "n-1000", "yuan", "n-5", "jiao" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "confirm-or-cancel" }));
        call.Press('1');

        var transfer = RequestOf(call);
        Assert.That(transfer.Operation, Is.EqualTo("transfer"));
        Assert.That(transfer.Inputs, Is.EqualTo(Values(("account", Account), ("direction", "1"), ("amount", "5000.5"))));
        call.Send(Answer(transfer, "done", ("cash", "105000.50")));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "transfer-done" }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Count(r => r.Operation == "transfer"), Is.EqualTo(1));
    }

    [TestCase("overDailyLimit", "over-daily-limit")]
    [TestCase("insufficientFunds", "insufficient-funds")]
    [TestCase("insufficientBankBalance", "insufficient-bank-balance")]
    [TestCase("invalidAmount", "invalid-amount")]
    [TestCase("noBankLink", "no-bank-link")]
    public void EachTransferRefusalHasItsOwnPrompt(string refusal, string prompt)
    {
        var call = Verified();
        call.Press("52");
        call.Press("300000#");
        ThroughReadBack(call).Press('1');
        call.Send(Answer(RequestOf(call), refusal));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { prompt }));
    }

    [Test]
    public void AWrongTransferDirectionIsAnInvalidKey()
    {
        var call = Verified();
        call.Press("53");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-key" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "transfer-direction" }));
    }

    [Test]
    public void APinChangeSendsTheOldPinAndTheNewOneTwiceAndNeverShowsThem()
    {
        var call = Verified();
        call.Press('6');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-new-pin" }));
        call.Press("246801#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-new-pin-again" }));
        call.Press("246801#");

        var change = RequestOf(call);
        Assert.That(change.Operation, Is.EqualTo("changePin"));
        Assert.That(change.Inputs, Is.EqualTo(Values(("account", Account), ("pin", Pin), ("newPin", "246801"), ("newPinAgain", "246801"))));
        Assert.That(string.Join(" ", call.Session.Trace), Does.Not.Contain("246801"));
        call.Send(Answer(change, "sameAsOld"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "pin-same-as-old" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-new-pin" }));
    }

    [Test]
    public void ANewPinTooSimpleIsRefusedSayingWhyAndAskedAgain()
    {
        var call = Verified();
        call.Press('6');
        call.Press("123456#123456#");
        call.Send(Answer(RequestOf(call), "tooSimple"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "pin-too-simple" }), "not the six-digit rule: 123456 has six digits");
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-new-pin" }));
    }

    [Test]
    public void AnOldPinNoLongerRightAtAPinChangeSaysSoAndAsksForTheAccountAgain()
    {
        // The PIN was changed elsewhere since this call verified it: the back office answers wrongPin, which the
        // caller hears as a wrong PIN with the call's tries left (not "service unavailable"), and verifies again.
        var call = Verified();
        call.Press('6');
        call.Press("246801#246801#");
        call.Send(Answer(RequestOf(call), "wrongPin", ("triesLeft", "2")));

        Assert.That(call.PlayingNames[0], Is.EqualTo("pin-wrong"));
        Assert.That(call.PlayingNames[^1], Is.EqualTo("tries-left"));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-account" }));
    }

    [Test]
    public void AChangedPinEndsTheVerifiedPartAndTheMainMenuFollows()
    {
        var call = Verified();
        call.Press('6');
        call.Press("246801#246801#");
        call.Send(Answer(RequestOf(call), "changed"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "pin-changed" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
    }

    [Test]
    public void ZeroAfterVerificationQueuesForAnAgent()
    {
        var call = Verified();
        call.Press('0');
        call.FinishPlayback();
        Assert.That(call.Session.Outcome, Is.InstanceOf<IvrAction.QueueForAgent>());
    }

    [Test]
    public void EnglishCallersHearTheAccountServicesInEnglish()
    {
        var call = AtAccountPrompt(language: "2");
        Assert.That(call.Playing!.Prompts.Single().Language, Is.EqualTo("en"));
    }
}
