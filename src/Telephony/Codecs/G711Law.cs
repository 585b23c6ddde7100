namespace CallCenter.Telephony.Codecs;

/// <summary>The two companding laws of ITU-T G.711.</summary>
public enum G711Law
{
    /// <summary>µ-law (PCMU, RTP payload type 0; North America and Japan).</summary>
    MuLaw,

    /// <summary>A-law (PCMA, RTP payload type 8; Europe and most of the world).</summary>
    ALaw,
}
