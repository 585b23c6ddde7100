using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>
/// The shipped 95500 flow's documents menu (main menu 3), driven with a fake clock; the test plays
/// the host, answering each request. Only the channels the platform says it can send on are offered
/// and accepted; a statement needs the account and PIN first; the caller hears "will be sent".
/// </summary>
public sealed class DocumentFlowTests
{
    private static readonly IvrFlowSet _flows = IvrTestData.ShippedFlows();

    private static IvrAction.BackOfficeRequest RequestOf(SessionDriver call) => call.Last.OfType<IvrAction.BackOfficeRequest>().Single();

    private static IvrEvent.Answered Answer(IvrAction.BackOfficeRequest request, string result, params (string Name, string Value)[] values) =>
        new(request.RequestId, result, values.ToDictionary(v => v.Name, v => v.Value), []);

    private static SessionDriver AtDocuments(string language = "1")
    {
        var call = new SessionDriver(_flows, "95500", new IvrCallContext("13800000001", "95500", "Diamond"));
        call.Start();
        call.Press(language);
        call.Press('3');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "documents-menu" }));
        return call;
    }

    /// <summary>Plays the offers one after another; returns what was heard until the choice prompt.</summary>
    private static List<string> HearOffers(SessionDriver call)
    {
        var heard = new List<string>();
        for (var i = 0; i < 5 && call.PlayingNames is [var name] && name != "document-choose"; i++)
        {
            heard.Add(name);
            call.FinishPlayback();
        }

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "document-choose" }));
        return heard;
    }

    [Test]
    public void OnlyTheChannelsThePlatformCanSendOnAreOffered()
    {
        var call = AtDocuments();
        call.Press('1');
        var request = RequestOf(call);
        Assert.That(request.Operation, Is.EqualTo("documentChannels"));
        Assert.That(request.Inputs["document"], Is.EqualTo("1"));
        call.Send(Answer(request, "ok", ("smsOffered", "no"), ("emailOffered", "yes"), ("faxOffered", "yes")));

        Assert.That(HearOffers(call), Is.EqualTo(new[] { "document-by-email", "document-by-fax" }));

        // 1 (SMS) was not offered: it is refused and the offers are heard again, nothing is asked.
        call.Press('1');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-key" }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Count(r => r.Operation == "sendDocument"), Is.Zero);
    }

    [Test]
    public void AResearchNoteByEmailIsRequestedInTheCallersLanguageAndTheCallerHearsItWillBeSent()
    {
        var call = AtDocuments("2");
        call.Press('1');
        call.Send(Answer(RequestOf(call), "ok", ("smsOffered", "yes"), ("emailOffered", "yes"), ("faxOffered", "no")));
        Assert.That(HearOffers(call), Is.EqualTo(new[] { "document-by-sms", "document-by-email" }));
        call.Press('2');

        var send = RequestOf(call);
        Assert.Multiple(() =>
        {
            Assert.That(send.Operation, Is.EqualTo("sendDocument"));
            Assert.That(send.Inputs["document"], Is.EqualTo("1"));
            Assert.That(send.Inputs["channel"], Is.EqualTo("2"));
            Assert.That(send.Inputs["language"], Is.EqualTo("en"));
        });
        call.Send(Answer(send, "queued", ("documentId", "msg-1")));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "document-will-be-sent-email" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
    }

    [Test]
    public void NoContactOnFileSaysSoAndOffersTheChannelsAgain()
    {
        var call = AtDocuments();
        call.Press('1');
        call.Send(Answer(RequestOf(call), "ok", ("smsOffered", "yes"), ("emailOffered", "no"), ("faxOffered", "no")));
        HearOffers(call);
        call.Press('1');
        call.Send(Answer(RequestOf(call), "noContact"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "document-no-contact" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "document-by-sms" }));
    }

    [Test]
    public void AStatementAsksForTheAccountAndPinThenOffersTheChannels()
    {
        var call = AtDocuments();
        call.Press('2');
        call.Send(Answer(RequestOf(call), "needsPin"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-account" }));
        call.Press("880000000001#");
        call.Press("135790#");
        var verify = RequestOf(call);
        Assert.That(verify.Operation, Is.EqualTo("verifyPin"));
        call.Send(Answer(verify, "verified"));

        var channels = RequestOf(call);
        Assert.That(channels.Operation, Is.EqualTo("documentChannels"));
        Assert.That(channels.Inputs["document"], Is.EqualTo("2"));
        call.Send(Answer(channels, "ok", ("smsOffered", "yes"), ("emailOffered", "no"), ("faxOffered", "no")));
        Assert.That(HearOffers(call), Is.EqualTo(new[] { "document-by-sms" }));
        Assert.That(string.Join(" ", call.Session.Trace), Does.Not.Contain("135790").And.Not.Contain("880000000001"));
    }

    [Test]
    public void AFaxNumberIsReadBackAndSentOnlyAfterTheConfirmKey()
    {
        var call = AtDocuments();
        call.Press('1');
        call.Send(Answer(RequestOf(call), "ok", ("smsOffered", "no"), ("emailOffered", "no"), ("faxOffered", "yes")));
        HearOffers(call);
        call.Press('3');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-fax-number" }));
        call.Press("95580#");
        Assert.That(call.PlayingNames[0], Is.EqualTo("fax-number-is"));
        Assert.That(call.PlayingNames.Skip(1), Is.EqualTo(new[] { "digit-9", "digit-5", "digit-5", "digit-8", "digit-0" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "confirm-or-reenter" }));
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Count(r => r.Operation == "faxDocument"), Is.Zero);

        call.Press('2');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-fax-number" }), "2 keys it again");
        call.Press("95580#");
        call.FinishPlayback();
        call.Press('1');
        var fax = RequestOf(call);
        Assert.That(fax.Operation, Is.EqualTo("faxDocument"));
        Assert.That(fax.Inputs["faxNumber"], Is.EqualTo("95580"));
        call.Send(Answer(fax, "numberRefused"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "fax-number-refused" }));
    }

    [Test]
    public void WithAFaxNumberOnFileTheCallerChoosesItOrKeysAnother()
    {
        var call = AtDocuments();
        call.Press('1');
        call.Send(Answer(RequestOf(call), "ok", ("smsOffered", "no"), ("emailOffered", "no"), ("faxOffered", "yes"), ("faxOnFile", "yes")));
        HearOffers(call);
        call.Press('3');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "fax-on-file-or-keyed" }));
        call.Press('1');
        var fax = RequestOf(call);
        Assert.That(fax.Operation, Is.EqualTo("faxDocumentOnFile"));
        Assert.That(fax.Inputs["document"], Is.EqualTo("1"));
        call.Send(Answer(fax, "queued", ("documentId", "fax-1")));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "document-will-be-sent-fax-on-file" }));

        // 2 keys another number instead, as without one on file.
        var other = AtDocuments();
        other.Press('1');
        other.Send(Answer(RequestOf(other), "ok", ("smsOffered", "no"), ("emailOffered", "no"), ("faxOffered", "yes"), ("faxOnFile", "yes")));
        HearOffers(other);
        other.Press('3');
        other.Press('2');
        Assert.That(other.PlayingNames, Is.EqualTo(new[] { "enter-fax-number" }));
        Assert.That(other.All.OfType<IvrAction.BackOfficeRequest>().Count(r => r.Operation.StartsWith("faxDocument", StringComparison.Ordinal)), Is.Zero);
    }

    [Test]
    public void AFaxNumberTooShortOrWithAStarIsRefusedBeforeAnythingIsAsked()
    {
        var call = AtDocuments();
        call.Press('1');
        call.Send(Answer(RequestOf(call), "ok", ("smsOffered", "no"), ("emailOffered", "no"), ("faxOffered", "yes")));
        HearOffers(call);
        call.Press('3');
        call.Press("12#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-entry", "enter-fax-number" }));
        call.Press("95*80#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }), "a second bad entry gives up to the main menu");
        Assert.That(call.All.OfType<IvrAction.BackOfficeRequest>().Count(r => r.Operation == "faxDocument"), Is.Zero);
    }
}
