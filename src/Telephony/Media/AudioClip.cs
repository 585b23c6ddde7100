using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media;

/// <summary>
/// A piece of 8 kHz audio ready to send: encoded once in both G.711 laws, so playing it to any
/// number of calls costs a copy per frame and no conversion.
/// </summary>
public sealed class AudioClip
{
    public AudioClip(string name, ReadOnlySpan<short> pcm)
    {
        Name = name;
        MuLaw = new byte[pcm.Length];
        ALaw = new byte[pcm.Length];
        G711.Encode(pcm, MuLaw, G711Law.MuLaw);
        G711.Encode(pcm, ALaw, G711Law.ALaw);
    }

    public string Name { get; }

    public byte[] MuLaw { get; }

    public byte[] ALaw { get; }

    public int Samples => MuLaw.Length;

    public TimeSpan Duration => TimeSpan.FromSeconds(Samples / 8000.0);

    public ReadOnlySpan<byte> Encoded(G711Law law) => law == G711Law.MuLaw ? MuLaw : ALaw;
}
