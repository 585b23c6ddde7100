using System.Buffers.Binary;
using System.Net;
using System.Text;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.Telephony.Tests.WebRtc;

public sealed class IceLiteResponderTests
{
    private static readonly IPEndPoint _browser = new(IPAddress.Parse("192.168.1.20"), 51000);
    private static readonly IPEndPoint _otherPath = new(IPAddress.Parse("10.8.0.20"), 52000);

    private static IceLiteResponder Responder(string? remoteUfrag = "h6vY") => new(new IceCredentials("evtj", StunMessageTests.Password), remoteUfrag);

    /// <summary>A Binding request as a browser sends it: USERNAME, PRIORITY, ICE-CONTROLLING, maybe USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT.</summary>
    internal static byte[] Check(string username, string password, bool useCandidate = false, bool fingerprint = true)
    {
        var user = Encoding.UTF8.GetBytes(username);
        var body = new List<byte>();
        void Attribute(ushort type, byte[] value)
        {
            var header = new byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(header, type);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)value.Length);
            body.AddRange(header);
            body.AddRange(value);
            body.AddRange(new byte[((value.Length + 3) & ~3) - value.Length]);
        }

        Attribute(StunMessage.Username, user);
        Attribute(StunMessage.Priority, [0x6e, 0, 1, 0xff]);
        Attribute(StunMessage.IceControlling, new byte[8]);
        if (useCandidate)
        {
            Attribute(StunMessage.UseCandidate, []);
        }

        var head = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(head, StunMessage.BindingRequest);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), StunMessage.MagicCookie);
        Random.Shared.NextBytes(head.AsSpan(8, 12));
        var message = head.Concat(body).ToArray();
        var hmac = new byte[20];
        StunMessage.ComputeIntegrity(message, Encoding.UTF8.GetBytes(password), hmac);
        body.Clear();
        Attribute(StunMessage.MessageIntegrity, hmac);
        message = [.. message, .. body];
        if (fingerprint)
        {
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, StunMessage.ComputeFingerprint(message));
            body.Clear();
            Attribute(StunMessage.Fingerprint, crc);
            message = [.. message, .. body];
        }

        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(message.Length - 20));
        return message;
    }

    [Test]
    public void TheRfcSampleCheckIsAnsweredSignedAndItsSourceBecomesTheMediaDestination()
    {
        var responder = Responder();

        var outcome = responder.Handle(StunMessageTests.SampleRequest, _browser);

        Assert.That(outcome.Refusal, Is.Null);
        Assert.That(outcome.SelectedChanged, Is.True);
        Assert.That(responder.Selected, Is.EqualTo(_browser));
        var response = StunMessage.TryParse(outcome.Response, out _)!;
        Assert.That(response.Type, Is.EqualTo(StunMessage.BindingSuccess));
        Assert.That(response.TransactionId, Is.EqualTo(StunMessageTests.SampleRequest.AsSpan(8, 12).ToArray()));
        Assert.That(response.VerifyIntegrity(outcome.Response, Encoding.UTF8.GetBytes(StunMessageTests.Password)), Is.True);
        Assert.That(response.VerifyFingerprint(outcome.Response), Is.True);
    }

    [Test]
    public void ACheckFromSomeoneWithoutOurPasswordIsRefusedAndSteersNothing()
    {
        var responder = Responder();

        var guessed = responder.Handle(Check("evtj:h6vY", "not-the-password-at-all"), _browser);
        var notOurs = responder.Handle(Check("zzzz:h6vY", StunMessageTests.Password), _browser);
        var otherBrowser = responder.Handle(Check("evtj:abcd", StunMessageTests.Password), _browser);
        var noFingerprint = responder.Handle(Check("evtj:h6vY", StunMessageTests.Password, fingerprint: false), _browser);
        var garbage = responder.Handle(Encoding.ASCII.GetBytes("hello hello hello hello"), _browser);

        Assert.That(guessed.Refusal, Does.Contain("MESSAGE-INTEGRITY"));
        Assert.That(notOurs.Refusal, Does.Contain("USERNAME"));
        Assert.That(otherBrowser.Refusal, Does.Contain("USERNAME"));
        Assert.That(noFingerprint.Refusal, Does.Contain("FINGERPRINT"));
        Assert.That(garbage.Refusal, Is.Not.Null);
        Assert.That(new[] { guessed, notOurs, otherBrowser, noFingerprint, garbage }.All(o => o.Response is null), Is.True, "nothing is answered");
        Assert.That(responder.Selected, Is.Null);
        Assert.That(responder.ChecksRefused, Is.EqualTo(5));
    }

    [Test]
    public void ALaterPathMovesTheMediaOnlyWhenTheBrowserNominatesIt()
    {
        var responder = Responder();
        responder.Handle(Check("evtj:h6vY", StunMessageTests.Password), _browser);

        var plain = responder.Handle(Check("evtj:h6vY", StunMessageTests.Password), _otherPath);
        Assert.That(plain.Response, Is.Not.Null, "every valid check is answered");
        Assert.That(responder.Selected, Is.EqualTo(_browser));

        var nominated = responder.Handle(Check("evtj:h6vY", StunMessageTests.Password, useCandidate: true), _otherPath);
        Assert.That(nominated.SelectedChanged, Is.True);
        Assert.That(responder.Selected, Is.EqualTo(_otherPath));
    }

    [Test]
    public void ACapturedNominatingCheckReplayedFromAnotherAddressIsRefusedAndMovesNothing()
    {
        var responder = Responder();
        var nominating = Check("evtj:h6vY", StunMessageTests.Password, useCandidate: true);
        responder.Handle(nominating, _browser);

        var retransmitted = responder.Handle(nominating, _browser);
        var replayed = responder.Handle(nominating, _otherPath);

        Assert.That(retransmitted.Response, Is.Not.Null, "the browser's own retransmission is answered again");
        Assert.That(replayed.Response, Is.Null);
        Assert.That(replayed.Refusal, Does.Contain("replayed"));
        Assert.That(replayed.SelectedChanged, Is.False);
        Assert.That(responder.Selected, Is.EqualTo(_browser), "the media stays with the browser");
        Assert.That(responder.ChecksRefused, Is.EqualTo(1));

        // The browser's own fresh check from the new path still moves it.
        var fresh = responder.Handle(Check("evtj:h6vY", StunMessageTests.Password, useCandidate: true), _otherPath);
        Assert.That(fresh.SelectedChanged, Is.True);
        Assert.That(responder.Selected, Is.EqualTo(_otherPath));
    }

    [Test]
    public void RememberedChecksAreBoundedSoALongCallDoesNotGrowWithoutEnd()
    {
        var responder = Responder();
        var first = Check("evtj:h6vY", StunMessageTests.Password);
        responder.Handle(first, _browser);
        for (var i = 0; i < IceLiteResponder.RememberedChecks; i++)
        {
            responder.Handle(Check("evtj:h6vY", StunMessageTests.Password), _browser);
        }

        // The oldest id has been forgotten: bounded memory, at the price of hours-old replays.
        Assert.That(responder.Handle(first, _otherPath).Refusal, Is.Null);
    }

    [Test]
    public void FreshCredentialsAreLongEnoughAndMadeOfIceCharacters()
    {
        var credentials = IceCredentials.Create();

        Assert.That(credentials.Ufrag, Has.Length.GreaterThanOrEqualTo(4).And.Match("^[A-Za-z0-9+/]+$"));
        Assert.That(credentials.Password, Has.Length.GreaterThanOrEqualTo(22).And.Match("^[A-Za-z0-9+/]+$"));
        Assert.That(credentials.ToString(), Does.Not.Contain(credentials.Password));
        Assert.That(IceCredentials.Create().Password, Is.Not.EqualTo(credentials.Password));
    }
}
