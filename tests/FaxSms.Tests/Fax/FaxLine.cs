using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// Two fax sessions on one line, frame by frame as the media clock would run them, each side's
/// audio carried to the other through G.711 (encoded and decoded), one frame late as RTP would be.
/// The line is cut (both sides hung up) after <c>cutAfterFrames</c>, or once <c>cut</c> says so.
/// </summary>
internal static class FaxLine
{
    public static (FaxResult A, FaxResult B, TimeSpan Took) Connect(FaxSession a, FaxSession b, G711Law law, TimeSpan limit, int cutAfterFrames = int.MaxValue, Func<bool>? cut = null)
    {
        var fromA = new short[FaxSession.FrameSamples];
        var fromB = new short[FaxSession.FrameSamples];
        var heardByA = new short[FaxSession.FrameSamples];
        var heardByB = new short[FaxSession.FrameSamples];
        var wire = new byte[FaxSession.FrameSamples];
        var frames = (int)(limit.TotalMilliseconds / 20);
        var frame = 0;
        for (; frame < frames && frame < cutAfterFrames && !(a.Completed && b.Completed) && cut?.Invoke() != true; frame++)
        {
            a.Process(heardByA, fromA);
            b.Process(heardByB, fromB);
            G711.Encode(fromA, wire, law);
            G711.Decode(wire, heardByB, law);
            G711.Encode(fromB, wire, law);
            G711.Decode(wire, heardByA, law);
        }

        var took = TimeSpan.FromMilliseconds(frame * 20);
        return (a.Completed ? a.Result! : a.Hangup(), b.Completed ? b.Result! : b.Hangup(), took);
    }
}
