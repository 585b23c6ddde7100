using System.Buffers;
using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>The serializer: parse(write(parse(x))) equals parse(x), and parts written in wire form.</summary>
public sealed class SipWriterTests
{
    public static IEnumerable<TestCaseData> ValidMessages() =>
        TortureMessages.ValidFiles().Select(f => new TestCaseData(TortureMessages.Read(f)).SetName("Round trip of " + f))
            .Concat(SampleMessages.All().Select((m, i) => new TestCaseData(m).SetName("Round trip of sample " + i)));

    [TestCaseSource(nameof(ValidMessages))]
    public void WrittenMessageParsesBackToTheSameStructure(byte[] wire)
    {
        var first = SipParser.ParseDatagram(wire);
        Assert.That(first.Status, Is.EqualTo(SipParseStatus.Message), first.Error?.ToString());
        var written = SipWriter.ToBytes(first.Message!);

        // Content-Length is always written, so the stream parser frames it too.
        var second = SipParser.ParseStream(new ReadOnlySequence<byte>(written));
        Assert.That(second.Status, Is.EqualTo(SipParseStatus.Message), second.Error?.ToString() + "\n" + Encoding.UTF8.GetString(written));
        Assert.That(second.Consumed, Is.EqualTo(written.Length));
        Assert.That(MessageShape.Of(second.Message!), Is.EqualTo(MessageShape.Of(first.Message!)));
        Assert.That(SipWriter.ToBytes(second.Message!), Is.EqualTo(written), "writing is stable");
    }

    /// <summary>
    /// The wire form comes from a builder each thread keeps between messages: a long message after a short one, a
    /// short one after a long one (whose builder is not kept) and non-ASCII text each come out whole, exactly as
    /// the buffer writer's path writes them, with nothing left over from the message before.
    /// </summary>
    [Test]
    public void KeptBuildersWriteEachMessageWholeWithNothingOfTheOneBefore()
    {
        static SipRequest Message(string user, string header, string body)
        {
            var request = new SipRequest
            {
                Method = SipMethods.Message,
                RequestUri = new SipUri { Scheme = "sip", User = user, Host = "example.com" },
                From = new SipNameAddress { DisplayName = "王小明 " + user, Uri = new SipUri { Scheme = "sip", User = user, Host = "example.com" } },
                Body = Encoding.UTF8.GetBytes(body),
                ContentType = "text/plain;charset=utf-8",
            };
            request.Headers.Add("Subject", header);
            return request;
        }

        var messages = new[]
        {
            Message("a", "short", "一"),
            Message("b", new string('x', 40_000), "long head"),
            Message("c", "short again", ""),
            Message("d", "中文主题 " + new string('y', 3_000), "体"),
            Message("e", "last", "end"),
        };
        foreach (var message in messages)
        {
            var buffer = new ArrayBufferWriter<byte>();
            SipWriter.Write(message, buffer);
            var written = SipWriter.ToBytes(message);
            Assert.That(written, Is.EqualTo(buffer.WrittenSpan.ToArray()), message.RequestUri.User);
            var text = Encoding.UTF8.GetString(written);
            Assert.That(text, Does.StartWith($"MESSAGE sip:{message.RequestUri.User}@example.com SIP/2.0\r\n"));
            Assert.That(text, Does.Contain(message.From!.DisplayName!).And.Contain("Subject: " + message.Headers[0].Value + "\r\n"));
            Assert.That(text, Does.EndWith($"Content-Length: {message.Body.Length}\r\n\r\n" + Encoding.UTF8.GetString(message.Body.Span)));
        }
    }

    /// <summary>
    /// A character outside the BMP (an emoji in a caller's header) is two UTF-16 units; where the builder's first chunk
    /// ends between them, encoding chunk by chunk wrote two replacement characters. Both ways of writing, with the
    /// pair put astride each chunk end a fresh builder has (512 for the buffer writer, 2,048 for a thread's first
    /// ToBytes).
    /// </summary>
    [Test]
    public void AnEmojiAstrideTheBuildersChunkEndIsWrittenWhole()
    {
        const string Emoji = "\U0001F600";
        static SipRequest Message(int pad)
        {
            var request = new SipRequest { Method = SipMethods.Message, RequestUri = new SipUri { Scheme = "sip", User = "a", Host = "example.com" } };
            request.Headers.Add("Subject", new string('x', pad) + Emoji);
            return request;
        }

        var prefix = Encoding.UTF8.GetString(SipWriter.ToBytes(Message(0))).IndexOf("Subject: ", StringComparison.Ordinal) + "Subject: ".Length;
        foreach (var chunkEnd in new[] { 512, 2048 })
        {
            for (var pad = chunkEnd - prefix - 3; pad <= chunkEnd - prefix + 1; pad++)
            {
                var message = Message(pad);
                var buffer = new ArrayBufferWriter<byte>();
                SipWriter.Write(message, buffer);
                byte[] fresh = [];
                var thread = new Thread(() => fresh = SipWriter.ToBytes(message));
                thread.Start();
                thread.Join();
                foreach (var written in new[] { buffer.WrittenSpan.ToArray(), fresh })
                {
                    var text = Encoding.UTF8.GetString(written);
                    Assert.That(text, Does.Contain(new string('x', pad) + Emoji + "\r\n").And.Not.Contain("\uFFFD"), $"pad {pad}");
                }
            }
        }
    }

