#!/usr/bin/env python3
"""pimref - an independent reference model of the pimcosim numeric profile.

Plain Python 3, standard library only. Written from /work/shared/spec/profile.md, the ISA
text and pimcosim's choices (docs/isa.md), never from the C golden model: it is the second,
independent implementation against which the shipped conformance vectors are derived and
re-checked (tests/pyref/check_vectors.py).

Deliberately simple and literal:
  * every value is a Python int (unbounded), so no intermediate can overflow;
  * mvmul is computed exactly as the profile's steps 1-7 describe it: offset-binary
    encoding, weight cell slices, DAC input steps, one ADC read per (column, step, slice),
    shift-and-add, digital correction, relu, saturation;
  * vsigm/vtanh evaluate PLAN with exact Fractions on the real value x / 2^F.

Use as a library (load_vector, run_vector) or from the command line:
    python3 pimref.py VECTOR.json      prints the outcome (error or "ok") as JSON
"""

import gzip
import json
import os
import re
import struct
import sys
from fractions import Fraction

MASK32 = (1 << 32) - 1

# --------------------------------------------------------------------------- errors


class PimError(Exception):
    """An error the profile names: kind is "input", "exec" or "deadlock"."""

    def __init__(self, kind, msg, core=None, index=None, field=None, op=None):
        super().__init__(msg)
        self.kind = kind
        self.core = core
        self.index = index
        self.field = field
        self.op = op
        self.msg = msg

    def as_dict(self):
        d = {"kind": self.kind, "text": self.msg}
        if self.core is not None:
            d["core"] = self.core
        if self.index is not None:
            d["index"] = self.index
        if self.field is not None:
            d["field"] = self.field
        return d

    def __str__(self):
        where = []
        if self.core is not None:
            where.append("core %d" % self.core)
        if self.index is not None:
            where.append("instruction %d" % self.index)
        if self.op:
            where.append("(%s)" % self.op)
        if self.field is not None:
            where.append("field '%s'" % self.field)
        return "%s error: %s%s" % (self.kind, ", ".join(where) + ": " if where else "", self.msg)


class Malformed(Exception):
    """The vector file itself is malformed (not a program error): bad JSON, bad config,
    bad init/expected section."""


def _is_int(v):
    return type(v) is int  # bool and float are refused


# --------------------------------------------------------------------------- ISA table

# Field flags, mirroring the meaning of PIM_F_* (written out here by hand from the ISA).
RD, RS1, RS2, IMM, LEN, SIZE, CORE, MBIW, GROUP, RELU, IBIW, OBIW, EV, WVAL, OFFSEL, OFFVAL, SOFF, BYTE = (
    "rd", "rs1", "rs2", "imm", "len", "size", "core", "mbiw", "group", "relu", "ibiw", "obiw",
    "event_register", "wait_value", "offset.offset_select", "offset.offset_value", "offset_value",
    "imm.byte")

VEC3 = {RD, RS1, RS2, LEN, OFFSEL, OFFVAL}
VEC2 = {RD, RS1, LEN, OFFSEL, OFFVAL}
XFER = {RD, RS1, SIZE, OFFSEL, OFFVAL}

OPS = {
    "nop": set(),
    "sldi": {RD, IMM},
    "sld": {RD, RS1, SOFF},
    "sadd": {RD, RS1, RS2},
    "ssub": {RD, RS1, RS2},
    "smul": {RD, RS1, RS2},
    "saddi": {RD, RS1, IMM},
    "smuli": {RD, RS1, IMM},
    "setbw": {IBIW, OBIW},
    "mvmul": {RD, RS1, MBIW, GROUP, RELU},
    "vvadd": VEC3, "vvsub": VEC3, "vvmul": VEC3, "vvdmul": VEC3, "vvmax": VEC3,
    "vvsll": VEC3, "vvsra": VEC3,
    "vavg": {RD, RS1, RS2, LEN, OFFVAL},
    "vrelu": VEC2, "vtanh": VEC2, "vsigm": VEC2,
    "vmv": {RD, RS1, RS2, LEN},
    "vrsu": VEC3, "vrsl": VEC3,
    "ld": XFER, "st": XFER,
    "lldi": {RD, BYTE, SIZE, OFFVAL},
    "lmv": XFER,
    "send": {RS1, CORE, SIZE, OFFVAL},
    "recv": {RD, CORE, SIZE, OFFVAL},
    "wait": {EV, WVAL},
    "sync": {EV, CORE},
}

# Ops whose offset is "bare" (choice 5): offset_select is accepted 0..7 but ignored.
BARE_OFFSET = {"sld", "vavg", "lldi", "send", "recv"}

# The JSON keys of an instruction (profile "Instruction streams").
TOP_KEYS = ["rd", "rs1", "rs2", "imm", "len", "size", "core", "mbiw", "group", "relu", "ibiw",
            "obiw", "event_register", "wait_value", "offset_value"]
OFFSET_KEYS = ["offset_select", "offset_value"]

# Ranges (choice 3): inclusive.
RANGES = {
    "rd": (0, 31), "rs1": (0, 31), "rs2": (0, 31),
    "len": (0, 2047), "size": (0, 2047),
    "group": (0, 15), "core": (0, 1023), "wait_value": (0, 1023), "event_register": (0, 31),
    "offset.offset_select": (0, 7), "offset.offset_value": (-(1 << 28), (1 << 28) - 1),
    "offset_value": (-(1 << 28), (1 << 28) - 1),
    "relu": (0, 1), "ibiw": (1, 32), "obiw": (1, 32), "mbiw": (1, 32),
    "imm": (-(1 << 31), (1 << 32) - 1),
    "imm.byte": (-128, 255),
}


