namespace CallCenter.Telephony.Tests;

/// <summary>
/// One random edit of a valid message for the fuzz tests: replace (kind 0), insert (1) or delete
/// (2) a byte, or truncate (3 and above) at <see cref="Position"/> modulo the current length.
/// </summary>
internal readonly record struct ByteEdit(int Kind, int Position, byte Value)
{
    public static byte[] Apply(byte[] seed, IEnumerable<ByteEdit> edits)
    {
        var bytes = new List<byte>(seed);
        foreach (var e in edits)
        {
            if (bytes.Count == 0)
            {
                break;
            }

            var at = e.Position % bytes.Count;
            switch (e.Kind)
            {
                case 0:
                    bytes[at] = e.Value;
                    break;
                case 1:
                    bytes.Insert(at, e.Value);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
