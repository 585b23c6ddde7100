namespace CallCenter.Telephony.Rtp;

/// <summary>What a media session tells its call. Called from the receive loop or the thread pool, never from the media clock.</summary>
public interface IRtpSessionEvents
{
    /// <summary>A key the caller pressed: an RFC 4733 event or an in-band tone, once per press.</summary>
    void OnDigit(RtpSession session, char digit);

    /// <summary>A playback started with <see cref="Media.MediaPlayer.Play"/> has played to its end.</summary>
    void OnPlaybackFinished(RtpSession session, long playbackId);

    /// <summary>A calling fax's CNG tone was heard (only while <see cref="RtpSession.DetectFaxTone"/> is on), once.</summary>
    void OnFaxTone(RtpSession session)
    {
    }
}
