using System.Buffers;
using System.Text;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// The answer to a request the parser rejected. RFC 3261 8.2.6.2 asks for the request's Via,
/// From, To, Call-ID and CSeq in the response; when some of them are the malformed part, they
/// cannot be rebuilt from a parsed message, so their header lines are copied byte for byte
/// (folded continuation lines included). Whatever the request lacks, the response lacks too.
/// </summary>
internal static class SipRejection
{
    private static readonly string[] _copied = ["via", "v", "from", "f", "to", "t", "call-id", "i", "cseq"];

    public static byte[] Build(ReadOnlySpan<byte> request, int statusCode, string reason, string warning)
    {
        var output = new ArrayBufferWriter<byte>(512);
        Append(output, $"SIP/2.0 {statusCode} {reason}\r\n");

        // Skip the request line, then walk the header lines up to the empty line.
        var rest = request[(request.IndexOf((byte)'\n') + 1)..];
        var copying = false;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            var content = line.TrimEnd((byte)'\r');
            if (content.IsEmpty)
            {
                break;
            }

            // RFC 3261 7.3.1: a line starting with whitespace continues the previous header.
            if (content[0] is (byte)' ' or (byte)'\t')
            {
                if (copying)
                {
                    output.Write(content);
                    Append(output, "\r\n");
                }

                continue;
            }

            var colon = content.IndexOf((byte)':');
            copying = colon > 0 && IsCopied(content[..colon]);
            if (copying)
            {
                output.Write(content);
                Append(output, "\r\n");
            }
        }

        Append(output, $"Warning: 399 callcenter \"{warning}\"\r\nContent-Length: 0\r\n\r\n");
        return output.WrittenSpan.ToArray();
    }

    private static bool IsCopied(ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[16];
        name = name.TrimEnd((byte)' ').TrimEnd((byte)'\t');
        if (name.Length > chars.Length)
        {
            return false;
        }

        var length = Encoding.ASCII.GetChars(name, chars);
        foreach (var candidate in _copied)
        {
            if (chars[..length].Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void Append(ArrayBufferWriter<byte> output, string text) => Encoding.UTF8.GetBytes(text, output);
}
