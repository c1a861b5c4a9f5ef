#!/usr/bin/env python3
"""real_slice - run a slice of a real PIMCOMP-NN stream on the independent Python model.

    python3 tests/pyref/real_slice.py STREAM.json[.gz] --config ARCH.json --dialect pimcomp
        --seed S --cores LIST [--max-insns N]
    python3 tests/pyref/real_slice.py --self-test
    python3 tests/pyref/real_slice.py --slices tests/data/real/slices.json [--write]

Plain Python 3, standard library only, built on pimref.py (the reference model of the
numeric profile). Written from the profile (/work/shared/spec/profile.md), docs/isa.md and
the issue-6 and issue-13 rules for the pimcomp dialect (docs/dialects.md rules 1-11), never
from the C code. It derives the expected
values of tests/data/real/slices.json (see tests/data/real/README.md).

What it does, in order:
  1. loads the stream in the pimcomp dialect: ld/sld take the global address from the one
     register rs1, st from rd; lmv/lldi give their byte count in len; send names its local
     address register in rd; integral floats (0.0) are integers; mvmul.group is a core-local
     index into config.array_group_map (group g of core c: k_g crossbars, xbar_size[0] rows by
     floor(xbar_size[1] / ceil(mbiw / cell_precision)) * k_g columns, mbiw from the mvmuls
     that use it). Only groups used by some mvmul get weights. config.core_cnt counts the
     cores named; the machine has core0 up to the highest name (rule 10). A fractional lldi
     imm is a fixed-point constant paired with the vvmul that reads it (rule 9,
     fixed_point below); that vvmul rescales with Fraction arithmetic. A raw stream is
     converted with its VerificationInfo first (convert_raw).
  2. computes the input region E over the whole program (before the restriction): per core,
     a walk tracking which registers hold a known constant; E = max end of all ld/sld reads,
     clamped to the global memory; an unknown address makes E the whole global memory.
  3. fills GMem[0, E) from the seed (splitmix64, state seed ^ 0x676d656d); the weights of
     group (c, i) from state seed ^ (c << 32) ^ (i << 16) ^ 0x77.
  4. restricts to LIST: other cores lose their instructions, a send/recv of a kept core
     whose peer is not kept becomes a nop.
  5. runs round-robin (pimref.Machine.run), stopping before a step once executed >= N.
  6. prints executed, the gmem hash, each core's pc and lmem hash, and the state hash
     (the memory hash over the 8-byte LE gmem hash followed by each core's lmem hash).
"""

import argparse
import os
from fractions import Fraction
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pimref  # noqa: E402
from pimref import PimError, MASK32, byw  # noqa: E402

GMEM_SEED_XOR = 0x676d656d

VECTOR_OPS = {"vvadd", "vvsub", "vvmul", "vvdmul", "vvmax", "vvsll", "vvsra", "vavg", "vrelu",
              "vtanh", "vsigm", "vmv", "vrsu", "vrsl"}
BARE_OFFSET = {"sld", "vavg", "lldi", "send", "recv"}
SCALAR_WRITERS = {"sldi", "sld", "sadd", "ssub", "smul", "saddi", "smuli"}


# --------------------------------------------------------------------------- dialect


def _num(v, core, index, op, field):
    """An integer field: an int, or (pimcomp rule 4) a float with an integral value."""
    if type(v) is int:
        return v
    if type(v) is float and v.is_integer():
        return int(v)
    raise PimError("input", "%s must be an integer, not %r" % (field, v), core=core,
                   index=index, field=field, op=op)


def _field(raw, key, core, index, op):
    if key.startswith("offset."):
        off = raw.get("offset", {})
        if not isinstance(off, dict):
            raise PimError("input", "offset is not an object", core=core, index=index,
                           field="offset", op=op)
        v = off.get(key[7:], 0)
    else:
        v = raw.get(key, 0)
    return _num(v, core, index, op, key)


