namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>Character classes of RFC 3261 25.1 as lookup tables (ASCII only; anything above 0x7F is in none).</summary>
internal static class SipCharClasses
{
    [Flags]
    private enum Cls : ushort
    {
        None = 0,
        Token = 1,          // alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
        Unreserved = 2,     // alphanum / mark
        UserUnreserved = 4, // "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
        PasswordExtra = 8,  // "&" / "=" / "+" / "$" / ","
        ParamUnreserved = 16, // "[" / "]" / "/" / ":" / "&" / "+" / "$"
        HnvUnreserved = 32, // "[" / "]" / "/" / "?" / ":" / "+" / "$"
        Word = 64,          // token chars plus ( ) < > : \ DQUOTE / [ ] ? { }
        Host = 128,         // alphanum / "-" / "." / "_" (underscore tolerated as deployed)
        Scheme = 256,       // ALPHA / DIGIT / "+" / "-" / "."
        Digit = 512,
    }

    private static readonly Cls[] _table = Build();

    private static Cls[] Build()
    {
        var t = new Cls[128];
        for (var c = '0'; c <= '9'; c++)
        {
            t[c] |= Cls.Digit;
        }

        for (var c = 0; c < 128; c++)
        {
            if (char.IsAsciiLetterOrDigit((char)c))
            {
                t[c] |= Cls.Token | Cls.Unreserved | Cls.Word | Cls.Host | Cls.Scheme;
            }
        }

        Mark(t, "-.!%*_+`'~", Cls.Token | Cls.Word);
        Mark(t, "-_.!~*'()", Cls.Unreserved);
        Mark(t, "&=+$,;?/", Cls.UserUnreserved);
        Mark(t, "&=+$,", Cls.PasswordExtra);
        Mark(t, "[]/:&+$", Cls.ParamUnreserved);
        Mark(t, "[]/?:+$", Cls.HnvUnreserved);
        Mark(t, "()<>:\\\"/[]?{}", Cls.Word);
        Mark(t, "-._", Cls.Host);
        Mark(t, "+-.", Cls.Scheme);
        return t;
    }

    private static void Mark(Cls[] t, string chars, Cls cls)
    {
        foreach (var c in chars)
        {
            t[c] |= cls;
        }
    }

    private static bool Is(int c, Cls cls) => (uint)c < 128 && (_table[c] & cls) != 0;

    public static bool IsToken(char c) => Is(c, Cls.Token);

    public static bool IsToken(byte b) => Is(b, Cls.Token);

    public static bool IsWord(char c) => Is(c, Cls.Word);

    public static bool IsHostChar(char c) => Is(c, Cls.Host);

    public static bool IsSchemeChar(char c) => Is(c, Cls.Scheme);

    public static bool IsDigit(char c) => Is(c, Cls.Digit);

    public static bool IsUnreserved(char c) => Is(c, Cls.Unreserved);

    /// <summary>May appear unescaped in a URI user part (RFC 3261 25.1 user).</summary>
    public static bool IsUserChar(char c) => Is(c, Cls.Unreserved | Cls.UserUnreserved);

    public static bool IsPasswordChar(char c) => Is(c, Cls.Unreserved | Cls.PasswordExtra);

    public static bool IsParamChar(char c) => Is(c, Cls.Unreserved | Cls.ParamUnreserved);

    public static bool IsHeaderChar(char c) => Is(c, Cls.Unreserved | Cls.HnvUnreserved);

    public static bool IsTokenString(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsToken(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsTokenBytes(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!IsToken(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SP or HTAB: the whitespace LWS is made of once folding is undone.</summary>
    public static bool IsWhite(char c) => c is ' ' or '\t';

    /// <summary>Index of the first non-SP/HTAB character at or after <paramref name="i"/>.</summary>
    public static int SkipWhite(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && IsWhite(s[i]))
        {
            i++;
        }

        return i;
    }
}