def validate_instruction(insn, core, index, ncores):
    """Strict form (choices 1-7). Returns a normalised dict with every field (0 default)."""

    def bad(field, msg):
        return PimError("input", msg, core=core, index=index, field=field,
                        op=insn.get("op") if isinstance(insn, dict) else None)

    if not isinstance(insn, dict):
        raise bad("op", "instruction is not an object")
    if "op" not in insn:
        raise bad("op", "missing op")
    op = insn["op"]
    if not isinstance(op, str) or op not in OPS:
        raise bad("op", "unknown op %r" % (op,))
    # unknown keys
    for k in insn:
        if k != "op" and k != "offset" and k not in TOP_KEYS:
            raise bad(k, "unknown key %r" % k)
    raw = {}
    for k in TOP_KEYS:
        if k in insn:
            raw[k] = insn[k]
    if "offset" in insn:
        off = insn["offset"]
        if not isinstance(off, dict):
            raise bad("offset", "offset is not an object")
        for k in off:
            if k not in OFFSET_KEYS:
                raise bad("offset." + k, "unknown key %r in offset" % k)
        for k in OFFSET_KEYS:
            if k in off:
                raw["offset." + k] = off[k]
    # integers only
    for k, v in raw.items():
        if not _is_int(v):
            raise bad(k, "%s must be an integer, not %s" % (k, json.dumps(v)))

    takes = OPS[op]
    # Map JSON keys to the flag names used in the table.
    norm = {"op": op}
    for key in TOP_KEYS + ["offset.offset_select", "offset.offset_value"]:
        v = raw.get(key, 0)
        flag = key
        if key == "imm" and op == "lldi":
            flag = BYTE
        taken = flag in takes
        if key == "offset.offset_select" and op in BARE_OFFSET:
            # choice 5: accepted 0..7, ignored, stored as 0
            lo, hi = RANGES[key]
            if not lo <= v <= hi:
                raise bad(key, "%s = %d out of range %d..%d" % (key, v, lo, hi))
            norm["offset_select"] = 0
            continue
        if not taken:
            if v != 0:
                raise bad(key, "%s does not take %s (given %d)" % (op, key, v))
            continue
        lo, hi = RANGES[flag]
        if not lo <= v <= hi:
            raise bad(key, "%s = %d out of range %d..%d" % (key, v, lo, hi))
        norm[key] = v
    # Register pairs (choice 6)
    if op in ("ld", "sld") and norm.get("rs1", 0) % 2:
        raise bad("rs1", "%s needs an even rs1 (register pair), got %d" % (op, norm["rs1"]))
    if op == "st" and norm.get("rd", 0) % 2:
        raise bad("rd", "st needs an even rd (register pair), got %d" % norm["rd"])
    # Peer cores (choice 7)
    if op in ("send", "recv", "sync"):
        c = norm.get("core", 0)
        if c >= ncores:
            raise bad("core", "core %d does not exist (%d cores)" % (c, ncores))
        if op in ("send", "recv") and c == core:
            raise bad("core", "%s to its own core %d" % (op, c))
    ins = {
        "op": op,
        "rd": norm.get("rd", 0), "rs1": norm.get("rs1", 0), "rs2": norm.get("rs2", 0),
        "imm": norm.get("imm", 0) & (0xFF if op == "lldi" else MASK32),
        "len": norm.get("len", 0) if "len" in norm else norm.get("size", 0),
        "core": norm.get("core", 0), "mbiw": norm.get("mbiw", 0), "group": norm.get("group", 0),
        "relu": norm.get("relu", 0), "ibiw": norm.get("ibiw", 0), "obiw": norm.get("obiw", 0),
        "ev": norm.get("event_register", 0), "wval": norm.get("wait_value", 0),
        "sel": norm.get("offset.offset_select", 0),
        "off": norm.get("offset.offset_value", norm.get("offset_value", 0)),
    }
    return ins


def validate_program(program, chip_core_cnt=None):
    """Returns (ncores, [insns per core]). Raises PimError("input") for a bad program."""
    if not isinstance(program, dict):
        raise PimError("input", "program is not an object", field="program")
    core_keys = {}
    for k in program:
        if k == "config":
            continue
        m = re.fullmatch(r"core(0|[1-9][0-9]*)", k)
        if not m:
            raise PimError("input", "unknown program key %r" % k, field=k)
        core_keys[int(m.group(1))] = k
    ncores = None
    pc = program.get("config", {})
    if not isinstance(pc, dict):
        raise PimError("input", "program.config is not an object", field="config")
    if "core_cnt" in pc:
        ncores = pc["core_cnt"]
        if not _is_int(ncores) or not 1 <= ncores <= 1024:
            raise PimError("input", "program core_cnt must be an integer 1..1024",
                           field="core_cnt")
    if ncores is None:
        ncores = (max(core_keys) + 1) if core_keys else 1
    for c in core_keys:
        if c >= ncores:
            raise PimError("input", "core%d beyond the program's %d cores" % (c, ncores),
                           core=c, field="core_cnt")
    if chip_core_cnt is not None and ncores > chip_core_cnt:
        raise PimError("input", "program has %d cores, the chip %d" % (ncores, chip_core_cnt),
                       field="core_cnt")
    progs = []
    for c in range(ncores):
        lst = program.get("core%d" % c, [])
        if not isinstance(lst, list):
            raise PimError("input", "core%d is not an array" % c, core=c, field="core%d" % c)
        progs.append([validate_instruction(x, c, i, ncores) for i, x in enumerate(lst)])
    return ncores, progs


# --------------------------------------------------------------------------- config


class Config:
    def __init__(self):
        self.core_cnt = None  # None: not given
        self.xbar_rows = 128
        self.xbar_cols = 128
        self.cell_precision = 2
        self.dac_resolution = 1
        self.adc_resolution = 8
        self.adc_clip = True
        self.xbar_array_count = 64
        self.vector_width = 32
        self.frac_bits = 4
        self.local_size = 1 << 20
        self.global_size = 64 << 20


def parse_config(obj):
    cfg = Config()
    if not isinstance(obj, dict):
        raise Malformed("config is not an object")
    chip = obj.get("chip_config", {})
    if not isinstance(chip, dict):
        raise Malformed("chip_config is not an object")

    def get_int(d, k, lo, hi, path):
        v = d[k]
        if not _is_int(v) or v < lo or (hi is not None and v > hi):
            raise Malformed("%s must be an integer in %s..%s, got %r" % (path, lo, hi, v))
        return v

    def sub(d, k, path):
        v = d.get(k, {})
        if not isinstance(v, dict):
            raise Malformed("%s is not an object" % path)
        return v

    if "core_cnt" in chip:
        cfg.core_cnt = get_int(chip, "core_cnt", 1, 1024, "chip_config.core_cnt")
    core = sub(chip, "core_config", "chip_config.core_config")
    mc = sub(core, "matrix_config", "matrix_config")
    if "xbar_size" in mc:
        xs = mc["xbar_size"]
        if (not isinstance(xs, list) or len(xs) != 2 or not all(_is_int(v) for v in xs)
                or not all(1 <= v <= 4096 for v in xs)):
            raise Malformed("matrix_config.xbar_size must be [rows, cols] in 1..4096")
        cfg.xbar_rows, cfg.xbar_cols = xs
    if "cell_precision" in mc:
        cfg.cell_precision = get_int(mc, "cell_precision", 1, 16, "cell_precision")
    if "dac_resolution" in mc:
        cfg.dac_resolution = get_int(mc, "dac_resolution", 1, 16, "dac_resolution")
    if "adc_resolution" in mc:
        cfg.adc_resolution = get_int(mc, "adc_resolution", 1, 32, "adc_resolution")
    if "xbar_array_count" in mc:
        cfg.xbar_array_count = get_int(mc, "xbar_array_count", 1, None, "xbar_array_count")
    if "adc_clip" in mc:
        if not isinstance(mc["adc_clip"], bool):
            raise Malformed("matrix_config.adc_clip must be a boolean")
        cfg.adc_clip = mc["adc_clip"]
    if "vector_width" in core:
        cfg.vector_width = get_int(core, "vector_width", 1, None, "vector_width")
    vc = sub(core, "vector_config", "vector_config")
    if "activation_frac_bits" in vc:
        cfg.frac_bits = get_int(vc, "activation_frac_bits", 0, 30, "activation_frac_bits")
    lm = sub(core, "local_memory_config", "local_memory_config")
    if "memory_size" in lm:
        cfg.local_size = get_int(lm, "memory_size", 1, None, "local_memory_config.memory_size")
    gm = sub(chip, "global_memory_config", "global_memory_config")
    if "memory_size" in gm:
        cfg.global_size = get_int(gm, "memory_size", 1, None, "global_memory_config.memory_size")
    return cfg