def normalize_pimcomp(raw, core, index, ncores):
    """One pimcomp instruction -> the normalised dict of pimref (the keys Machine reads).
    Lenient on ranges the stream never exercises; strict on the dialect's own rules."""
    if not isinstance(raw, dict) or not isinstance(raw.get("op"), str):
        raise PimError("input", "instruction is not an object with an op", core=core,
                       index=index, field="op")
    op = raw["op"]
    if op not in pimref.OPS:
        raise PimError("input", "unknown op %r" % op, core=core, index=index, field="op")

    def f(k):
        return _field(raw, k, core, index, op)

    ln, size = f("len"), f("size")
    if op in ("lmv", "lldi"):
        # rule 2: byte count in len (or size); both non-zero and different: refused
        if ln and size and ln != size:
            raise PimError("input", "%s gives len %d and size %d" % (op, ln, size), core=core,
                           index=index, field="len", op=op)
        count = ln or size
    elif op in ("ld", "st", "send", "recv"):
        count = size
    else:
        count = ln
    if not 0 <= count <= MASK32:  # rule 6
        raise PimError("input", "len/size %d outside 0..2^32-1" % count, core=core,
                       index=index, field="len", op=op)
    rd, rs1, rs2 = f("rd"), f("rs1"), f("rs2")
    if op == "send":
        # rule 3: the local address register is in rd (rs1 accepted too); conflict refused
        if rd and rs1 and rd != rs1:
            raise PimError("input", "send names rd %d and rs1 %d" % (rd, rs1), core=core,
                           index=index, field="rd", op=op)
        rs1, rd = rd or rs1, 0
    for k, v in (("rd", rd), ("rs1", rs1), ("rs2", rs2)):
        if not 0 <= v <= 31:
            raise PimError("input", "%s = %d out of range" % (k, v), core=core, index=index,
                           field=k, op=op)
    frac_imm = raw.get("imm")
    if op == "lldi" and type(frac_imm) is float and not frac_imm.is_integer():
        imm = 0  # rule 9: the byte comes from the pairing with its vvmul (fixed_point)
    else:
        imm = f("imm")
    sel = 0 if op in BARE_OFFSET else f("offset.offset_select")
    off = f("offset_value") if op == "sld" else f("offset.offset_value")
    peer = f("core")
    if op in ("send", "recv", "sync") and not 0 <= peer < ncores:
        raise PimError("input", "core %d does not exist" % peer, core=core, index=index,
                       field="core", op=op)
    if op in ("send", "recv") and peer == core:
        raise PimError("input", "%s to its own core" % op, core=core, index=index,
                       field="core", op=op)
    ins = {
        "op": op, "rd": rd, "rs1": rs1, "rs2": rs2,
        "imm": imm & (0xFF if op == "lldi" else MASK32),
        "len": count, "core": peer, "mbiw": f("mbiw"), "group": f("group"),
        "relu": f("relu"), "ibiw": f("ibiw"), "obiw": f("obiw"),
        "ev": f("event_register"), "wval": f("wait_value"), "sel": sel, "off": off,
    }
    if op == "mvmul" and not 1 <= ins["mbiw"] <= 32:
        raise PimError("input", "mbiw must be 1..32", core=core, index=index, field="mbiw",
                       op=op)
    if op == "setbw" and not (1 <= ins["ibiw"] <= 32 and 1 <= ins["obiw"] <= 32):
        raise PimError("input", "widths must be 1..32", core=core, index=index, field="ibiw",
                       op=op)
    return ins


NOP = {"op": "nop", "rd": 0, "rs1": 0, "rs2": 0, "imm": 0, "len": 0, "core": 0, "mbiw": 0,
       "group": 0, "relu": 0, "ibiw": 0, "obiw": 0, "ev": 0, "wval": 0, "sel": 0, "off": 0}


