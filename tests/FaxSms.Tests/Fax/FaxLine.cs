using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// Two fax sessions on one line, frame by frame as the media clock would run them, each side's
/// audio carried to the other through G.711 (encoded and decoded), one frame late as RTP would be.
/// The line is cut (both sides hung up) after <c>cutAfterFrames</c>, or once <c>cut</c> says so.
/// <c>noise</c>, asked each frame with its index and the RMS of what <c>a</c> sent in it, adds white noise
/// of the peak amplitude it answers (0: none) on the way to <c>b</c>: a burst that wipes a stretch out, or
/// a hiss that rides on the signal (a line with a poor signal-to-noise ratio). <c>impair</c>, when given, then
/// changes each frame on its way to <c>b</c> in place (with the frame's index): clicks, for one.
/// </summary>
internal static class FaxLine
{
    public static (FaxResult A, FaxResult B, TimeSpan Took) Connect(FaxSession a, FaxSession b, G711Law law, TimeSpan limit, int cutAfterFrames = int.MaxValue, Func<bool>? cut = null, Func<int, double, int>? noise = null, Action<int, short[]>? impair = null)
    {
        var fromA = new short[FaxSession.FrameSamples];
        var fromB = new short[FaxSession.FrameSamples];
        var heardByA = new short[FaxSession.FrameSamples];
        var heardByB = new short[FaxSession.FrameSamples];
        var wire = new byte[FaxSession.FrameSamples];
        var frames = (int)(limit.TotalMilliseconds / 20);
        var frame = 0;
        var random = new Random(16);
        for (; frame < frames && frame < cutAfterFrames && !(a.Completed && b.Completed) && cut?.Invoke() != true; frame++)
        {
            a.Process(heardByA, fromA);
            b.Process(heardByB, fromB);
            G711.Encode(fromA, wire, law);
            G711.Decode(wire, heardByB, law);
            if (noise?.Invoke(frame, Rms(heardByB)) is > 0 and var peak)
            {
                for (var i = 0; i < heardByB.Length; i++)
                {
                    heardByB[i] = (short)Math.Clamp(heardByB[i] + random.Next(-peak, peak + 1), short.MinValue, short.MaxValue);
                }
            }

            impair?.Invoke(frame, heardByB);
            G711.Encode(fromB, wire, law);
            G711.Decode(wire, heardByA, law);
        }

        var took = TimeSpan.FromMilliseconds(frame * 20);
        return (a.Completed ? a.Result! : a.Hangup(), b.Completed ? b.Result! : b.Hangup(), took);
    }

    private static double Rms(short[] samples)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }
}