    [Test]
    public void WriterUsesCrlfAndWritesContentLengthFromTheBody()
    {
        var request = new SipRequest
        {
            Method = SipMethods.Message,
            RequestUri = new SipUri { Scheme = "sip", User = "bob", Host = "example.com" },
            Body = "hello"u8.ToArray(),
            ContentType = "text/plain",
        };
        request.Headers.Add(SipHeaderNames.ContentLength, "999");
        var text = Encoding.UTF8.GetString(SipWriter.ToBytes(request));
        Assert.That(text, Does.StartWith("MESSAGE sip:bob@example.com SIP/2.0\r\n"));
        Assert.That(text, Does.EndWith("Content-Length: 5\r\n\r\nhello"));
        Assert.That(text.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain('\n'));
    }

    [Test]
    public void UriPartsAreReEscaped()
    {
        var uri = new SipUri
        {
            Scheme = "sip",
            User = "I have spaces\0@",
            Password = "p:w",
            Host = "example.net",
            Port = 5070,
        };
        uri.Parameters.Add(new("na me", "v;alue"));
        uri.Parameters.Add(new("lr", null));
        uri.Headers.Add(new("Route", "<sip:x@y>"));
        var text = SipWriter.Write(uri);
        Assert.That(text, Is.EqualTo("sip:I%20have%20spaces%00%40:p%3Aw@example.net:5070;na%20me=v%3Balue;lr?Route=%3Csip:x%40y%3E"));
        Assert.That(uri.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void UnicodeUserIsEscapedAsUtf8()
    {
        Assert.That(SipWriter.Write(new SipUri { Scheme = "sip", User = "jürgen", Host = "h" }), Is.EqualTo("sip:j%C3%BCrgen@h"));
    }

    [TestCase("Alice", "Alice <sip:a@h>")]
    [TestCase("Alice Smith", "\"Alice Smith\" <sip:a@h>")]
    [TestCase("Emily Chen Quality", "\"Emily Chen Quality\" <sip:a@h>")]
    [TestCase("Alice.Smith-2", "Alice.Smith-2 <sip:a@h>")]
    [TestCase("陈 Chen", "\"陈 Chen\" <sip:a@h>")]
    [TestCase("Smith, Alice", "\"Smith, Alice\" <sip:a@h>")]
    [TestCase("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\" <sip:a@h>")]
    [TestCase("", "\"\" <sip:a@h>")]
    public void DisplayNamesAreQuotedWhenNeeded(string displayName, string expected)
    {
        var address = new SipNameAddress { DisplayName = displayName, Uri = new SipUri { Scheme = "sip", User = "a", Host = "h" } };
        Assert.That(SipWriter.Write(address), Is.EqualTo(expected));
    }

    [Test]
    public void NameAddressKeepsHeaderParametersOutsideTheBrackets()
    {
        var address = new SipNameAddress { Uri = new SipUri { Scheme = "sip", Host = "h" }, Tag = "abc" };
        address.Uri.Parameters.Add(new("lr", null));
        Assert.That(address.ToString(), Is.EqualTo("<sip:h;lr>;tag=abc"));
    }

    [Test]
    public void ViaIsWrittenWithProtocolTransportSentByAndParameters()
    {
        var via = new SipVia { Transport = "TCP", Host = "[2001:db8::1]", Port = 5061, Branch = "z9hG4bK1" };
        via.Parameters.Add(new("rport", null));
        Assert.That(via.ToString(), Is.EqualTo("SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK1;rport"));
    }

    [Test]
    public void OpaqueAndTelUrisAreWrittenBack()
    {
        Assert.That(SipWriter.Write(new SipUri { Scheme = "http", Opaque = "//www.example.com" }), Is.EqualTo("http://www.example.com"));
        var tel = new SipUri { Scheme = "tel", User = "+1-201-555-0123" };
        tel.Parameters.Add(new("phone-context", "example.com"));
        Assert.That(SipWriter.Write(tel), Is.EqualTo("tel:+1-201-555-0123;phone-context=example.com"));
    }

    [Test]
    public void LineBreaksInValuesCannotInjectHeaders()
    {
        var response = new SipResponse { StatusCode = 200, ReasonPhrase = "OK\r\nX-Evil: 1" };
        response.Headers.Add("Subject", "a\r\nX-Evil: 2");
        var text = Encoding.UTF8.GetString(SipWriter.ToBytes(response));
        Assert.That(text, Does.Not.Contain("\r\nX-Evil"));
    }

    [Test]
    public void WriteIntoBufferWriterMatchesToBytes()
    {
        var message = SipParser.ParseDatagram(SampleMessages.Invite).Message!;
        var buffer = new ArrayBufferWriter<byte>(16);
        SipWriter.Write(message, buffer);
        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(SipWriter.ToBytes(message)));
    }
}