def fixed_point(insns, c):
    """Rule 9 on one core's raw instructions: {index: (byte, F)} for each fractional lldi
    and {index: F} for the vvmul that reads it. The consumer is the next instruction that
    is not a scalar op (nop, sldi, sld, sadd, ssub, smul, saddi, smuli) or setbw; it must
    be a vvmul with exactly one operand inside the lldi's bytes, the other outside, at ibiw
    2..8. q = round(f * 2^F) (ties away from zero), F the largest in 0..31 with
    |q| <= 2^(ibiw-1) - 1."""
    lldis, muls = {}, {}
    regs = [0] * 32  # value, or None when unknown
    ibiw = 8
    pending = None  # (index, f, lo, hi)
    for i, x in enumerate(insns):
        op = x.get("op")
        if op in SCALAR_WRITERS or op == "nop":
            if op == "nop":
                continue
            rd = _num(x.get("rd", 0), c, i, op, "rd")
            if op == "sldi":
                regs[rd] = _num(x.get("imm", 0), c, i, op, "imm") & MASK32
            elif op == "sld":
                regs[rd] = None
            elif op in ("saddi", "smuli"):
                v = regs[_num(x.get("rs1", 0), c, i, op, "rs1")]
                imm = _num(x.get("imm", 0), c, i, op, "imm")
                regs[rd] = None if v is None else ((v + imm if op == "saddi" else v * imm)
                                                   & MASK32)
            else:
                a = regs[_num(x.get("rs1", 0), c, i, op, "rs1")]
                b = regs[_num(x.get("rs2", 0), c, i, op, "rs2")]
                regs[rd] = None if a is None or b is None else (
                    {"sadd": a + b, "ssub": a - b, "smul": a * b}[op] & MASK32)
            continue
        if op == "setbw":
            ibiw = _num(x.get("ibiw", 0), c, i, op, "ibiw")
            continue
        if pending is not None:
            li, f, lo, hi = pending
            pending = None
            if op != "vvmul":
                raise PimError("input", "fractional constant not read by a vvmul", core=c,
                               index=li, field="imm", op="lldi")
            n = _num(x.get("len", 0), c, i, op, "len")
            off = x.get("offset", {})
            sel = _num(off.get("offset_select", 0), c, i, op, "offset_select")
            ov = _num(off.get("offset_value", 0), c, i, op, "offset_value")
            ib = byw(ibiw)
            inside = []
            for reg, bit in (("rs1", 2), ("rs2", 4)):
                a = regs[_num(x.get(reg, 0), c, i, op, reg)]
                if a is None:
                    inside.append(None)
                    continue
                a0 = a + (ov * ib if sel & bit else 0)
                a1 = a0 + n * ib
                inside.append("in" if lo <= a0 and a1 <= hi and a1 > a0 else
                              "over" if a0 < hi and lo < a1 else "out")
            if sorted(inside, key=str) != ["in", "out"] or not 2 <= ibiw <= 8:
                raise PimError("input", "vvmul does not read the fractional constant as rule 9 "
                               "says (%s, ibiw %d)" % (inside, ibiw), core=c, index=i,
                               field="rs1", op="vvmul")
            lim = 2 ** (ibiw - 1) - 1
            q, F = pimref.round_half_away(Fraction(f)), 0
            for s in range(1, 32):
                t = pimref.round_half_away(Fraction(f) * 2 ** s)
                if abs(t) > lim:
                    break
                q, F = t, s
            if abs(q) > lim:
                raise PimError("input", "%r does not fit a byte" % f, core=c, index=li,
                               field="imm", op="lldi")
            lldis[li] = (q & 0xFF, F)
            muls[i] = F
            continue
        v = x.get("imm")
        if op == "lldi" and type(v) is float and not v.is_integer():
            r = regs[_num(x.get("rd", 0), c, i, op, "rd")]
            if r is None:
                raise PimError("input", "unknown address", core=c, index=i, field="imm",
                               op="lldi")
            lo = r + _num(x.get("offset", {}).get("offset_value", 0), c, i, op, "offset_value")
            n = _num(x.get("len", 0), c, i, op, "len") or _num(x.get("size", 0), c, i, op, "size")
            pending = (i, v, lo, lo + n)
    if pending is not None:
        raise PimError("input", "the core ends before the fractional constant is read",
                       core=c, index=pending[0], field="imm", op="lldi")
    return lldis, muls


