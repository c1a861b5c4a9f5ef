#!/usr/bin/env python3
"""check.py - opens a failure bundle's GTKWave save file in GTKWave on a virtual display
(Xvfb) and checks what an engineer sees first, through GTKWave's Tcl interface
(tests/gtkwave/probe.tcl):

  - the visible window holds the primary marker and the named markers A and B;
  - the failing element's signal (g_lane[l].view_y / g_col[j].view_y, from the bundle's
    divergence.json) is displayed, first among the signals, highlighted, in signed decimal;
  - its value at the primary marker is the reported actual value;
  - the op reads as its name (the translate filter), for the vector unit.

    python3 tests/gtkwave/check.py BUNDLE_DIR UNIT SCREENSHOT.png

UNIT is tile or vu. The screenshot (PNG, written from Xvfb's framebuffer: an XWD image,
converted here with zlib) is for a person to look at.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TR_HIGHLIGHT, TR_DEC, TR_SIGNED = 0x1, 0x4, 0x400


def xwd_to_png(xwd, png):
    """An XWD (ZPixmap, 24 or 32 bits per pixel, the form Xvfb -fbdir writes) as an RGB PNG."""
    d = open(xwd, "rb").read()
    (hsize, _ver, fmt, depth, w, h, _xoff, order, _unit, _bitord, _pad, bpp, bpl, _vclass,
     rmask, gmask, bmask, _bits, ncolors, _entries) = struct.unpack(">20I", d[:80])
    if fmt != 2 or bpp not in (24, 32):
        raise ValueError("XWD format %d, %d bits per pixel: not handled" % (fmt, bpp))
    data = d[hsize + ncolors * 12:]
    step = bpp // 8
    rows = []
    for y in range(h):
        line = data[y * bpl: y * bpl + w * step]
        out = bytearray(b"\0")
        for x in range(w):
            px = line[x * step: x * step + step]
            v = int.from_bytes(px, "little" if order == 0 else "big")
            out += bytes(((v & rmask) >> 16 & 255, (v & gmask) >> 8 & 255, v & bmask & 255))
        rows.append(bytes(out))

    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
    with open(png, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def run_gtkwave(gtkw, out, fb_png):
    """GTKWave on the save file under Xvfb: the probe's facts into out, then (once the window
    is drawn) the framebuffer as fb_png; GTKWave is stopped after."""
    import signal
    import time
    tmp = tempfile.mkdtemp(prefix="pimcosim-gtkwave-")
    fbdir = os.path.join(tmp, "fb")
    os.mkdir(fbdir)
    env = dict(os.environ, PIM_PROBE_OUT=out, HOME=tmp)
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 -fbdir %s" % fbdir,
           "gtkwave", "-S", os.path.join(HERE, "probe.tcl"), gtkw]
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            if os.path.exists(out) and open(out).read().endswith("done\n"):
                break
            if p.poll() is not None:
                raise RuntimeError("gtkwave under Xvfb ended (exit %d) before the probe" % p.returncode)
            time.sleep(0.2)
        else:
            raise RuntimeError("gtkwave under Xvfb: no probe within 60 s")
        time.sleep(3)  # the window drawn
        fb = os.path.join(fbdir, "Xvfb_screen0")
        if os.path.exists(fb):
            xwd_to_png(fb, fb_png)
    finally:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        p.wait(timeout=30)


def parse(out):
    facts = {"traces": []}
    for line in open(out):
        if line.startswith("trace\t"):
            _, i, flags, name, value = (line.rstrip("\n").split("\t") + ["", ""])[:5]
            facts["traces"].append((int(i), int(flags), name, value))
            continue
        key, _, rest = line.rstrip("\n").partition(" ")
        facts[key] = rest.split()
    return facts


def main():
    bundle, unit, png = sys.argv[1], sys.argv[2], sys.argv[3]
    dj = os.path.join(bundle, "divergence.json")  # a stream's bundle; a vector's: repro.json
    div = json.load(open(dj if os.path.exists(dj) else os.path.join(bundle, "repro.json")))["divergence"]
    gtkw = os.path.join(bundle, "wave.%s.gtkw" % unit)
    out = os.path.join(tempfile.mkdtemp(prefix="pimcosim-probe-"), "probe.txt")
    run_gtkwave(gtkw, out, png)
    f = parse(out)
    errs = []
    t0, t1 = (int(x) for x in f["window"])
    for m in ("marker", "marker_A", "marker_B"):
        t = int(f[m][0])
        if not t0 <= t <= t1:
            errs.append("%s at %d is outside the visible window %d..%d" % (m, t, t0, t1))
    want = "%s[%d].view_y" % ("g_col" if unit == "tile" else "g_lane", div["lane"])
    sig = [t for t in f["traces"] if t[2].startswith("view_y")]
    shown = [s for s in f["displayed"] if want in s]
    if not shown or not sig:
        errs.append("the failing element's signal %s is not displayed" % want)
    else:
        i, flags, name, value = sig[0]
        firsts = [t for t in f["traces"] if not t[1] & 0x200]  # signals, not comments
        if firsts and firsts[0][0] != i:
            errs.append("%s is not the first signal (%s is)" % (want, firsts[0][2]))
        if flags & (TR_HIGHLIGHT | TR_SIGNED | TR_DEC) != TR_HIGHLIGHT | TR_SIGNED | TR_DEC:
            errs.append("%s is not highlighted in signed decimal (flags %#x)" % (want, flags))
        if value != str(div["actual"]):
            errs.append("%s reads %s at the marker, the report says actual %d"
                        % (want, value, div["actual"]))
    if unit == "vu":
        op = [t for t in f["traces"] if t[2].startswith("in_op_i")]
        if not op or op[0][3] not in (div["op"], ""):
            errs.append("in_op_i reads %r, not the op's name" % (op[0][3] if op else None))
    if not os.path.exists(png) or os.path.getsize(png) < 1000:
        errs.append("no screenshot written to %s" % png)
    print("%s %s: window %d..%d ps, marker %s (A %s, B %s), %s = %s%s" % (
        "ok  " if not errs else "FAIL", gtkw, t0, t1, f["marker"][0], f["marker_A"][0],
        f["marker_B"][0], want, sig[0][3] if sig else "-", "" if not errs else ": " + "; ".join(errs)))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
