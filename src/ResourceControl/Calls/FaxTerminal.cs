using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A fax session on a call's media, driven by the media clock: each tick reads the 20 ms the leg
/// received (its <c>Forward</c> buffer; a frame that has not arrived is filled in by spandsp), runs
/// T.30 one frame, and writes what to send into the buffer the leg's player plays. When T.30 ends,
/// or the call has run <see cref="FaxOptions.MaxCallSeconds"/>, <paramref name="ended"/> is called
/// once (it only posts to the call's mailbox). Runs on the clock's thread; never blocks.
/// </summary>
internal sealed class FaxTerminal(FaxSession session, LiveAudio heard, LiveAudio toSend, Func<G711Law> law, TimeSpan limit, Action<FaxResult> ended) : IMediaClockTarget
{
    private readonly byte[] _in = new byte[FaxSession.FrameSamples];
    private readonly byte[] _out = new byte[FaxSession.FrameSamples];
    private readonly short[] _heard = new short[FaxSession.FrameSamples];
    private readonly short[] _send = new short[FaxSession.FrameSamples];
    private int _reported;

    public FaxSession Session => session;

    public void OnTick(long tick)
    {
        if (Volatile.Read(ref _reported) != 0)
        {
            return;
        }

        var codec = law();
        var got = heard.TryRead(_in, codec);
        if (got)
        {
            G711.Decode(_in, _heard, codec);
        }

        session.Process(got ? _heard : ReadOnlySpan<short>.Empty, _send);
        G711.Encode(_send, _out, codec);
        toSend.Write(_out, codec);
        if (session.Result is { } result)
        {
            Report(result);
        }
        else if (session.Elapsed > limit)
        {
            Report(session.Hangup());
        }
    }

    private void Report(FaxResult result)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            ended(result);
        }
    }
}
