using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// An incremental RFC 4180 reader over UTF-8 bytes: <see cref="Read"/> takes the input in chunks of
/// any size (a chunk may end inside a field, a quote pair, a CRLF or a UTF-8 character) and
/// <see cref="Complete"/> ends it. Fields are comma-separated; a field in double quotes may hold
/// commas, line breaks and doubled quotes (RFC 4180 section 2, rules 5-7). Records end at CRLF, LF or
/// a lone CR; blank lines are skipped; a UTF-8 byte order mark at the start is dropped.
/// </summary>
/// <remarks>
/// A malformed record (a stray quote, text after a closing quote, an unclosed quote, a field or a
/// record over the limits, invalid UTF-8) is still returned, with its line and the reason, so the
/// caller can report it and go on with the next one. Bytes are collected per field and decoded once
/// the field ends, so a character split across chunks decodes whole.
/// </remarks>
internal sealed class CsvReader
{
    public const int MaxFieldBytes = 1024;

    public const int MaxFields = 64;

    private static readonly byte[] _bom = [0xEF, 0xBB, 0xBF];

    private readonly List<string> _fields = [];
    private byte[] _field = new byte[256];
    private int _fieldLength;
    private State _state = State.FieldStart;
    private bool _inRecord;
    private int _recordLine;
    private int _line = 1;
    private string? _error;
    private bool _previousWasCr;
    private bool _atStart = true;
    private int _bomMatched;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,

        /// <summary>A quote inside a quoted field: a doubled quote or the field's end, decided by the next byte.</summary>
        QuoteInQuoted,

        /// <summary>The record is malformed: the rest of it, up to the line's end, is skipped.</summary>
        SkipToLineEnd,
    }

    /// <summary>Reads the next chunk; the records it completes are added to <paramref name="records"/>.</summary>
    public void Read(ReadOnlySpan<byte> chunk, List<CsvRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var b in chunk)
        {
            if (_atStart)
            {
                if (b == _bom[_bomMatched])
                {
                    if (++_bomMatched == _bom.Length)
                    {
                        _atStart = false;
                    }

                    continue;
                }

                // Not a byte order mark after all: the bytes taken for one are data.
                _atStart = false;
                foreach (var held in _bom.AsSpan(0, _bomMatched))
                {
                    Step(held, records);
                }
            }

            Step(b, records);
        }
    }

    /// <summary>The end of the input: the last record (with or without a final line break) and an unclosed quote.</summary>
    public void Complete(List<CsvRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (_atStart)
        {
            _atStart = false;
            foreach (var held in _bom.AsSpan(0, _bomMatched))
            {
                Step(held, records);
            }
        }

        if (_state == State.Quoted)
        {
            Fail(Invariant($"a quoted field opened on line {_recordLine} is not closed before the end of the file"));
        }

        EndRecord(records);
    }

    private void Step(byte b, List<CsvRecord> records)
    {
        var lf = b == (byte)'\n';
        var cr = b == (byte)'\r';
        // The LF of a CRLF that ended a record meets an empty record, which is skipped like a blank line.
        var crlf = lf && _previousWasCr;
        _previousWasCr = cr;
        if (!_inRecord)
        {
            _inRecord = true;
            _recordLine = _line;
        }

        switch (_state)
        {
            case State.FieldStart:
                if (b == (byte)'"')
                {
                    _state = State.Quoted;
                }
                else if (b == (byte)',')
                {
                    EndField();
                }
                else if (cr || lf)
                {
                    EndRecord(records);
                }
                else
                {
                    Append(b);
                    _state = State.Unquoted;
                }

                break;
            case State.Unquoted:
                if (b == (byte)',')
                {
                    EndField();
                    _state = State.FieldStart;
                }
                else if (cr || lf)
                {
                    EndRecord(records);
                }
                else if (b == (byte)'"')
                {
                    Fail(Invariant($"field {_fields.Count + 1} has a quote inside an unquoted value (quote the whole field and double the quote)"));
                    _state = State.SkipToLineEnd;
                }
                else
                {
                    Append(b);
                }

                break;
            case State.Quoted:
                if (b == (byte)'"')
                {
                    _state = State.QuoteInQuoted;
                }
                else
                {
                    Append(b);
                }

                break;
            case State.QuoteInQuoted:
                if (b == (byte)'"')
                {
                    Append(b);
                    _state = State.Quoted;
                }
                else if (b == (byte)',')
                {
                    EndField();
                    _state = State.FieldStart;
                }
                else if (cr || lf)
                {
                    EndRecord(records);
                }
                else
                {
                    Fail(Invariant($"field {_fields.Count + 1} has text after its closing quote"));
                    _state = State.SkipToLineEnd;
                }

                break;
            default:
                if (cr || lf)
                {
                    EndRecord(records);
                }

                break;
        }

        // A line break counts once: a CR, or an LF that does not follow a CR (also inside quoted fields).
        if (cr || (lf && !crlf))
        {
            _line++;
        }
    }

    private void Append(byte b)
    {
        if (_fieldLength == MaxFieldBytes)
        {
            Fail(Invariant($"field {_fields.Count + 1} is longer than {MaxFieldBytes} bytes"));
            return;
        }

        if (_fieldLength == _field.Length)
        {
            Array.Resize(ref _field, Math.Min(_field.Length * 2, MaxFieldBytes));
        }

        _field[_fieldLength++] = b;
    }

    private void EndField()
    {
        var bytes = _field.AsSpan(0, _fieldLength);
        if (!Utf8.IsValid(bytes))
        {
            Fail(Invariant($"field {_fields.Count + 1} is not valid UTF-8"));
        }

        if (_fields.Count == MaxFields)
        {
            Fail(Invariant($"the line has more than {MaxFields} fields"));
        }
        else
        {
            _fields.Add(Encoding.UTF8.GetString(bytes));
        }

        _fieldLength = 0;
    }

    private void EndRecord(List<CsvRecord> records)
    {
        if (_inRecord && (_fields.Count > 0 || _fieldLength > 0 || _state != State.FieldStart || _error is not null))
        {
            if (_state != State.SkipToLineEnd)
            {
                EndField();
            }

            records.Add(new CsvRecord(_recordLine, [.. _fields], _error));
        }

        _fields.Clear();
        _fieldLength = 0;
        _state = State.FieldStart;
        _inRecord = false;
        _error = null;
    }

    private void Fail(string reason) => _error ??= reason;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