class LazyProgram:
    """A core's instructions, normalised on first access (a real stream has ~10^6 of them;
    a slice touches a few thousand). A send/recv whose peer is not kept reads as a nop.
    Rule 9's fixed-point pairs are worked out for the whole core first."""

    def __init__(self, raw, core, ncores, kept):
        self.raw = raw
        self.core = core
        self.ncores = ncores
        self.kept = kept
        self.cache = {}
        self.lldis, self.muls = fixed_point(raw, core)
        self.converted = len(self.lldis)

    def __len__(self):
        return len(self.raw)

    def __getitem__(self, i):
        ins = self.cache.get(i)
        if ins is None:
            ins = normalize_pimcomp(self.raw[i], self.core, i, self.ncores)
            if ins["op"] in ("send", "recv") and ins["core"] not in self.kept:
                ins = dict(NOP)
            if i in self.lldis:
                ins["imm"], ins["frac"] = self.lldis[i]
            if i in self.muls:
                ins["frac"] = self.muls[i]
            self.cache[i] = ins
        return ins


# --------------------------------------------------------------------------- program


def core_lists(stream):
    """(ncores, [raw instruction list per core])."""
    cores = {}
    for k, v in stream.items():
        if k == "config":
            continue
        if not (k.startswith("core") and k[4:].isdigit()):
            raise PimError("input", "unknown program key %r" % k, field=k)
        if not isinstance(v, list):
            raise PimError("input", "%s is not an array" % k, field=k)
        cores[int(k[4:])] = v
    pc = stream.get("config", {})
    n = pc.get("core_cnt")
    top = (max(cores) + 1) if cores else 1
    # pimcomp: core_cnt counts the cores named; the names may have gaps (absent cores idle)
    if n is not None and _num(n, None, None, None, "core_cnt") != len(cores):
        raise PimError("input", "core_cnt %s, but %d cores named" % (n, len(cores)),
                       field="core_cnt")
    return top, [cores.get(c, []) for c in range(top)]


