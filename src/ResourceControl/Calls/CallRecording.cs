using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A call's one recording: stereo, left what the agent hears (the caller), right what the caller hears
/// (the agent, and a barging supervisor). It starts when the call is first bridged to an agent (with
/// <c>Recording:FromAnswer</c>, when the IVR answers: the caller's received audio on the left); a
/// transfer or a completed consultation gives the left channel to the next agent's leg (or to nobody
/// while a transferred call waits); it is completed with its SHA-256 when the call ends. While the agent talks with a
/// consulted outside number (the caller on hold), the consultation is in the same file: left what the agent hears (the
/// consulted party), right what the consulted party hears (the agent), from <see cref="StartConsult"/> to
/// <see cref="EndConsult"/>, whose positions the record's <c>consult</c> leg names. A disk that
/// fails costs the recording, never the call: the failure is logged with both of the call's ids.
/// Runs in the call's loop, on the call it is given.
/// </summary>
internal sealed partial class CallRecording(Hosting.RecordingOptions options, ILogger logger)
{
    /// <summary>The call is bridged to <paramref name="agent"/>: the recording starts, or goes on with this agent on the left.</summary>
    public void Attach(ActiveCall call, RtpSession agent)
    {
        var path = Path.Combine(options.Directory, call.Id + ".wav");
        try
        {
            if (call.Recorder is { } recorder)
            {
                recorder.ReplaceLeft(agent);
                recorder.ReplaceRight(call.Media);
            }
            else
            {
                call.Records(() => StereoRecorder.Start(path, agent, call.Media));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, e, call.Id, call.CallId, path);
        }
    }

    /// <summary>Whether a call's recording starts when its IVR flow starts (<c>Recording:FromAnswer</c>), creating its file there.</summary>
    public bool StartsAtAnswer => options.FromAnswer;

    /// <summary>
    /// The call was answered for its IVR flow and <c>Recording:FromAnswer</c> is on: the recording
    /// starts now, the caller's received audio on the left, what they hear on the right.
    /// </summary>
    public void StartFromAnswer(ActiveCall call)
    {
        if (!options.FromAnswer || call.Recorder is not null)
        {
            return;
        }

        var path = Path.Combine(options.Directory, call.Id + ".wav");
        try
        {
            call.Records(() => StereoRecorder.StartFromAnswer(path, call.Media));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, e, call.Id, call.CallId, path);
        }
    }

    /// <summary>The call's agent has left (a transfer on its way): the left channel is silent until the next one.</summary>
    public static void Detach(ActiveCall call)
    {
        call.Recorder?.ReplaceLeft(null);
        call.Recorder?.ReplaceRight(call.Media);
    }

    /// <summary>
    /// The consulted party answered and talks with the call's agent, whose leg stays on the left (it sends the consulted
    /// party's voice now): the right channel is <paramref name="consulted"/>'s (what it sends: the agent's voice) instead of
    /// the caller's hold music. The position in the recording, in seconds (null: the call is not recorded).
    /// </summary>
    public static double? StartConsult(ActiveCall call, RtpSession consulted)
    {
        if (call.Recorder is not { } recorder)
        {
            return null;
        }

        recorder.ReplaceRight(consulted);
        return Math.Round(recorder.Seconds, 2);
    }

    /// <summary>The consultation is over: the right channel is the caller's again; the position in seconds (null: not recorded).</summary>
    public static double? EndConsult(ActiveCall call)
    {
        if (call.Recorder is not { } recorder)
        {
            return null;
        }

        recorder.ReplaceRight(call.Media);
        return Math.Round(recorder.Seconds, 2);
    }

    /// <summary>The call has ended: the file is closed; its path and SHA-256 (null when it could not be completed).</summary>
    public async Task<(string? Path, string? Sha256)> CompleteAsync(ActiveCall call)
    {
        if (call.Recorder is not { } recorder)
        {
            return (null, null);
        }

        try
        {
            var (sha, _) = await recorder.CompleteAsync();
            return (recorder.Path, sha);
        }
        catch (IOException e)
        {
            LogFailed(logger, e, call.Id, call.CallId, recorder.Path);
            return (recorder.Path, null);
        }
    }

    [LoggerMessage(2115, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): recording {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string callId, string sipCallId, string path);
}