# --------------------------------------------------------------------------- arithmetic


def sext(v, w):
    """Low w bits of v, sign-extended."""
    v &= (1 << w) - 1
    return v - (1 << w) if v >> (w - 1) else v


def sat(v, w):
    lo, hi = -(1 << (w - 1)), (1 << (w - 1)) - 1
    return lo if v < lo else hi if v > hi else v


def byw(biw):
    return (biw + 7) // 8


def s32(v):
    return sext(v, 32)


def round_half_away(q):
    """Fraction -> nearest int, ties away from zero."""
    q = Fraction(q)
    if q >= 0:
        return (q + Fraction(1, 2)).__floor__()
    return -((-q + Fraction(1, 2)).__floor__())


def plan_sigm_real(x):
    """PLAN sigmoid (Amin, Curtis, Hayes-Gill 1997) of a real x, exactly, as a Fraction."""
    x = Fraction(x)
    a = abs(x)
    if a >= 5:
        y = Fraction(1)
    elif a >= Fraction(19, 8):      # 2.375
        y = a / 32 + Fraction(27, 32)  # 0.84375
    elif a >= 1:
        y = a / 8 + Fraction(5, 8)     # 0.625
    else:
        y = a / 4 + Fraction(1, 2)
    return 1 - y if x < 0 else y


def plan_sigm_fixed(x, f):
    """vsigm on the fixed-point integer x with f fractional bits (before saturation)."""
    return round_half_away(plan_sigm_real(Fraction(x, 1 << f)) * (1 << f))


def plan_tanh_fixed(x, f):
    xr = Fraction(x, 1 << f)
    return round_half_away((2 * plan_sigm_real(2 * xr) - 1) * (1 << f))