def group_table(stream, raw, cfg):
    """Per core: {group index: (mbiw, rows, cols)} for the groups used by some mvmul, shaped
    from config.array_group_map (rule 5). mbiw from the mvmuls; two mbiws for one group are
    refused (at the second mvmul)."""
    agm = stream.get("config", {}).get("array_group_map", {})
    p = cfg.cell_precision
    tables = []
    for c, insns in enumerate(raw):
        counts = agm.get("core%d" % c, [])
        mb = {}
        for i, x in enumerate(insns):
            if x.get("op") != "mvmul":
                continue
            g = _num(x.get("group", 0), c, i, "mvmul", "group")
            m = _num(x.get("mbiw", 0), c, i, "mvmul", "mbiw")
            if g in mb and mb[g] != m:
                raise PimError("input", "group %d used with mbiw %d and %d" % (g, mb[g], m),
                               core=c, index=i, field="mbiw", op="mvmul")
            mb[g] = m
        t = {}
        for g, m in mb.items():
            if 0 <= g < len(counts):  # an index with no group: execution error when run
                k = _num(counts[g], c, None, None, "array_group_map")
                cells = -(-m // p)
                t[g] = (m, cfg.xbar_rows, (cfg.xbar_cols // cells) * k)
        tables.append(t)
    return tables


def input_end(raw, gsize):
    """E = gmem_input_end over the whole program (pimcomp: one-register global address)."""
    end = 0
    for c, insns in enumerate(raw):
        known = [0] * 32  # value, or None when unknown; all start known = 0
        for i, x in enumerate(insns):
            op = x.get("op")
            if op in SCALAR_WRITERS:
                rd = _num(x.get("rd", 0), c, i, op, "rd")
                if op == "sldi":
                    known[rd] = _num(x.get("imm", 0), c, i, op, "imm") & MASK32
                elif op == "sld":
                    a = known[_num(x.get("rs1", 0), c, i, op, "rs1")]
                    if a is None:
                        return gsize
                    a += _num(x.get("offset_value", 0), c, i, op, "offset_value")
                    end = max(end, a + 4)
                    known[rd] = None
                elif op in ("saddi", "smuli"):
                    v = known[_num(x.get("rs1", 0), c, i, op, "rs1")]
                    imm = _num(x.get("imm", 0), c, i, op, "imm")
                    known[rd] = None if v is None else (
                        (v + imm if op == "saddi" else v * imm) & MASK32)
                else:
                    a = known[_num(x.get("rs1", 0), c, i, op, "rs1")]
                    b = known[_num(x.get("rs2", 0), c, i, op, "rs2")]
                    if a is None or b is None:
                        known[rd] = None
                    else:
                        known[rd] = ({"sadd": a + b, "ssub": a - b, "smul": a * b}[op]) & MASK32
            elif op == "ld":
                a = known[_num(x.get("rs1", 0), c, i, op, "rs1")]
                if a is None:
                    return gsize
                off = x.get("offset", {})
                if _num(off.get("offset_select", 0), c, i, op, "offset_select") & 2:
                    a += _num(off.get("offset_value", 0), c, i, op, "offset_value")
                end = max(end, a + _num(x.get("size", 0), c, i, op, "size"))
    return min(end, gsize)


def parse_cores(text, ncores):
    kept = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-", 1)
            lo, hi = int(lo), int(hi)
            if lo > hi:
                raise ValueError("bad range %r" % part)
            kept.update(range(lo, hi + 1))
        else:
            kept.add(int(part))
    bad = [c for c in kept if not 0 <= c < ncores]
    if bad:
        raise ValueError("core %d does not exist (%d cores)" % (min(bad), ncores))
    return kept


# --------------------------------------------------------------------------- machine


class RealMachine(pimref.Machine):
    """pimref.Machine with the pimcomp global address (one register) and seeded groups."""

    def __init__(self, cfg, ncores, progs, seed, groups, weight_bits=0):
        super().__init__(cfg, ncores, progs)
        self.seed = seed
        self.weight_bits = weight_bits
        self.gtables = groups
        self.prepared = {}  # (core, group) -> mvmul_planes_prepare result
        self.mvmuls = 0
        self.vvmul_nonzero = 0  # fixed-point vvmuls whose result is not all zeros

    def gaddr(self, core, reg, off_bytes):
        return core.regs[reg] + off_bytes  # rule 1: one 32-bit register

    def op_mvmul(self, c, i):
        g = self.gtables[c.idx].get(i["group"])
        if g is None:
            raise self._err(c, "group", "core %d has no array group %d" % (c.idx, i["group"]))
        mbiw, rows, cols = g
        if i["mbiw"] != mbiw:  # cannot happen: the group's mbiw comes from its mvmuls
            raise self._err(c, "mbiw", "mbiw %d differs from group %d's %d"
                            % (i["mbiw"], i["group"], mbiw))
        ib, ob = byw(c.ibiw), byw(c.obiw)
        src = c.regs[i["rs1"]]
        dst = c.regs[i["rd"]]
        self.lcheck(c, src, rows * ib, "rs1")
        self.lcheck(c, dst, cols * ob, "rd")
        key = (c.idx, i["group"])
        prep = self.prepared.get(key)
        if prep is None:
            w = pimref.seed_weights(self.seed, c.idx, i["group"], mbiw, rows, cols,
                                    self.weight_bits)
            prep = pimref.mvmul_planes_prepare(w, mbiw, self.cfg.cell_precision)
            self.prepared[key] = prep
        xs = [self.rd_elem(c.lmem, src + k * ib, ib, c.ibiw) for k in range(rows)]
        cfg = self.cfg
        ys, clips = pimref.mvmul_planes(prep, xs, c.ibiw, cfg.dac_resolution,
                                        cfg.adc_resolution, cfg.adc_clip, i["relu"], c.obiw)
        self.adc_clips += clips
        self.mvmuls += 1
        for j, y in enumerate(ys):
            self.wr_elem(c.lmem, dst + j * ob, ob, y)

    def op_vvmul(self, c, i):
        # rule 9: a vvmul that reads a fractional constant divides each product by 2^F,
        # rounded to nearest, ties away from zero (F = 0: the product)
        scale = Fraction(1, 2 ** i.get("frac", 0))
        self._vv(c, i, lambda x, y: pimref.round_half_away(x * y * scale), False)
        self.vvmul_nonzero += any(self.rd_elem(c.lmem, c.regs[i["rd"]] + k * byw(c.obiw),
                                               byw(c.obiw), c.obiw)
                                  for k in range(min(i["len"], 64))) if i.get("frac") else 0


def convert_raw(stream, raw, info_path):
    """The compiler's raw output made runnable with its VerificationInfo.json: on each
    core, the array groups its MVMULs use (instruction.core_list[c][*].source, global
    AG_info indices), sorted, become groups 0, 1, ...; config.array_group_map lists their
    AG_info crossbar_num. The k-th mvmul of core c is the k-th MVMUL of core_list[c]; its
    raw group must equal that group's crossbar count."""
    ver = pimref.read_json(info_path)
    ag = [g["crossbar_num"] for g in ver["AG_info"]]
    core_list = ver["instruction"]["core_list"]
    agm = {}
    for c, insns in enumerate(raw):
        ent = core_list[c] if c < len(core_list) else None
        srcs = [x["source"] for x in (ent or []) if x["operation"] == "MVMUL"]
        order = sorted(set(srcs))
        mv = [i for i, x in enumerate(insns) if x.get("op") == "mvmul"]
        if len(mv) != len(srcs):
            raise PimError("input", "core %d: %d mvmul, %d MVMUL in the info"
                           % (c, len(mv), len(srcs)), core=c, field="group")
        for i, src in zip(mv, srcs):
            if _num(insns[i].get("group", 0), c, i, "mvmul", "group") != ag[src]:
                raise PimError("input", "crossbar count differs", core=c, index=i,
                               field="group", op="mvmul")
            insns[i] = dict(insns[i], group=order.index(src))
        if order:
            agm["core%d" % c] = [ag[g] for g in order]
    stream.setdefault("config", {})["array_group_map"] = agm


def run_slice(stream_path, config_path, seed, cores_text, max_insns, log=None, weight_bits=0,
              input_bits=0, pimcomp_info=None):
    """Returns (lines to print, info dict). Raises PimError / Malformed / ValueError."""
    t0 = time.time()
    cfg = pimref.parse_config(pimref.read_json(config_path))
    stream = pimref.read_json(stream_path)
    if not isinstance(stream, dict):
        raise PimError("input", "a stream is a JSON object")
    ncores, raw = core_lists(stream)
    if pimcomp_info:
        convert_raw(stream, raw, pimcomp_info)
    if cfg.core_cnt is not None and ncores > cfg.core_cnt:
        raise PimError("input", "program has %d cores, the chip %d" % (ncores, cfg.core_cnt),
                       field="core_cnt")
    groups = group_table(stream, raw, cfg)
    end = input_end(raw, cfg.global_size)
    kept = parse_cores(cores_text, ncores)
    progs = [LazyProgram(raw[c] if c in kept else [], c, ncores, kept) for c in range(ncores)]
    m = RealMachine(cfg, ncores, progs, seed, groups, weight_bits)
    m.gmem[0:end] = pimref.seed_fill(seed, end, GMEM_SEED_XOR, input_bits)
    t1 = time.time()
    m.run(max_insns)
    t2 = time.time()
    ghash = pimref.hash_bytes(m.gmem)
    lines = ["executed %d" % m.executed, "gmem hash %016x" % ghash]
    zero_hash = None
    state = bytearray(ghash.to_bytes(8, "little"))
    for c in m.cores:
        if c.idx in kept:
            h = pimref.hash_bytes(c.lmem)
        else:  # never touched: a whole memory of zeros
            if zero_hash is None:
                zero_hash = pimref.hash_bytes(c.lmem)
            h = zero_hash
        state += h.to_bytes(8, "little")
        lines.append("core%d pc %d lmem %016x" % (c.idx, c.pc, h))
    lines.append("state hash %016x" % pimref.hash_bytes(state))
    t3 = time.time()
    ops = {}
    for c in m.cores:
        for k in range(min(c.pc, len(c.insns))):
            op = c.insns[k]["op"]
            ops[op] = ops.get(op, 0) + 1
    info = {"input_end": end, "ncores": ncores, "kept": sorted(kept), "ops": ops,
            "fixed_vvmul_nonzero": m.vvmul_nonzero,
            "converted": sum(p.converted for p in progs),
            "stopped": m.stopped, "adc_clips": m.adc_clips,
            "seconds": {"load": t1 - t0, "run": t2 - t1, "hash": t3 - t2}}
    return lines, info


# --------------------------------------------------------------------------- self-test


def self_test():
    """The bit-plane mvmul against mvmul_literal, the doc example, hash closed form."""
    rng = random.Random(6)
    # docs/isa.md section 6 example: p=2 d=2 a=3, ibiw=mbiw=4, obiw=8 -> bytes cd cf
    prep = pimref.mvmul_planes_prepare([[7, -8], [2, 3]], 4, 2)
    ys, clips = pimref.mvmul_planes(prep, [5, -3], 4, 2, 3, True, 0, 8)
    assert ys == [-51, -49] and clips == 2, (ys, clips)
    ntests = 0
    for _ in range(300):
        p = rng.choice([1, 2, 3, 4])
        d = rng.choice([1, 2, 3])
        a = rng.choice([2, 3, 5, 8, 10])
        mbiw = rng.randint(1, 12)
        ibiw = rng.randint(1, 12)
        obiw = rng.randint(1, 32)
        n = rng.randint(1, 40)
        m = rng.randint(1, 6)
        w = [[rng.randint(-(1 << (mbiw - 1)), (1 << (mbiw - 1)) - 1) for _ in range(m)]
             for _ in range(n)]
        xs = [rng.randint(-(1 << (ibiw - 1)), (1 << (ibiw - 1)) - 1) for _ in range(n)]
        clip = rng.random() < 0.8
        relu = rng.randint(0, 1)
        lit = pimref.mvmul_literal(w, mbiw, xs, ibiw, p, d, a, clip, relu, obiw)
        fast = pimref.mvmul_planes(pimref.mvmul_planes_prepare(w, mbiw, p), xs, ibiw, d, a,
                                   clip, relu, obiw)
        assert lit == fast, (p, d, a, mbiw, ibiw, lit, fast)
        ntests += 1
    # the reference shape: 128 rows, 32 columns, mbiw 8, p 2, d 1, a 8
    for _ in range(3):
        w = pimref.seed_weights(rng.getrandbits(64), 3, 7, 8, 128, 32)
        xs = [rng.randint(-128, 127) for _ in range(128)]
        lit = pimref.mvmul_literal(w, 8, xs, 8, 2, 1, 8, True, 0, 8)
        fast = pimref.mvmul_planes(pimref.mvmul_planes_prepare(w, 8, 2), xs, 8, 1, 8, True, 0, 8)
        assert lit == fast
        ntests += 1
    # hash: closed-form zero tail against the plain word loop
    for n in [0, 1, 7, 8, 9, 63, 64, 100, 4096 + 3]:
        for fill in range(3):
            buf = bytearray(n)
            if n and fill:
                for _ in range(fill * 3):
                    buf[rng.randrange(n)] = rng.randint(1, 255)
            h = pimref.FNV_OFFSET
            padded = bytes(buf) + bytes(-n % 8)
            for k in range(0, len(padded), 8):
                h = ((h ^ int.from_bytes(padded[k:k + 8], "little")) * pimref.FNV_PRIME) \
                    & pimref.MASK64
            h ^= n
            h ^= h >> 33
            h = (h * 0xff51afd7ed558ccd) & pimref.MASK64
            h ^= h >> 33
            h = (h * 0xc4ceb9fe1a85ec53) & pimref.MASK64
            h ^= h >> 33
            assert pimref.hash_bytes(buf) == h, n
            ntests += 1
    # splitmix64 known first output for state 0 (the published reference sequence)
    assert pimref.splitmix64(0)[1] == 0xe220a8397b1dcdaf
    print("self-test: %d checks passed" % (ntests + 2))
    return 0



def run_options(ap):
    """The options of a slice, as `pimcosim exec` takes them."""
    ap.add_argument("--dialect", default="pimcomp", choices=["pimcomp"])
    ap.add_argument("--seed", required=True, type=lambda s: int(s, 0))
    ap.add_argument("--cores", required=True)
    ap.add_argument("--max-insns", type=int, default=0)
    ap.add_argument("--weight-bits", type=int, default=0)
    ap.add_argument("--input-bits", type=int, default=0)
    ap.add_argument("--pimcomp-info", default=None)

def slices_file(path, write, quick=False):
    """Runs every slice of tests/data/real/slices.json (paths relative to the current
    directory, the repository root) and compares the model's lines with the recorded ones;
    with write, records them instead. Returns the exit code (1 on a difference)."""
    import json
    with open(path) as f:
        doc = json.load(f)
    failed = 0
    for sl in doc["slices"]:
        stream = os.path.join(doc["stream_dir"], sl["stream"])
        ap = argparse.ArgumentParser()
        run_options(ap)
        a = ap.parse_args(sl["args"].replace("STREAM_DIR", doc["stream_dir"]).split())
        if quick and not sl.get("quick"):
            continue
        t = time.time()
        lines, info = run_slice(stream, doc["config"], a.seed & pimref.MASK64, a.cores,
                                a.max_insns, weight_bits=a.weight_bits,
                                input_bits=a.input_bits, pimcomp_info=a.pimcomp_info)
        secs = time.time() - t
        kept = set(info["kept"])
        keep = [ln for ln in lines if not ln.startswith("core")
                or int(ln.split()[0][4:]) in kept]
        other = [ln.split()[-1] for ln in lines if ln.startswith("core")
                 and int(ln.split()[0][4:]) not in kept]
        exp = {"lines": keep, "other_cores": "pc 0 lmem %s" % (other[0] if other else "-")}
        if write:
            sl["expected"] = exp
            sl["executed_ops"] = dict(sorted(info["ops"].items()))
            sl["input_end"] = info["input_end"]
            sl["model_seconds"] = round(secs, 1)
            sl["fractional_lldi_converted"] = info["converted"]
            sl["fixed_vvmul_nonzero"] = info["fixed_vvmul_nonzero"]
            print("%s %s: recorded (%.1f s)" % (sl["stream"], sl["args"], secs))
        elif sl.get("expected") != exp:
            failed += 1
            print("FAIL %s %s:\n  recorded %s\n  model    %s"
                  % (sl["stream"], sl["args"], sl.get("expected"), exp))
        else:
            print("PASS %s %s (%.1f s)" % (sl["stream"], sl["args"], secs))
    if write:
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    return 1 if failed else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) >= 3 and argv[1] == "--slices" and argv[3:] in ([], ["--write"], ["--quick"]):
        return slices_file(argv[2], argv[3:] == ["--write"], argv[3:] == ["--quick"])
    ap = argparse.ArgumentParser(description="run a slice of a real stream on pimref")
    ap.add_argument("stream")
    ap.add_argument("--config", required=True)
    run_options(ap)
    ap.add_argument("--info", action="store_true", help="also print what ran, to stderr")
    args = ap.parse_args(argv[1:])
    try:
        lines, info = run_slice(args.stream, args.config, args.seed & pimref.MASK64,
                                args.cores, args.max_insns, weight_bits=args.weight_bits,
                                input_bits=args.input_bits, pimcomp_info=args.pimcomp_info)
    except PimError as e:
        print("real_slice: %s: %s" % (args.stream, e), file=sys.stderr)
        return 2
    except (pimref.Malformed, ValueError) as e:
        print("real_slice: %s" % e, file=sys.stderr)
        return 2
    print("\n".join(lines))
    if args.info:
        print(info, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
