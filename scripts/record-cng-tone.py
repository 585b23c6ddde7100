#!/usr/bin/env python3
"""Records what a spandsp fax sender sends at the start of a call: its CNG tone, as G.711 µ-law.

A calling fax session (spandsp's fax_init with calling_party=1, a one-page TIFF-F to send, made by
ghostscript) hears nothing and is run for SECONDS in 20 ms frames (fax_rx of silence, then fax_tx),
exactly as the platform's FaxSession runs it; its 16-bit linear output is written to a WAV and sox
encodes that as 8 kHz mono µ-law, the G.711 a line would carry.

    scripts/record-cng-tone.py tests/Telephony.Tests/Tones/spandsp-cng.wav [SECONDS]

Needs libspandsp2, ghostscript and sox (Debian packages). This is spandsp's tone, not a commercial
fax machine's: no recording of one is to be had on these machines.
"""
import ctypes
import os
import subprocess
import sys
import tempfile
import wave

out = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 7.5
frame = 160

spandsp = ctypes.CDLL("libspandsp.so.2")
spandsp.fax_init.restype = ctypes.c_void_p
spandsp.fax_init.argtypes = [ctypes.c_void_p, ctypes.c_int]
spandsp.fax_get_t30_state.restype = ctypes.c_void_p
spandsp.fax_get_t30_state.argtypes = [ctypes.c_void_p]
spandsp.t30_set_tx_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
spandsp.fax_set_transmit_on_idle.argtypes = [ctypes.c_void_p, ctypes.c_int]
spandsp.fax_rx.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_int]
spandsp.fax_tx.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_int]
spandsp.fax_tx.restype = ctypes.c_int
spandsp.fax_free.argtypes = [ctypes.c_void_p]

with tempfile.TemporaryDirectory() as work:
    page = os.path.join(work, "page.tif")
    ps = os.path.join(work, "page.ps")
    with open(ps, "w") as f:
        f.write("%!PS\n/Helvetica findfont 28 scalefont setfont\n72 700 moveto (CNG recording) show showpage\n")
    subprocess.run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196",
                    "-sPAPERSIZE=a4", "-sOutputFile=" + page, ps], check=True)

    fax = spandsp.fax_init(None, 1)
    t30 = spandsp.fax_get_t30_state(fax)
    spandsp.t30_set_tx_file(t30, page.encode(), -1, -1)
    spandsp.fax_set_transmit_on_idle(fax, 1)
    heard = (ctypes.c_int16 * frame)()
    sent = (ctypes.c_int16 * frame)()
    linear = bytearray()
    for _ in range(int(seconds * 8000) // frame):
        spandsp.fax_rx(fax, heard, frame)
        made = spandsp.fax_tx(fax, sent, frame)
        samples = list(sent[:made]) + [0] * (frame - made)
        linear += b"".join(s.to_bytes(2, "little", signed=True) for s in samples)
    spandsp.fax_free(fax)

    pcm = os.path.join(work, "linear.wav")
    with wave.open(pcm, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(linear))
    subprocess.run(["sox", pcm, "-e", "u-law", "-b", "8", out], check=True)