def mvmul_literal(weights, mbiw, xs, ibiw, p, d, a, clip, relu, obiw):
    """The profile's steps 1-7, literally. weights[i][j]: row i (input), column j (output).
    Returns (outputs, number of clipped ADC reads)."""
    n = len(weights)
    m = len(weights[0])
    assert len(xs) == n
    # 1. offset-binary encoding
    xo = [x + (1 << (ibiw - 1)) for x in xs]
    wo = [[w + (1 << (mbiw - 1)) for w in row] for row in weights]
    for v in xo:
        assert 0 <= v < (1 << ibiw)
    # 2. weight slices: cells[t][i][j]
    nslices = -(-mbiw // p)
    cells = [[[(wo[i][j] >> (t * p)) & ((1 << p) - 1) for j in range(m)] for i in range(n)]
             for t in range(nslices)]
    # 3. input steps: u[k][i]
    nsteps = -(-ibiw // d)
    u = [[(xo[i] >> (k * d)) & ((1 << d) - 1) for i in range(n)] for k in range(nsteps)]
    adc_max = (1 << a) - 1
    clips = 0
    P = [0] * m
    for k in range(nsteps):
        uk = u[k]
        rows_on = [i for i in range(n) if uk[i]]
        for t in range(nslices):
            ct = cells[t]
            for j in range(m):
                # 4. column sum of this step and slice, read by the ADC
                s = 0
                for i in rows_on:
                    s += uk[i] * ct[i][j]
                if clip and s > adc_max:
                    s = adc_max
                    clips += 1
                # 5. shift and add
                P[j] += s << (k * d + t * p)
    # 6. digital correction
    sum_xo = sum(xo)
    out = []
    for j in range(m):
        colsum = sum(weights[i][j] for i in range(n))
        y = P[j] - (1 << (mbiw - 1)) * sum_xo - (1 << (ibiw - 1)) * colsum
        # 7. relu, saturate
        if relu:
            y = max(y, 0)
        out.append(sat(y, obiw))
    return out, clips



def bit_plane(values, bit):
    """The rows whose value has `bit` set, as an integer mask (bit i for row i)."""
    mask = 0
    for i, v in enumerate(values):
        if (v >> bit) & 1:
            mask |= 1 << i
    return mask

def mvmul_planes_prepare(weights, mbiw, p):
    """Precomputes, for the bit-plane form of mvmul (mvmul_planes), everything that depends
    only on the weights: per column j, slice t and cell bit b, the set of rows whose cell
    c_ijt has bit b set, as a Python int bit mask (bit i = row i); and the column weight sums.
    Cell c_ijt = (w'_ij >> t*p) & (2^p - 1), so its bit b is bit t*p + b of w'_ij."""
    n = len(weights)
    m = len(weights[0])
    nslices = -(-mbiw // p)
    bias = 1 << (mbiw - 1)
    planes = []  # planes[j][t][b]
    colsums = []
    for j in range(m):
        col = [weights[i][j] + bias for i in range(n)]
        colsums.append(sum(weights[i][j] for i in range(n)))
        pj = []
        for t in range(nslices):
            pt = []
            for b in range(p):
                pt.append(bit_plane(col, t * p + b))
            pj.append(pt)
        planes.append(pj)
    return {"n": n, "m": m, "mbiw": mbiw, "p": p, "planes": planes, "colsums": colsums}


def mvmul_planes(prep, xs, ibiw, d, a, clip, relu, obiw):
    """The profile's mvmul steps 1-7, computed exactly with bit planes instead of the nested
    row loop of mvmul_literal: with u_ik = sum_a' 2^a' U_ika' (U bits of the input step) and
    c_ijt = sum_b 2^b C_ijtb (bits of the cell), the column sum of step k, slice t is
    s_jkt = sum_i u_ik c_ijt = sum_a' sum_b 2^(a'+b) popcount(U_ka' & C_jtb), an exact integer.
    Each s_jkt then goes through the ADC (min(s, 2^a - 1)) one by one, as in step 4.
    Returns (outputs, number of clipped ADC reads), like mvmul_literal."""
    n, mbiw, p = prep["n"], prep["mbiw"], prep["p"]
    assert len(xs) == n
    xo = [x + (1 << (ibiw - 1)) for x in xs]
    for v in xo:
        assert 0 <= v < (1 << ibiw)
    nsteps = -(-ibiw // d)
    # input bit planes: U[k][a'] = rows whose step-k digit has bit a' set (bit k*d + a' of x')
    U = []
    for k in range(nsteps):
        uk = []
        for ab in range(d):
            uk.append(bit_plane(xo, k * d + ab))
        U.append(uk)
    adc_max = (1 << a) - 1
    clips = 0
    corr_x = (1 << (mbiw - 1)) * sum(xo)
    out = []
    for j, pj in enumerate(prep["planes"]):
        P = 0
        for k in range(nsteps):
            uk = U[k]
            for t, pt in enumerate(pj):
                s = 0
                for ab in range(d):
                    ua = uk[ab]
                    if ua:
                        for b in range(p):
                            s += (ua & pt[b]).bit_count() << (ab + b)
                if clip and s > adc_max:
                    s = adc_max
                    clips += 1
                P += s << (k * d + t * p)
        y = P - corr_x - (1 << (ibiw - 1)) * prep["colsums"][j]
        if relu and y < 0:
            y = 0
        out.append(sat(y, obiw))
    return out, clips


# --------------------------------------------------------------------------- seed, hash

MASK64 = (1 << 64) - 1


def splitmix64(state):
    """One step of splitmix64. Returns (new state, value), both 64-bit."""
    state = (state + 0x9e3779b97f4a7c15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK64
    return state, z ^ (z >> 31)


def seed_fill(seed, nbytes, xor, input_bits=0):
    """nbytes of splitmix64 output from state seed ^ xor, each value 8 bytes little-endian,
    a last partial word taking the value's low bytes. With input_bits in 1..7 every byte
    keeps only its low input_bits bits (--input-bits)."""
    s = (seed ^ xor) & MASK64
    out = bytearray()
    for _ in range((nbytes + 7) // 8):
        s, v = splitmix64(s)
        out += v.to_bytes(8, "little")
    if 0 < input_bits < 8:
        m = (1 << input_bits) - 1
        out = bytearray(b & m for b in out)
    return bytes(out[:nbytes])


def seed_weights(seed, core, index, mbiw, rows, cols, weight_bits=0):
    """A group's weights from the seed: state seed ^ (core << 32) ^ (index << 16) ^ 0x77,
    row-major (row = input element), each the low mbiw bits of one splitmix64 value,
    sign-extended (the low weight_bits bits when 0 < weight_bits < mbiw: --weight-bits).
    Returns rows lists of cols ints."""
    if 0 < weight_bits < mbiw:
        mbiw = weight_bits
    s = (seed ^ (core << 32) ^ (index << 16) ^ 0x77) & MASK64
    w = []
    for _ in range(rows):
        row = []
        for _ in range(cols):
            s, v = splitmix64(s)
            row.append(sext(v, mbiw))
        w.append(row)
    return w


FNV_OFFSET = 0xcbf29ce484222325
FNV_PRIME = 0x100000001b3


def _used_length(buf):
    """Length of buf without its trailing zero bytes (scanned from the end in chunks)."""
    mv = memoryview(buf)
    end = len(buf)
    chunk = 1 << 16
    zeros = bytes(chunk)
    while end > 0:
        start = max(0, end - chunk)
        piece = bytes(mv[start:end])
        if piece != zeros[:end - start]:
            return start + len(piece.rstrip(b"\0"))
        end = start
    return 0


def hash_bytes(buf):
    """The memory hash: FNV-style over 8-byte little-endian words (a last partial word
    zero-padded), h = (h ^ w) * P mod 2^64, then h ^= byte count and a 64-bit finaliser.
    A zero word only multiplies h by P, so the trailing run of z zero words is applied at
    once as h * P^z mod 2^64."""
    n = len(buf)
    used = _used_length(buf)
    nwords = (n + 7) // 8
    uwords = (used + 7) // 8
    h = FNV_OFFSET
    full = min(uwords, n // 8)
    mv = memoryview(buf)
    step = 1 << 15
    for start in range(0, full, step):
        cnt = min(step, full - start)
        for w in struct.unpack_from("<%dQ" % cnt, mv, start * 8):
            h = ((h ^ w) * FNV_PRIME) & MASK64
    if uwords > full:  # a last partial word with non-zero bytes
        w = int.from_bytes(bytes(mv[full * 8:n]), "little")
        h = ((h ^ w) * FNV_PRIME) & MASK64
    h = (h * pow(FNV_PRIME, nwords - uwords, 1 << 64)) & MASK64
    h ^= n
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & MASK64
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & MASK64
    h ^= h >> 33
    return h


# --------------------------------------------------------------------------- machine


class Core:
    def __init__(self, idx, local_size, insns):
        self.idx = idx
        self.regs = [0] * 32
        self.events = [0] * 32
        self.lmem = bytearray(local_size)
        self.ibiw = 8
        self.obiw = 8
        self.pc = 0
        self.insns = insns
        self.groups = {}  # index -> (mbiw, weights)

    @property
    def done(self):
        return self.pc >= len(self.insns)


class Machine:
    def __init__(self, cfg, ncores, progs):
        self.cfg = cfg
        self.ncores = ncores
        self.cores = [Core(c, cfg.local_size, progs[c]) for c in range(ncores)]
        self.gmem = bytearray(cfg.global_size)
        self.adc_clips = 0
        self.executed = 0

    # ---- memory helpers
    def _err(self, core, field, msg):
        ins = core.insns[core.pc]
        return PimError("exec", msg, core=core.idx, index=core.pc, field=field, op=ins["op"])

    def _check(self, core, mem_size, addr, n, field, what):
        if n > 0 and (addr < 0 or addr + n > mem_size):
            raise self._err(core, field, "%s access of %d bytes at address %d outside %d bytes"
                            % (what, n, addr, mem_size))

    def lcheck(self, core, addr, n, field):
        self._check(core, self.cfg.local_size, addr, n, field, "local memory")

    def gcheck(self, core, addr, n, field):
        self._check(core, self.cfg.global_size, addr, n, field, "global memory")

    @staticmethod
    def rd_elem(mem, addr, bw, biw):
        return sext(int.from_bytes(mem[addr:addr + bw], "little"), biw)

    @staticmethod
    def wr_elem(mem, addr, bw, v):
        mem[addr:addr + bw] = (v & ((1 << (8 * bw)) - 1)).to_bytes(bw, "little")

    def laddr(self, core, reg, off_bytes):
        return core.regs[reg] + off_bytes

    def gaddr(self, core, reg, off_bytes):
        return ((core.regs[reg] << 32) | core.regs[reg + 1]) + off_bytes

    # ---- scheduling (choice 21)
    def run(self, max_insns=0):
        """Round-robin in core order, each core until it blocks or ends. max_insns > 0 stops
        the whole run before a step once executed >= max_insns (self.stopped is then True)."""
        self.stopped = False
        while True:
            if all(c.done for c in self.cores):
                return
            progress = False
            for c in self.cores:
                while not c.done:
                    if max_insns > 0 and self.executed >= max_insns:
                        self.stopped = True
                        return
                    if self.step(c):
                        progress = True
                    else:
                        break
            if not progress and not all(c.done for c in self.cores):
                blocked = [c for c in self.cores if not c.done]
                desc = "; ".join("core %d at instruction %d (%s)" % (c.idx, c.pc,
                                                                     self.waits_for(c))
                                 for c in blocked)
                first = blocked[0]
                raise PimError("deadlock", "every unfinished core is blocked: " + desc,
                               core=first.idx, index=first.pc, op=first.insns[first.pc]["op"])

    def waits_for(self, c):
        ins = c.insns[c.pc]
        if ins["op"] == "send":
            return "send to core %d, %d bytes" % (ins["core"], ins["len"])
        if ins["op"] == "recv":
            return "recv from core %d, %d bytes" % (ins["core"], ins["len"])
        if ins["op"] == "wait":
            return "wait event %d == %d (holds %d)" % (ins["ev"], ins["wval"],
                                                       c.events[ins["ev"]])
        return ins["op"]

    def step(self, c):
        """Executes core c's next instruction. Returns True if it (and for a rendezvous
        its partner) completed, False if the core is blocked."""
        ins = c.insns[c.pc]
        op = ins["op"]
        if op in ("send", "recv"):
            return self.rendezvous(c, ins)
        if op == "wait":
            if c.events[ins["ev"]] != ins["wval"]:
                return False
            c.events[ins["ev"]] = 0
            c.pc += 1
            self.executed += 1
            return True
        getattr(self, "op_" + op)(c, ins)
        c.pc += 1
        self.executed += 1
        return True

    def rendezvous(self, c, ins):
        peer = self.cores[ins["core"]]
        if peer.done:
            return False
        pins = peer.insns[peer.pc]
        if ins["op"] == "send":
            want = "recv"
            sender, sins, receiver, rins = c, ins, peer, pins
        else:
            want = "send"
            sender, sins, receiver, rins = peer, pins, c, ins
        if pins["op"] != want or pins["core"] != c.idx:
            return False
        # choice 25: size mismatch reported at the recv
        if sins["len"] != rins["len"]:
            raise PimError("exec", "send (core %d, instruction %d) of %d bytes does not match "
                           "recv (core %d, instruction %d) of %d bytes"
                           % (sender.idx, sender.pc, sins["len"], receiver.idx, receiver.pc,
                              rins["len"]),
                           core=receiver.idx, index=receiver.pc, field="size", op="recv")
        n = sins["len"]
        src = self.laddr(sender, sins["rs1"], sins["off"])
        self.lcheck(sender, src, n, "rs1")
        dst = self.laddr(receiver, rins["rd"], rins["off"])
        self.lcheck(receiver, dst, n, "rd")
        receiver.lmem[dst:dst + n] = sender.lmem[src:src + n]
        sender.pc += 1
        receiver.pc += 1
        self.executed += 2
        return True

    # ---- scalar
    def op_nop(self, c, i):
        pass

    def op_sldi(self, c, i):
        c.regs[i["rd"]] = i["imm"] & MASK32

    def op_sld(self, c, i):
        a = self.gaddr(c, i["rs1"], i["off"])
        self.gcheck(c, a, 4, "rs1")
        c.regs[i["rd"]] = int.from_bytes(self.gmem[a:a + 4], "little")

    def op_sadd(self, c, i):
        c.regs[i["rd"]] = (c.regs[i["rs1"]] + c.regs[i["rs2"]]) & MASK32

    def op_ssub(self, c, i):
        c.regs[i["rd"]] = (c.regs[i["rs1"]] - c.regs[i["rs2"]]) & MASK32

    def op_smul(self, c, i):
        c.regs[i["rd"]] = (c.regs[i["rs1"]] * c.regs[i["rs2"]]) & MASK32

    def op_saddi(self, c, i):
        c.regs[i["rd"]] = (c.regs[i["rs1"]] + i["imm"]) & MASK32

    def op_smuli(self, c, i):
        c.regs[i["rd"]] = (c.regs[i["rs1"]] * i["imm"]) & MASK32

    def op_setbw(self, c, i):
        c.ibiw, c.obiw = i["ibiw"], i["obiw"]

    # ---- matrix
    def op_mvmul(self, c, i):
        g = c.groups.get(i["group"])
        if g is None:
            raise self._err(c, "group", "core %d has no array group %d" % (c.idx, i["group"]))
        mbiw, w = g
        if i["mbiw"] != mbiw:
            raise self._err(c, "mbiw", "mbiw %d differs from group %d's %d"
                            % (i["mbiw"], i["group"], mbiw))
        n, m = len(w), len(w[0])
        ib, ob = byw(c.ibiw), byw(c.obiw)
        src = c.regs[i["rs1"]]
        dst = c.regs[i["rd"]]
        self.lcheck(c, src, n * ib, "rs1")
        self.lcheck(c, dst, m * ob, "rd")
        xs = [self.rd_elem(c.lmem, src + k * ib, ib, c.ibiw) for k in range(n)]
        cfg = self.cfg
        ys, clips = mvmul_literal(w, mbiw, xs, c.ibiw, cfg.cell_precision, cfg.dac_resolution,
                                  cfg.adc_resolution, cfg.adc_clip, i["relu"], c.obiw)
        self.adc_clips += clips
        for j, y in enumerate(ys):
            self.wr_elem(c.lmem, dst + j * ob, ob, y)

    # ---- vector helpers
    def _vaddrs(self, c, i, rd_bw, rs2_vec):
        """Byte addresses of rd, rs1, rs2 with the offset applied (choice 11)."""
        ib = byw(c.ibiw)
        sel, off = i["sel"], i["off"]
        rd = c.regs[i["rd"]] + (off * rd_bw if sel & 1 else 0)
        rs1 = c.regs[i["rs1"]] + (off * ib if sel & 2 else 0)
        rs2 = (c.regs[i["rs2"]] + (off * ib if sel & 4 else 0)) if rs2_vec else None
        return rd, rs1, rs2

    def _read_vec(self, c, addr, n, field):
        ib = byw(c.ibiw)
        self.lcheck(c, addr, n * ib, field)
        return [self.rd_elem(c.lmem, addr + k * ib, ib, c.ibiw) for k in range(n)]

    def _write_vec(self, c, addr, vals, bw, w, field):
        self.lcheck(c, addr, len(vals) * bw, field)
        for k, v in enumerate(vals):
            self.wr_elem(c.lmem, addr + k * bw, bw, sat(v, w))

    def _vv(self, c, i, fn, out_in):
        """Element-wise a (rs1) op b (rs2). out_in: output width is ibiw (else obiw)."""
        w = c.ibiw if out_in else c.obiw
        bw = byw(w)
        rd, rs1, rs2 = self._vaddrs(c, i, bw, True)
        n = i["len"]
        a = self._read_vec(c, rs1, n, "rs1")
        b = self._read_vec(c, rs2, n, "rs2")
        self._write_vec(c, rd, [fn(x, y) for x, y in zip(a, b)], bw, w, "rd")

    def op_vvadd(self, c, i):
        self._vv(c, i, lambda x, y: x + y, True)

    def op_vvsub(self, c, i):
        self._vv(c, i, lambda x, y: x - y, True)

    def op_vvmax(self, c, i):
        self._vv(c, i, max, True)

    def op_vvmul(self, c, i):
        self._vv(c, i, lambda x, y: x * y, False)

    def op_vvsll(self, c, i):
        self._vv(c, i, lambda x, s: x << min(max(s, 0), 31), False)

    def op_vvsra(self, c, i):
        self._vv(c, i, lambda x, s: x >> min(max(s, 0), 31), False)  # Python >> floors

    def op_vvdmul(self, c, i):
        ob = byw(c.obiw)
        _, rs1, rs2 = self._vaddrs(c, i, ob, True)
        rd = c.regs[i["rd"]]  # offset_select bit 0 does not apply
        n = i["len"]
        a = self._read_vec(c, rs1, n, "rs1")
        b = self._read_vec(c, rs2, n, "rs2")
        self._write_vec(c, rd, [sum(x * y for x, y in zip(a, b))], ob, c.obiw, "rd")

    def _strided(self, c, base, stride, n, field):
        ib = byw(c.ibiw)
        addrs = [base + k * stride * ib for k in range(n)]
        for a in addrs:
            self.lcheck(c, a, ib, field)
        return addrs

    def op_vavg(self, c, i):
        n = i["len"]
        if n == 0:
            raise self._err(c, "len", "vavg of zero elements")
        ib, ob = byw(c.ibiw), byw(c.obiw)
        base = c.regs[i["rs1"]] + i["off"] * ib
        stride = s32(c.regs[i["rs2"]])
        addrs = self._strided(c, base, stride, n, "rs1")
        total = sum(self.rd_elem(c.lmem, a, ib, c.ibiw) for a in addrs)
        self._write_vec(c, c.regs[i["rd"]], [total // n], ob, c.obiw, "rd")  # // floors

    def _unary(self, c, i, fn, out_in):
        w = c.ibiw if out_in else c.obiw
        bw = byw(w)
        rd, rs1, _ = self._vaddrs(c, i, bw, False)
        a = self._read_vec(c, rs1, i["len"], "rs1")
        self._write_vec(c, rd, [fn(x) for x in a], bw, w, "rd")

    def op_vrelu(self, c, i):
        self._unary(c, i, lambda x: max(x, 0), True)

    def op_vsigm(self, c, i):
        f = self.cfg.frac_bits
        self._unary(c, i, lambda x: plan_sigm_fixed(x, f), False)

    def op_vtanh(self, c, i):
        f = self.cfg.frac_bits
        self._unary(c, i, lambda x: plan_tanh_fixed(x, f), False)

    def op_vmv(self, c, i):
        n = i["len"]
        ib = byw(c.ibiw)
        stride = s32(c.regs[i["rs2"]])
        addrs = self._strided(c, c.regs[i["rs1"]], stride, n, "rs1")
        rd = c.regs[i["rd"]]
        self.lcheck(c, rd, n * ib, "rd")
        for a in addrs:  # choice 9: any source element intersecting the destination
            if n and a < rd + n * ib and rd < a + ib:
                raise self._err(c, "rd", "vmv source element at %d overlaps destination "
                                "%d..%d" % (a, rd, rd + n * ib - 1))
        vals = [self.rd_elem(c.lmem, a, ib, c.ibiw) for a in addrs]
        self._write_vec(c, rd, vals, ib, c.ibiw, "rd")

    def _resize(self, c, i, fn):
        ib, ob = byw(c.ibiw), byw(c.obiw)
        rd, rs1, _ = self._vaddrs(c, i, ob, False)
        n = i["len"]
        bound = s32(c.regs[i["rs2"]])
        a = self._read_vec(c, rs1, n, "rs1")
        self.lcheck(c, rd, n * ob, "rd")
        if ob > ib and n > 0 and rs1 < rd + n * ob and rd < rs1 + n * ib:
            raise self._err(c, "rd", "%s input %d..%d and output %d..%d overlap while the "
                            "byte width grows" % (i["op"], rs1, rs1 + n * ib - 1, rd,
                                                  rd + n * ob - 1))
        self._write_vec(c, rd, [fn(x, bound) for x in a], ob, c.obiw, "rd")

    def op_vrsu(self, c, i):
        self._resize(c, i, min)

    def op_vrsl(self, c, i):
        self._resize(c, i, max)

    # ---- transfers
    def _sel(self, i, bit):
        return i["off"] if i["sel"] & bit else 0

    def op_ld(self, c, i):
        n = i["len"]
        src = self.gaddr(c, i["rs1"], self._sel(i, 2))
        dst = self.laddr(c, i["rd"], self._sel(i, 1))
        self.gcheck(c, src, n, "rs1")
        self.lcheck(c, dst, n, "rd")
        c.lmem[dst:dst + n] = self.gmem[src:src + n]

    def op_st(self, c, i):
        n = i["len"]
        dst = self.gaddr(c, i["rd"], self._sel(i, 1))
        src = self.laddr(c, i["rs1"], self._sel(i, 2))
        self.lcheck(c, src, n, "rs1")
        self.gcheck(c, dst, n, "rd")
        self.gmem[dst:dst + n] = c.lmem[src:src + n]

    def op_lldi(self, c, i):
        n = i["len"]
        dst = self.laddr(c, i["rd"], i["off"])
        self.lcheck(c, dst, n, "rd")
        c.lmem[dst:dst + n] = bytes([i["imm"] & 0xFF]) * n

    def op_lmv(self, c, i):
        n = i["len"]
        dst = self.laddr(c, i["rd"], self._sel(i, 1))
        src = self.laddr(c, i["rs1"], self._sel(i, 2))
        self.lcheck(c, src, n, "rs1")
        self.lcheck(c, dst, n, "rd")
        if n > 0 and src < dst + n and dst < src + n:
            raise self._err(c, "rd", "lmv source %d..%d overlaps destination %d..%d"
                            % (src, src + n - 1, dst, dst + n - 1))
        c.lmem[dst:dst + n] = c.lmem[src:src + n]

    def op_sync(self, c, i):
        t = self.cores[i["core"]]
        t.events[i["ev"]] = (t.events[i["ev"]] + 1) & MASK32


# --------------------------------------------------------------------------- vectors

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
VECTOR_KEYS = {"id", "comment", "config", "program", "init", "expected", "error"}


def read_json(path):
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise Malformed("%s: cannot read JSON: %s" % (path, e))


def region_bytes(reg, where):
    """(addr, bytes) of a region object."""
    if not isinstance(reg, dict) or "addr" not in reg:
        raise Malformed("%s: region must be an object with addr" % where)
    addr = reg["addr"]
    if not _is_int(addr) or addr < 0:
        raise Malformed("%s: addr must be an integer >= 0" % where)
    keys = set(reg)
    if keys == {"addr", "hex"}:
        h = reg["hex"]
        if not isinstance(h, str) or not re.fullmatch(r"([0-9a-fA-F]{2})*", h):
            raise Malformed("%s: hex must be an even-length hex string" % where)
        return addr, bytes.fromhex(h)
    if keys == {"addr", "bytes", "elems"}:
        w = reg["bytes"]
        if not _is_int(w) or not 1 <= w <= 4:
            raise Malformed("%s: bytes must be 1..4" % where)
        el = reg["elems"]
        if not isinstance(el, list):
            raise Malformed("%s: elems must be an array" % where)
        out = bytearray()
        for v in el:
            if not _is_int(v) or not -(1 << (8 * w - 1)) <= v < (1 << (8 * w)):
                raise Malformed("%s: element %r does not fit %d bytes" % (where, v, w))
            out += (v & ((1 << (8 * w)) - 1)).to_bytes(w, "little")
        return addr, bytes(out)
    raise Malformed("%s: region needs addr and hex, or addr, bytes and elems" % where)


def _core_key(k, ncores, where):
    m = re.fullmatch(r"core(0|[1-9][0-9]*)", k)
    if not m:
        raise Malformed("%s: unknown key %r" % (where, k))
    c = int(m.group(1))
    if c >= ncores:
        raise Malformed("%s: %s beyond the machine's %d cores" % (where, k, ncores))
    return c


def _indexed(d, prefix, where, lo, hi):
    if not isinstance(d, dict):
        raise Malformed("%s must be an object" % where)
    out = {}
    for k, v in d.items():
        m = re.fullmatch(prefix + r"(0|[1-9][0-9]?)", k)
        if not m or int(m.group(1)) >= 32:
            raise Malformed("%s: bad key %r" % (where, k))
        if not _is_int(v) or not lo <= v < hi:
            raise Malformed("%s.%s: value %r out of range" % (where, k, v))
        out[int(m.group(1))] = v & MASK32
    return out


def groups_fit(cfg, groups, where):
    total = 0
    for g in groups:
        cells = -(-g["mbiw"] // cfg.cell_precision)
        per = cfg.xbar_cols // cells
        if per == 0:
            raise Malformed("%s: a %d-bit weight does not fit a crossbar row" % (where, g["mbiw"]))
        total += -(-len(g["weights"][0]) // per)
    if total > cfg.xbar_array_count:
        raise Malformed("%s: groups need %d crossbars, the core has %d"
                        % (where, total, cfg.xbar_array_count))


def apply_init(m, init):
    if not isinstance(init, dict):
        raise Malformed("init must be an object")
    for k, v in init.items():
        if k == "gmem":
            for r in _regions(v, "init.gmem"):
                addr, data = r
                if addr + len(data) > m.cfg.global_size:
                    raise Malformed("init.gmem region at %d outside the global memory" % addr)
                m.gmem[addr:addr + len(data)] = data
            continue
        c = _core_key(k, m.ncores, "init")
        core = m.cores[c]
        if not isinstance(v, dict):
            raise Malformed("init.%s must be an object" % k)
        for kk, vv in v.items():
            where = "init.%s.%s" % (k, kk)
            if kk == "regs":
                for r, val in _indexed(vv, "r", where, -(1 << 31), 1 << 32).items():
                    core.regs[r] = val
            elif kk == "events":
                for e, val in _indexed(vv, "e", where, 0, 1 << 32).items():
                    core.events[e] = val
            elif kk == "lmem":
                for addr, data in _regions(vv, where):
                    if addr + len(data) > m.cfg.local_size:
                        raise Malformed("%s: region at %d outside the local memory" % (where, addr))
                    core.lmem[addr:addr + len(data)] = data
            elif kk == "groups":
                if not isinstance(vv, list):
                    raise Malformed("%s must be an array" % where)
                glist = []
                for g in vv:
                    if not isinstance(g, dict) or set(g) != {"index", "mbiw", "weights"}:
                        raise Malformed("%s: a group has index, mbiw and weights" % where)
                    gi, mb, w = g["index"], g["mbiw"], g["weights"]
                    if not _is_int(gi) or not 0 <= gi <= 15 or gi in core.groups:
                        raise Malformed("%s: bad or repeated group index %r" % (where, gi))
                    if not _is_int(mb) or not 1 <= mb <= 32:
                        raise Malformed("%s: mbiw must be 1..32" % where)
                    if (not isinstance(w, list) or not w or not isinstance(w[0], list)
                            or not w[0]):
                        raise Malformed("%s: weights must be a non-empty array of rows" % where)
                    cols = len(w[0])
                    for row in w:
                        if not isinstance(row, list) or len(row) != cols:
                            raise Malformed("%s: weight rows differ in length" % where)
                        for x in row:
                            if not _is_int(x) or not -(1 << (mb - 1)) <= x < (1 << (mb - 1)):
                                raise Malformed("%s: weight %r outside %d bits" % (where, x, mb))
                    if len(w) > m.cfg.xbar_rows:
                        raise Malformed("%s: %d rows exceed xbar_size[0] = %d"
                                        % (where, len(w), m.cfg.xbar_rows))
                    core.groups[gi] = (mb, [list(r) for r in w])
                    glist.append(g)
                groups_fit(m.cfg, glist, where)
            else:
                raise Malformed("%s: unknown key" % where)


def _regions(v, where):
    if not isinstance(v, list):
        raise Malformed("%s must be an array of regions" % where)
    return [region_bytes(r, "%s[%d]" % (where, n)) for n, r in enumerate(v)]


def load_vector(path):
    """Reads and structurally checks a vector file. Returns (vector dict, Config)."""
    vec = read_json(path)
    if not isinstance(vec, dict):
        raise Malformed("%s: a vector is a JSON object" % path)
    for k in vec:
        if k not in VECTOR_KEYS:
            raise Malformed("%s: unknown top-level key %r" % (path, k))
    if not isinstance(vec.get("id"), str) or not ID_RE.match(vec["id"]):
        raise Malformed("%s: id missing or not matching ^[a-z0-9][a-z0-9._-]*$" % path)
    if "comment" in vec and not isinstance(vec["comment"], str):
        raise Malformed("%s: comment must be a string" % path)
    if "program" not in vec:
        raise Malformed("%s: program missing" % path)
    if ("expected" in vec) == ("error" in vec):
        raise Malformed("%s: exactly one of expected and error" % path)
    if "error" in vec:
        e = vec["error"]
        if not isinstance(e, dict) or e.get("kind") not in ("input", "exec", "deadlock"):
            raise Malformed("%s: error.kind must be input, exec or deadlock" % path)
        for k in e:
            if k not in ("kind", "core", "index", "field", "text"):
                raise Malformed("%s: unknown key error.%s" % (path, k))
        for k in ("core", "index"):
            if k in e and (not _is_int(e[k]) or e[k] < 0):
                raise Malformed("%s: error.%s must be an integer >= 0" % (path, k))
        for k in ("field", "text"):
            if k in e and not isinstance(e[k], str):
                raise Malformed("%s: error.%s must be a string" % (path, k))
    cfgv = vec.get("config")
    if cfgv is None:
        cfg = Config()
    elif isinstance(cfgv, str):
        cpath = os.path.join(os.path.dirname(os.path.abspath(path)), cfgv)
        cfg = parse_config(read_json(cpath))
    elif isinstance(cfgv, dict):
        cfg = parse_config(cfgv)
    else:
        raise Malformed("%s: config must be a path or an object" % path)
    return vec, cfg


def run_vector(vec, cfg):
    """Validates and runs a vector's program. Returns (machine or None, PimError or None).
    Raises Malformed for a bad init section."""
    try:
        ncores, progs = validate_program(vec["program"], cfg.core_cnt)
    except PimError as e:
        return None, e
    m = Machine(cfg, ncores, progs)
    apply_init(m, vec.get("init", {}))
    try:
        m.run()
    except PimError as e:
        return m, e
    return m, None


def compare_expected(m, expected):
    """Returns a list of differences between a finished machine and vector["expected"]."""
    diffs = []
    if not isinstance(expected, dict):
        raise Malformed("expected must be an object")
    for k, v in expected.items():
        if k == "gmem":
            for addr, data in _regions(v, "expected.gmem"):
                got = bytes(m.gmem[addr:addr + len(data)])
                if addr + len(data) > len(m.gmem):
                    raise Malformed("expected.gmem region at %d outside memory" % addr)
                if got != data:
                    diffs.append("gmem[%d..]: expected %s, got %s" % (addr, data.hex(), got.hex()))
            continue
        c = _core_key(k, m.ncores, "expected")
        core = m.cores[c]
        if not isinstance(v, dict):
            raise Malformed("expected.%s must be an object" % k)
        for kk, vv in v.items():
            where = "expected.%s.%s" % (k, kk)
            if kk == "regs":
                for r, val in _indexed(vv, "r", where, -(1 << 31), 1 << 32).items():
                    if core.regs[r] != val:
                        diffs.append("core%d r%d: expected %d, got %d" % (c, r, val, core.regs[r]))
            elif kk == "events":
                for e, val in _indexed(vv, "e", where, 0, 1 << 32).items():
                    if core.events[e] != val:
                        diffs.append("core%d e%d: expected %d, got %d"
                                     % (c, e, val, core.events[e]))
            elif kk == "lmem":
                for addr, data in _regions(vv, where):
                    if addr + len(data) > len(core.lmem):
                        raise Malformed("%s: region at %d outside memory" % (where, addr))
                    got = bytes(core.lmem[addr:addr + len(data)])
                    if got != data:
                        diffs.append("core%d lmem[%d..]: expected %s, got %s"
                                     % (c, addr, data.hex(), got.hex()))
            else:
                raise Malformed("%s: unknown key" % where)
    return diffs


def check_vector(path):
    """Runs one vector file. Returns (id, list of failure reasons). Raises Malformed."""
    vec, cfg = load_vector(path)
    m, err = run_vector(vec, cfg)
    reasons = []
    if "error" in vec:
        want = vec["error"]
        if err is None:
            reasons.append("expected a %s error, the run ended without error" % want["kind"])
        else:
            if err.kind != want["kind"]:
                reasons.append("expected a %s error, got %s" % (want["kind"], err))
            for k in ("core", "index", "field"):
                if k in want and getattr(err, k) != want[k]:
                    reasons.append("expected error %s %r, got %r (%s)"
                                   % (k, want[k], getattr(err, k), err))
    else:
        if err is not None:
            reasons.append("unexpected %s" % err)
        else:
            reasons.extend(compare_expected(m, vec["expected"]))
    return vec["id"], reasons


def main(argv):
    if len(argv) != 2:
        print("usage: pimref.py VECTOR.json", file=sys.stderr)
        return 2
    try:
        vec, cfg = load_vector(argv[1])
        m, err = run_vector(vec, cfg)
    except Malformed as e:
        print("malformed: %s" % e, file=sys.stderr)
        return 2
    if err:
        print(json.dumps(err.as_dict()))
        return 2
    print(json.dumps({"ok": True, "executed": m.executed, "adc_clips": m.adc_clips}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
