#!/usr/bin/env python3
"""gen_vectors.py - writes pimcosim's shipped conformance vectors.

    python3 tests/pyref/gen_vectors.py [OUTDIR]     (default: <repo>/vectors)

Deterministic: every random choice comes from random.Random(seed) with a fixed seed per
vector, so rerunning rewrites byte-identical files. Expected values are computed by the
independent Python model (pimref.py), never by the C golden model. On top of that, a number
of values worked out by hand from spec/profile.md are asserted below (the `hand=` entries,
each with its arithmetic in a comment); the generator aborts if pimref disagrees.

Layout: OUTDIR/<class>/<id>.json, classes scalar matrix vector transfer sync multicore errors,
and the shared architecture configs in OUTDIR/configs/*.json (PIMSIM-NN layout).
"""

import json
import os
import random
import shutil
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep tests/pyref free of __pycache__
sys.path.insert(0, HERE)
import pimref  # noqa: E402

CLASSES = ["scalar", "matrix", "vector", "transfer", "sync", "multicore", "errors"]
LOCAL = 4096
GLOBAL = 65536

# --------------------------------------------------------------------------- configs


def pimsim_config(core_cnt=8, xbar=(128, 128), p=2, d=1, a=8, count=64, clip=None, frac=None,
                  local=LOCAL, glob=GLOBAL, extras=True):
    """A PIMSIM-NN architecture config with pimcosim's keys. Latency/power keys are included
    (extras) to show they are accepted and ignored."""
    mc = {"xbar_array_count": count, "xbar_size": list(xbar), "cell_precision": p,
          "dac_resolution": d, "adc_resolution": a}
    if clip is not None:
        mc["adc_clip"] = clip
    core = {"matrix_config": mc, "vector_width": 32,
            "local_memory_config": {"memory_size": local}}
    if frac is not None:
        core["vector_config"] = {"activation_frac_bits": frac}
    chip = {"core_cnt": core_cnt, "core_config": core,
            "global_memory_config": {"memory_size": glob}}
    if extras:
        mc.update({"period": 1, "pipeline_mode": True, "xbar_latency": 7, "adc_count": 16})
        core["period"] = 1
        core["vector_latency_cycle"] = 4
        core["local_memory_config"].update({"data_width": 64, "read_latency_cycle": 20})
        chip["global_memory_config"].update({"data_width": 32, "read_latency_cycle": 40})
    return {"chip_config": chip}


def reference_config():
    """The reference architecture (shared/reference/pimcomp-nn-config.json) with small
    memories added."""
    return {
        "chip_config": {
            "core_config": {
                "period": 1,
                "matrix_config": {
                    "xbar_array_count": 64, "period": 1, "pipeline_mode": True,
                    "dac_resolution": 1, "dac_count": 128, "xbar_size": [128, 128],
                    "cell_precision": 2, "xbar_latency": 7, "xbar_read_power": 22.24,
                    "sample_hold_latency_cycle": 1, "adc_resolution": 8,
                    "adc_latency_cycle": 20, "adc_static_power": 0.322,
                    "adc_dynamic_power": 1.135, "adc_count": 16,
                    "shift_adder_latency_cycle": 1, "output_buffer_latency_cycle": 1},
                "vector_width": 32, "vector_latency_cycle": 4,
                "local_memory_config": {"data_width": 64, "period": 1,
                                        "write_latency_cycle": 30, "read_latency_cycle": 20,
                                        "memory_size": LOCAL},
                "global_memory_switch_id": -10},
            "global_memory_config": {"data_width": 32, "period": 1, "write_latency_cycle": 50,
                                     "read_latency_cycle": 40, "memory_size": GLOBAL},
            "network_config": {"bus_topology": "mesh", "bus_width": 32, "layout": [12, 12],
                               "net_config_file_path": "network.json"},
            "core_cnt": 136, "global_memory_switch_id": -10},
        "sim_config": {"sim_mode": 0, "sim_time": 200, "report_verbose_level": 0}}


CONFIGS = {
    "small": pimsim_config(),
    "reference-small": reference_config(),
    "frac8": pimsim_config(frac=8),
    "frac0": pimsim_config(frac=0),
    "xbar-p1-d1-a3": pimsim_config(p=1, d=1, a=3),
    "xbar-p2-d2-a4": pimsim_config(p=2, d=2, a=4),
    "xbar-p4-d4-a6": pimsim_config(p=4, d=4, a=6),
    "xbar-p8-d4-a8": pimsim_config(p=8, d=4, a=8),
    "xbar-p2-d2-a3-ideal": pimsim_config(p=2, d=2, a=3, clip=False),
    # cells and DAC steps of 3 and 5 bits: they divide no common element width
    "xbar-p3-d3-a5": pimsim_config(p=3, d=3, a=5),
    "xbar-p5-d5-a7": pimsim_config(p=5, d=5, a=7),
    "xbar-p3-d5-a6": pimsim_config(p=3, d=5, a=6),
    "xbar-p5-d3-a9": pimsim_config(p=5, d=3, a=9),
    "xbar-p2-d2-a6": pimsim_config(p=2, d=2, a=6),
    "xbar-p2-d1-a9": pimsim_config(p=2, d=1, a=9),
    # an odd crossbar: 45 rows, 63 cell columns
    "xbar45x63-p3-d5-a7": pimsim_config(xbar=(45, 63), p=3, d=5, a=7),
}


def cfgref(name):
    return "../configs/%s.json" % name


SMALL = cfgref("small")

# --------------------------------------------------------------------------- helpers


def I(op, **kw):
    """One instruction; sel=/off= build the "offset" object."""
    d = {"op": op}
    sel, off = kw.pop("sel", None), kw.pop("off", None)
    d.update(kw)
    if sel is not None or off is not None:
        d["offset"] = {"offset_select": sel or 0, "offset_value": off or 0}
    return d


def el(addr, w, elems):
    return {"addr": addr, "bytes": w, "elems": list(elems)}


def setbw(i, o):
    return I("setbw", ibiw=i, obiw=o)


def sldi(rd, v):
    return I("sldi", rd=rd, imm=v)


VECTORS = []
HAND_COUNT = [0]


def vec(cls, name, comment, program, init=None, config=SMALL, check=(), hand=(), error=None,
        extra=None):
    """Registers a vector.
    check: observations whose values become "expected":
      ("lmem", core, addr, n, w)  n signed elements of w bytes
      ("hex", core, addr, nbytes) / ("gmem", addr, nbytes) / ("gmemel", addr, n, w)
      ("regs", core, [r...]) / ("events", core, [e...])
    hand: [(observation, values)]: values worked out by hand; asserted against pimref and
      then also listed in expected.
    error: the error the run must end in (asserted against pimref)."""
    assert cls in CLASSES
    vid = "%s.%s" % (cls, name)
    v = {"id": vid, "comment": comment}
    if config is not None:
        v["config"] = config
    if isinstance(program, list):
        program = {"core0": program}
    v["program"] = program
    if init:
        v["init"] = init
    VECTORS.append((cls, v, list(check), list(hand), error, extra))


def observe(m, ob):
    kind = ob[0]
    if kind == "lmem":
        _, c, addr, n, w = ob
        mem = m.cores[c].lmem
        return [pimref.sext(int.from_bytes(mem[addr + k * w:addr + (k + 1) * w], "little"), 8 * w)
                for k in range(n)]
    if kind == "gmemel":
        _, addr, n, w = ob
        return [pimref.sext(int.from_bytes(m.gmem[addr + k * w:addr + (k + 1) * w], "little"),
                            8 * w) for k in range(n)]
    if kind == "hex":
        _, c, addr, n = ob
        return bytes(m.cores[c].lmem[addr:addr + n]).hex()
    if kind == "gmem":
        _, addr, n = ob
        return bytes(m.gmem[addr:addr + n]).hex()
    if kind == "regs":
        _, c, rs = ob
        return [m.cores[c].regs[r] for r in rs]
    if kind == "events":
        _, c, es = ob
        return [m.cores[c].events[e] for e in es]
    raise ValueError(ob)


def add_expected(exp, ob, val):
    kind = ob[0]
    if kind in ("gmem", "gmemel"):
        lst = exp.setdefault("gmem", [])
        if kind == "gmem":
            lst.append({"addr": ob[1], "hex": val})
        else:
            lst.append(el(ob[1], ob[3], val))
        return
    core = exp.setdefault("core%d" % ob[1], {})
    if kind == "lmem":
        core.setdefault("lmem", []).append(el(ob[2], ob[4], val))
    elif kind == "hex":
        core.setdefault("lmem", []).append({"addr": ob[2], "hex": val})
    elif kind == "regs":
        core.setdefault("regs", {}).update({"r%d" % r: x for r, x in zip(ob[2], val)})
    elif kind == "events":
        core.setdefault("events", {}).update({"e%d" % e: x for e, x in zip(ob[2], val)})


def resolve_config(v, cls_dir):
    c = v.get("config")
    if c is None:
        return pimref.Config()
    if isinstance(c, str):
        return pimref.parse_config(pimref.read_json(os.path.normpath(os.path.join(cls_dir, c))))
    return pimref.parse_config(c)


def dump(obj, ind=0):
    """Pretty JSON: objects indented by 1, flat objects (an instruction) and arrays of scalars
    on one line, arrays of arrays one row per line (weights)."""
    sp = " " * ind
    if isinstance(obj, dict) and obj and all(
            (not isinstance(v, (list, dict)))
            or (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v))
            or (isinstance(v, dict) and all(not isinstance(x, (dict, list)) for x in v.values()))
            for v in obj.values()):
        one = json.dumps(obj)
        if len(one) + ind < 100:
            return one  # instructions, small regions: one line
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = ["%s %s: %s" % (sp, json.dumps(k), dump(v, ind + 1)) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + sp + "}"
    if isinstance(obj, list):
        if all(not isinstance(x, (dict, list)) for x in obj):
            # long rows (2047-element vectors, 256-column weights) without the spaces
            sep = "," if len(obj) > 200 else ", "
            return "[" + sep.join(json.dumps(x) for x in obj) + "]"
        if all(isinstance(x, list) for x in obj):
            return "[\n" + ",\n".join(sp + " " + dump(x, ind + 1) for x in obj) + "\n" + sp + "]"
        return "[\n" + ",\n".join(sp + " " + dump(x, ind + 1) for x in obj) + "\n" + sp + "]"
    return json.dumps(obj)


def generate(outdir):
    cfgdir = os.path.join(outdir, "configs")
    for d in CLASSES + ["configs"]:
        p = os.path.join(outdir, d)
        if os.path.isdir(p):
            shutil.rmtree(p)
        os.makedirs(p)
    for name, c in CONFIGS.items():
        with open(os.path.join(cfgdir, name + ".json"), "w") as f:
            f.write(dump(c) + "\n")
    ids = set()
    counts = {c: 0 for c in CLASSES}
    for cls, v, check, hand, error, extra in VECTORS:
        assert v["id"] not in ids, v["id"]
        ids.add(v["id"])
        cls_dir = os.path.join(outdir, cls)
        cfg = resolve_config(v, cls_dir)
        m, err = pimref.run_vector(v, cfg)
        if error is not None:
            assert err is not None, "%s: expected %s, ran without error" % (v["id"], error)
            for k in ("kind", "core", "index", "field"):
                if k in error:
                    assert getattr(err, k) == error[k], "%s: %s: want %r, pimref says %s" % (
                        v["id"], k, error[k], err)
            v["error"] = dict(error)
            v["error"].setdefault("text", err.msg)
        else:
            assert err is None, "%s: %s" % (v["id"], err)
            exp = {}
            for ob, want in hand:
                got = observe(m, ob)
                assert got == want, "%s: hand value %r at %r, pimref computes %r" % (
                    v["id"], want, ob, got)
                HAND_COUNT[0] += 1
            for ob in [h[0] for h in hand] + check:
                add_expected(exp, ob, observe(m, ob))
            assert exp, v["id"]
            v["expected"] = exp
        if extra:
            extra(m, v)
        text = dump(v) + "\n"
        assert len(text) < 300_000, v["id"]
        path = os.path.join(cls_dir, v["id"] + ".json")
        with open(path, "w") as f:
            f.write(text)
        counts[cls] += 1
        # round trip through the file
        rid, reasons = pimref.check_vector(path)
        assert not reasons, (rid, reasons)
    return counts


# =========================================================================== the vectors
# Register conventions below: r0..r9 hold local addresses; even/odd pairs for global ones.

# --------------------------------------------------------------------------- scalar

vec("scalar", "sldi.values",
    "sldi loads a 32-bit immediate; negative immediates are stored as two's complement",
    [sldi(1, 123456789), sldi(2, -1), sldi(3, 4294967295), sldi(4, -2147483648), sldi(31, 7)],
    hand=[(("regs", 0, [1, 2, 3, 4, 31]),
           # -1 mod 2^32 = 4294967295; -2^31 mod 2^32 = 2147483648
           [123456789, 4294967295, 4294967295, 2147483648, 7])])

vec("scalar", "sadd.wrap",
    "sadd wraps modulo 2^32",
    [sldi(1, 0xFFFFFFFF), sldi(2, 2), I("sadd", rd=3, rs1=1, rs2=2),
     sldi(4, 0x7FFFFFFF), I("sadd", rd=5, rs1=4, rs2=2), I("sadd", rd=1, rs1=1, rs2=1)],
    # 0xFFFFFFFF + 2 = 0x1_00000001 -> 1; 0x7FFFFFFF + 2 = 0x80000001 = 2147483649;
    # r1 = 0xFFFFFFFF + 0xFFFFFFFF = 0x1_FFFFFFFE -> 4294967294 (rd == rs1 == rs2)
    hand=[(("regs", 0, [3, 5, 1]), [1, 2147483649, 4294967294])])

vec("scalar", "ssub.wrap",
    "ssub wraps modulo 2^32 (0 - 1 = 0xFFFFFFFF)",
    [sldi(1, 0), sldi(2, 1), I("ssub", rd=3, rs1=1, rs2=2), I("ssub", rd=4, rs1=2, rs2=1),
     sldi(5, 1000), sldi(6, 58), I("ssub", rd=7, rs1=5, rs2=6)],
    hand=[(("regs", 0, [3, 4, 7]), [4294967295, 1, 942])])

vec("scalar", "smul.low32",
    "smul keeps the low 32 bits of the product",
    [sldi(1, 0x10000), sldi(2, 0x10001), I("smul", rd=3, rs1=1, rs2=2),
     sldi(4, -3), sldi(5, 7), I("smul", rd=6, rs1=4, rs2=5),
     sldi(7, -1), I("smul", rd=8, rs1=7, rs2=7)],
    # 0x10000 * 0x10001 = 0x1_0001_0000 -> 0x0001_0000 = 65536;
    # -3 * 7 = -21 -> 2^32 - 21 = 4294967275; (-1)*(-1) = 1
    hand=[(("regs", 0, [3, 6, 8]), [65536, 4294967275, 1])])

vec("scalar", "saddi.negative-imm",
    "saddi with negative immediates and an immediate of 2^32-1 (= -1 mod 2^32)",
    [sldi(1, 5), I("saddi", rd=2, rs1=1, imm=-7), I("saddi", rd=3, rs1=1, imm=4294967295),
     I("saddi", rd=4, rs1=0, imm=-2147483648), I("saddi", rd=1, rs1=1, imm=10)],
    # 5 - 7 = -2 -> 4294967294; 5 + (2^32 - 1) = 4 mod 2^32; 0 - 2^31 -> 2147483648; 5 + 10
    hand=[(("regs", 0, [2, 3, 4, 1]), [4294967294, 4, 2147483648, 15])])

vec("scalar", "smuli.wrap",
    "smuli wraps: 0x80000000 * 2 = 0; x * -1 = two's complement negation",
    [sldi(1, 0x80000000), I("smuli", rd=2, rs1=1, imm=2), sldi(3, 12345),
     I("smuli", rd=4, rs1=3, imm=-1), I("smuli", rd=5, rs1=3, imm=1000)],
    hand=[(("regs", 0, [2, 4, 5]), [0, 4294967296 - 12345, 12345000])])

vec("scalar", "sld.little-endian",
    "sld reads 4 bytes little-endian from GMem[pair + offset_value]",
    [sldi(2, 0), sldi(3, 0x100), I("sld", rd=1, rs1=2, offset_value=4),
     I("sld", rd=4, rs1=2), I("sld", rd=5, rs1=2, offset_value=-0x100)],
    init={"gmem": [{"addr": 0, "hex": "efbeadde"},
                   {"addr": 0x100, "hex": "0102030478563412"}]},
    # bytes 78 56 34 12 at 0x104 -> 0x12345678 = 305419896; 01 02 03 04 -> 0x04030201;
    # ef be ad de at 0 -> 0xdeadbeef = 3735928559
    hand=[(("regs", 0, [1, 4, 5]), [0x12345678, 0x04030201, 0xDEADBEEF])])

vec("scalar", "nop.does-nothing",
    "nop changes no register, event or memory",
    [I("nop"), sldi(1, 9), I("nop"), I("nop", rd=0, offset={"offset_select": 0, "offset_value": 0})],
    init={"core0": {"regs": {"r2": 77}, "lmem": [{"addr": 0, "hex": "aabb"}]}},
    check=[("regs", 0, [1, 2]), ("hex", 0, 0, 2)])

# --------------------------------------------------------------------------- matrix: setbw

vec("matrix", "setbw.reset-widths",
    "without setbw the widths are 8/8: vvadd saturates at 127 and uses 1-byte elements",
    [sldi(1, 0), sldi(2, 16), sldi(3, 32), I("vvadd", rd=3, rs1=1, rs2=2, len=3)],
    init={"core0": {"lmem": [el(0, 1, [100, -100, 5]), el(16, 1, [100, -100, 6])]}},
    hand=[(("lmem", 0, 32, 3, 1), [127, -128, 11])])

vec("matrix", "setbw.byte-widths",
    "setbw takes effect from the next instruction; ibyw/obyw = ceil(w/8) for 1..4 bytes",
    [sldi(1, 0), sldi(2, 64), sldi(3, 128), sldi(4, 256),
     setbw(8, 16), I("vrsl", rd=2, rs1=1, rs2=5, len=2),      # 1 -> 2 bytes
     setbw(16, 24), I("vrsl", rd=3, rs1=2, rs2=5, len=2),     # 2 -> 3 bytes
     setbw(24, 32), I("vrsl", rd=4, rs1=3, rs2=5, len=2)],    # 3 -> 4 bytes
    init={"core0": {"regs": {"r5": -2147483648}, "lmem": [el(0, 1, [-7, 100])]}},
    hand=[(("lmem", 0, 64, 2, 2), [-7, 100]), (("lmem", 0, 128, 2, 3), [-7, 100]),
          (("lmem", 0, 256, 2, 4), [-7, 100])])

# --------------------------------------------------------------------------- matrix: mvmul


def group(index, mbiw, w):
    return {"index": index, "mbiw": mbiw, "weights": w}


def rand_matrix(rng, n, m, mbiw):
    lo, hi = -(1 << (mbiw - 1)), (1 << (mbiw - 1)) - 1
    return [[rng.randint(lo, hi) for _ in range(m)] for _ in range(n)]


def rand_vec(rng, n, ibiw):
    return [rng.randint(-(1 << (ibiw - 1)), (1 << (ibiw - 1)) - 1) for _ in range(n)]


def exact_mv(w, x, relu, obiw):
    out = []
    for j in range(len(w[0])):
        y = sum(x[i] * w[i][j] for i in range(len(w)))
        if relu:
            y = max(y, 0)
        out.append(pimref.sat(y, obiw))
    return out


def mv_vector(name, comment, config, ibiw, obiw, mbiw, w, x, relu=0, expect_exact=None,
              hand=None, grp=0, in_place=False):
    """One mvmul: inputs at 0 (ibyw each), outputs at 1024 (or in place at 0).
    expect_exact: True asserts the result equals the exact dot product (ideal ADC or no clip
    possible); False asserts clipping changed it."""
    ib, ob = pimref.byw(ibiw), pimref.byw(obiw)
    out = 0 if in_place else 1024
    prog = [sldi(1, 0), sldi(2, out), setbw(ibiw, obiw),
            I("mvmul", rd=2, rs1=1, mbiw=mbiw, group=grp, relu=relu)]
    init = {"core0": {"lmem": [el(0, ib, x)], "groups": [group(grp, mbiw, w)]}}
    obs = ("lmem", 0, out, len(w[0]), ob)
    exact = exact_mv(w, x, relu, obiw)

    def extra(m, v):
        got = observe(m, obs)
        if expect_exact is True:
            assert got == exact, (v["id"], got, exact)
        elif expect_exact is False:
            assert got != exact and m.adc_clips > 0, (v["id"], got, exact)

    vec("matrix", name, comment, prog, init=init, config=config,
        hand=[(obs, hand)] if hand is not None else (), check=[] if hand is not None else [obs],
        extra=extra)


# Hand-worked 2x2 (profile steps 1-7), p = 2, d = 1, ibiw = mbiw = 2, obiw = 8.
#   W = [[1, -2], [-1, 1]] (row i = input, column j = output), x = [1, 1].
#   1. x' = x + 2 = [3, 3];  w' = w + 2 = [[3, 0], [1, 3]].
#   2. p = 2 >= mbiw: one slice, c = w'.
#   3. d = 1: steps k = 0, 1; u_k = bit k of x' = [1, 1] for both k.
#   4. s_j = c_0j + c_1j: column 0: 3 + 1 = 4, column 1: 0 + 3 = 3 (same for k = 0, 1).
#   5. ideal ADC: P_0 = 4*1 + 4*2 = 12, P_1 = 3*1 + 3*2 = 9.
#      a = 2 bits, clip at 3: s_0 = 4 -> 3, P_0 = 3 + 6 = 9; P_1 = 9 (3 is not clipped).
#   6. y_j = P_j - 2^(mbiw-1)*sum x' - 2^(ibiw-1)*sum_i w_ij = P_j - 2*6 - 2*colsum,
#      colsum = [0, -1]:  ideal: y = [12 - 12 - 0, 9 - 12 + 2] = [0, -1]  (= x.W exactly);
#      clipped: y = [9 - 12 - 0, -1] = [-3, -1].
HAND_W = [[1, -2], [-1, 1]]
mv_vector("mvmul.hand-2x2-ideal", "2x2 mvmul worked by hand, ideal ADC: the exact dot product",
          pimsim_config(p=2, d=1, a=2, clip=False, extras=False), 2, 8, 2, HAND_W, [1, 1],
          expect_exact=True, hand=[0, -1])
mv_vector("mvmul.hand-2x2-clip", "the same 2x2 with a 2-bit ADC: column 0's sum 4 reads as 3",
          pimsim_config(p=2, d=1, a=2, extras=False), 2, 8, 2, HAND_W, [1, 1],
          expect_exact=False, hand=[-3, -1])
# Hand-worked, p = 1, d = 1, a = 1: x = [1, -2] -> x' = [3, 0]: only row 0 drives, every
#   column sum is one cell (<= 1): nothing clips.  y = [1*1 + (-2)(-1), 1*(-2) + (-2)*1]
#   = [3, -4]; step by step: slices of w'_00 = 3 -> c = 1, 1; P_0 = 1+2+2+4 = 9,
#   P_1 = 0 (w'_01 = 0); y = [9 - 2*3 - 2*0, 0 - 6 - 2*(-1)] = [3, -4].
mv_vector("mvmul.hand-2x2-p1-a1", "2x2 worked by hand with 1-bit cells, 1-bit DAC, 1-bit ADC",
          pimsim_config(p=1, d=1, a=1, extras=False), 2, 8, 2, HAND_W, [1, -2],
          expect_exact=True, hand=[3, -4])

rng = random.Random(1001)
mv_vector("mvmul.p1-d1-a3", "1-bit cells, 1-bit DAC, 3-bit ADC (clips); ibiw 5, mbiw 3, 16x4",
          cfgref("xbar-p1-d1-a3"), 5, 16, 3, rand_matrix(rng, 16, 4, 3), rand_vec(rng, 16, 5),
          expect_exact=False)
rng = random.Random(1002)
mv_vector("mvmul.p2-d2-a4", "2-bit cells, 2-bit DAC, 4-bit ADC; ibiw 7, mbiw 5 (not multiples "
          "of p, d); 16x8", cfgref("xbar-p2-d2-a4"), 7, 16, 5, rand_matrix(rng, 16, 8, 5),
          rand_vec(rng, 16, 7), expect_exact=False)
rng = random.Random(1003)
mv_vector("mvmul.p4-d4-a6", "4-bit cells, 4-bit DAC, 6-bit ADC; ibiw 10, mbiw 6; 12x6",
          cfgref("xbar-p4-d4-a6"), 10, 24, 6, rand_matrix(rng, 12, 6, 6),
          rand_vec(rng, 12, 10), expect_exact=False)
rng = random.Random(1004)
mv_vector("mvmul.p8-d4-a8", "8-bit cells, 4-bit DAC, 8-bit ADC; ibiw 8, mbiw 8, obiw 16; 32x16",
          cfgref("xbar-p8-d4-a8"), 8, 16, 8, rand_matrix(rng, 32, 16, 8),
          rand_vec(rng, 32, 8))
rng = random.Random(1005)
mv_vector("mvmul.p8-d1-mbiw12", "8-bit cells (2 slices for mbiw 12), 1-bit DAC, ibiw 3, ideal ADC",
          pimsim_config(p=8, d=1, a=8, clip=False), 3, 24, 12, rand_matrix(rng, 10, 5, 12),
          rand_vec(rng, 10, 3), expect_exact=True)
rng = random.Random(1006)
mv_vector("mvmul.p2-d2-a16-exact", "a 16-bit ADC never clips 2-bit cells x 2-bit steps over 64 "
          "rows: the result is the exact dot product", pimsim_config(p=2, d=2, a=16), 6, 16, 4,
          rand_matrix(rng, 64, 8, 4), rand_vec(rng, 64, 6), expect_exact=True)
# all-max inputs and weights: x' = 2^ibiw - 1, w' = 2^mbiw - 1: every cell and step at full
# scale, column sums 3*3*rows = 72 far above the 3-bit ADC's 7.
mv_vector("mvmul.allmax-clip-a3", "all-max inputs and weights, 3-bit ADC: heavy clipping",
          pimsim_config(p=2, d=2, a=3), 6, 16, 6, [[31] * 4 for _ in range(8)], [31] * 8,
          expect_exact=False)
mv_vector("mvmul.allmax-ideal", "all-max inputs and weights, adc_clip false: exact 8*31*31",
          cfgref("xbar-p2-d2-a3-ideal"), 6, 16, 6, [[31] * 4 for _ in range(8)], [31] * 8,
          expect_exact=True, hand=[8 * 31 * 31] * 4)  # 7688
mv_vector("mvmul.allmin", "all-min inputs: x' = 0, no column conducts; y = sum x*w exactly",
          pimsim_config(p=2, d=2, a=3), 6, 16, 6, [[-32, 31, 0, 5] for _ in range(8)],
          [-32] * 8, expect_exact=True,
          # -32 * 8 * [-32, 31, 0, 5] = [8192, -7936, 0, -1280]
          hand=[8192, -7936, 0, -1280])
rng = random.Random(1007)
W7 = rand_matrix(rng, 8, 6, 8)
X7 = rand_vec(rng, 8, 8)
mv_vector("mvmul.relu-off", "default crossbar, relu 0: negative outputs kept", SMALL, 8, 16, 8,
          W7, X7, relu=0, expect_exact=True)
mv_vector("mvmul.relu-on", "the same mvmul with relu 1: negative outputs become 0", SMALL, 8, 16,
          8, W7, X7, relu=1, expect_exact=True)
mv_vector("mvmul.group-1x1", "a 1x1 group, group index 15: y = x*w = -128 * 127 saturated to 8",
          SMALL, 8, 8, 8, [[127]], [-128], expect_exact=True, hand=[-128], grp=15)
mv_vector("mvmul.saturate-obiw4", "outputs saturate to obiw 4 ([-8, 7])", SMALL, 4, 4, 4,
          [[7, -8, 1], [7, -8, 0]], [7, 7], expect_exact=True,
          # col 0: 7*7 + 7*7 = 98 -> 7; col 1: -112 -> -8; col 2: 7
          hand=[7, -8, 7])
rng = random.Random(1008)
mv_vector("mvmul.in-place", "rd == rs1: all inputs are read before any output is written",
          SMALL, 8, 8, 4, rand_matrix(rng, 4, 4, 4), rand_vec(rng, 4, 4), in_place=True,
          expect_exact=True)
rng = random.Random(1009)
mv_vector("mvmul.wide-32bit", "ibiw = mbiw = obiw = 32 (32 DAC steps, 16 cell slices): exact "
          "128-bit intermediates, saturation at 2^31-1", pimsim_config(p=2, d=1, a=8, clip=False),
          32, 32, 32, [[2**31 - 1, -2**31, 12345], [2**31 - 1, 3, -7]],
          [2**31 - 1, -5], expect_exact=True)
rng = random.Random(1010)
mv_vector("mvmul.ref-128x128", "reference architecture (128x128 crossbars, 2-bit cells, 1-bit "
          "DAC, 8-bit ADC), one 128x128 group of random 8-bit weights, obiw 32",
          cfgref("reference-small"), 8, 32, 8, rand_matrix(rng, 128, 128, 8),
          rand_vec(rng, 128, 8))
# all-max on the reference crossbar: each 1-bit step drives all 128 rows, each 2-bit cell
# holds 3 -> column sums of 384 > 255 clip in the 8-bit ADC. By hand:
#   x' = 255 (all 8 bits set, u_k = 1 for k = 0..7), w' = 255 (cells 3, 3, 3, 3),
#   s = 128 * 3 = 384 -> ADC 255 for every (column, step, slice);
#   P = 255 * sum_k 2^k * sum_t 4^t = 255 * 255 * 85 = 5527125;
#   y = P - 2^7 * (128 * 255) - 2^7 * (128 * 127) = 5527125 - 4177920 - 2080768 = -731563
#   (the exact dot product would be 128 * 127 * 127 = 2064512).
mv_vector("mvmul.ref-allmax-clip", "reference architecture, 128x32 group, all inputs and weights "
          "127: every column sum (384) clips at the 8-bit ADC's 255",
          cfgref("reference-small"), 8, 32, 8, [[127] * 32 for _ in range(128)], [127] * 128,
          expect_exact=False, hand=[-731563] * 32)

rng = random.Random(1011)
vec("matrix", "mvmul.two-groups",
    "two groups with different mbiw on one core; each mvmul uses its own group",
    [sldi(1, 0), sldi(2, 512), sldi(3, 768), setbw(8, 16),
     I("mvmul", rd=2, rs1=1, mbiw=4, group=3), I("mvmul", rd=3, rs1=1, mbiw=8, group=0, relu=1)],
    init={"core0": {"lmem": [el(0, 1, rand_vec(rng, 6, 8))],
                    "groups": [group(3, 4, rand_matrix(rng, 6, 3, 4)),
                               group(0, 8, rand_matrix(rng, 6, 5, 8))]}},
    check=[("lmem", 0, 512, 3, 2), ("lmem", 0, 768, 5, 2)])

# Knobs that divide no element width: the top input digit and the top weight cell hold fewer
# bits than the others (d = 3 over ibiw 8: digits of 3, 3, 2 bits; p = 5 over mbiw 7: cells
# of 5 and 2 bits).
rng = random.Random(1101)
mv_vector("mvmul.p3-d3-a5", "3-bit cells and DAC steps over 8-bit inputs and weights (top digit "
          "and cell of 2 bits), 5-bit ADC; 16x6", cfgref("xbar-p3-d3-a5"), 8, 16, 8,
          rand_matrix(rng, 16, 6, 8), rand_vec(rng, 16, 8), expect_exact=False)
rng = random.Random(1102)
mv_vector("mvmul.p5-d5-a7", "5-bit cells and DAC steps, ibiw 12 (digits 5, 5, 2), mbiw 7 (cells "
          "5, 2), 7-bit ADC; 21x5", cfgref("xbar-p5-d5-a7"), 12, 24, 7,
          rand_matrix(rng, 21, 5, 7), rand_vec(rng, 21, 12))
rng = random.Random(1103)
mv_vector("mvmul.p3-d5-a6", "3-bit cells, 5-bit DAC, ibiw 9 (digits 5, 4), mbiw 11 (cells 3, 3, "
          "3, 2), 6-bit ADC; 24x7", cfgref("xbar-p3-d5-a6"), 9, 32, 11,
          rand_matrix(rng, 24, 7, 11), rand_vec(rng, 24, 9), expect_exact=False)
rng = random.Random(1104)
mv_vector("mvmul.p5-d3-a9", "5-bit cells, 3-bit DAC, ibiw = mbiw = 16 (digits of 3 and a top "
          "one of 1 bit, cells of 5 and a top one of 1 bit), 9-bit ADC; 33x9",
          cfgref("xbar-p5-d3-a9"), 16, 32, 16, rand_matrix(rng, 33, 9, 16),
          rand_vec(rng, 33, 16))
# 32-bit inputs and weights over knobs that divide neither: the last DAC step reaches past bit
# 31 (d = 3: 11 steps, the top one of 2 bits; d = 5: 7 steps, the top one of 2 bits), the top
# cell likewise (p = 3: 11 cells; p = 5: 7 cells).
rng = random.Random(1106)
mv_vector("mvmul.p3-d3-wide-32", "ibiw = mbiw = obiw = 32 over 3-bit cells and DAC steps: 11 "
          "steps and 11 cells, the top ones of 2 bits; 12x4", cfgref("xbar-p3-d3-a5"), 32, 32,
          32, rand_matrix(rng, 12, 4, 32), rand_vec(rng, 12, 32))
rng = random.Random(1107)
mv_vector("mvmul.p5-d5-wide-32", "ibiw = mbiw = obiw = 32 over 5-bit cells and DAC steps: 7 "
          "steps and 7 cells, the top ones of 2 bits; 10x3", cfgref("xbar-p5-d5-a7"), 32, 32,
          32, rand_matrix(rng, 10, 3, 32), rand_vec(rng, 10, 32))
# Column sums on the ADC's edge, by hand. p = d = 1, a = 3 (full scale 7), ibiw = mbiw = 1:
# x = 0 gives x' = 1, w = 0 gives w' = 1, so every column sums the group's rows in its one
# step and slice; y = ADC(rows) - 2^0 * rows - 2^0 * 0 (the exact product is 0).
#   7 rows: the sum 7 is the full scale, read as it is: y = 7 - 7 = 0, nothing clipped;
#   8 rows: the sum 8 = 2^3 clips to 7: y = 7 - 8 = -1, one clip per column.
mv_vector("mvmul.sum-at-full-scale", "every column sum exactly 2^a - 1 = 7 (7 rows, 1-bit cells "
          "and inputs): read as it is, y = 0", cfgref("xbar-p1-d1-a3"), 1, 8, 1,
          [[0] * 3 for _ in range(7)], [0] * 7, expect_exact=True, hand=[0, 0, 0])
mv_vector("mvmul.sum-over-full-scale", "every column sum exactly 2^a = 8 (8 rows): clipped by one, y = -1",
          cfgref("xbar-p1-d1-a3"), 1, 8, 1, [[0] * 3 for _ in range(8)], [0] * 8,
          expect_exact=False, hand=[-1, -1, -1])
# The same edges with 2-bit cells and DAC steps, a = 6 (full scale 63), ibiw = mbiw = 2 (one
# step, one slice):
#   7 rows, x = w = 1: x' = w' = 3, sum 7 * 9 = 63 = full scale, kept:
#     y = 63 - 2^1 * (7 * 3) - 2^1 * 7 = 63 - 42 - 14 = 7 (= 7 * 1 * 1 exactly);
#   16 rows, x = w = 0: x' = w' = 2, sum 16 * 4 = 64 = 2^6, clipped to 63:
#     y = 63 - 2 * (16 * 2) - 2 * 0 = -1 (the exact product is 0).
mv_vector("mvmul.sum-at-full-scale-2bit", "2-bit cells and steps, every sum 7*9 = 63 = 2^6 - 1: "
          "kept, y = 7", cfgref("xbar-p2-d2-a6"), 2, 8, 2, [[1] * 5 for _ in range(7)], [1] * 7,
          expect_exact=True, hand=[7] * 5)
mv_vector("mvmul.sum-over-full-scale-2bit", "2-bit cells and steps, every sum 16*4 = 64 = 2^6: clipped by "
          "one, y = -1", cfgref("xbar-p2-d2-a6"), 2, 8, 2, [[0] * 5 for _ in range(16)], [0] * 16,
          expect_exact=False, hand=[-1] * 5)
# An ADC just wide enough: 128 rows of 2-bit cells, 1-bit steps sum to at most 128 * 3 = 384
# <= 511 (a = 9): the all-max product is exact, 128 * 127 * 127 = 2064512 (a = 8 clips it:
# mvmul.ref-allmax-clip).
mv_vector("mvmul.adc-just-wide", "all-max 128x4 on the reference crossbar with a 9-bit ADC: "
          "the largest sum (384) fits, exact 2064512", cfgref("xbar-p2-d1-a9"), 8, 32, 8,
          [[127] * 4 for _ in range(128)], [127] * 128, expect_exact=True, hand=[2064512] * 4)
# An odd crossbar (45 rows, 63 cell columns): 8-bit weights take 3 cells of 3 bits, 21 outputs
# per crossbar; a 45x47 group spans 3 crossbars, the last one partly used.
rng = random.Random(1105)
mv_vector("mvmul.xbar45x63-full", "odd crossbar 45x63, 3-bit cells, 5-bit DAC: a 45x47 group "
          "over 3 crossbars, ibiw 8 (digits 5, 3)", cfgref("xbar45x63-p3-d5-a7"), 8, 24, 8,
          rand_matrix(rng, 45, 47, 8), rand_vec(rng, 45, 8))
rng = random.Random(1106)
mv_vector("mvmul.xbar45x63-odd-group", "odd crossbar, a 33x13 group of 5-bit weights (cells 3, 2),"
          " ibiw 11 (digits 5, 5, 1)", cfgref("xbar45x63-p3-d5-a7"), 11, 24, 5,
          rand_matrix(rng, 33, 13, 5), rand_vec(rng, 33, 11), expect_exact=False)

# --------------------------------------------------------------------------- vector


def vv(op, name, comment, a, b, ibiw=8, obiw=8, hand=None, sel=None, off=None, n=None,
       regs=(0, 256, 512), out_in=True):
    """Element-wise vector op on a at regs[1], b at regs[2] -> regs[0]."""
    ib = pimref.byw(ibiw)
    ow = ibiw if out_in else obiw
    ob = pimref.byw(ow)
    n = len(a) if n is None else n
    prog = [sldi(1, regs[1]), sldi(2, regs[2]), sldi(3, regs[0])]
    if (ibiw, obiw) != (8, 8):
        prog.append(setbw(ibiw, obiw))
    if op == "vrelu":
        prog.append(I(op, rd=3, rs1=1, len=n, sel=sel, off=off))
    else:
        prog.append(I(op, rd=3, rs1=1, rs2=2, len=n, sel=sel, off=off))
    init = {"core0": {"lmem": [el(regs[1], ib, a), el(regs[2], ib, b)]}}
    dst = regs[0] + ((off or 0) * ob if (sel or 0) & 1 else 0)
    obs = ("lmem", 0, dst, max(n, 1), ob)
    vec("vector", name, comment, prog, init=init,
        hand=[(obs, hand)] if hand is not None else (), check=[] if hand is not None else [obs])


vv("vvadd", "vvadd.typical", "element-wise add, 8-bit, no saturation",
   [1, -2, 30, -40, 0], [5, 7, -30, -3, 0], hand=[6, 5, 0, -43, 0])
vv("vvadd", "vvadd.sat-high", "100 + 100 = 200 saturates to +127 (ibiw 8)",
   [100, 127, 64], [100, 1, 63], hand=[127, 127, 127])  # 200, 128 -> 127; 127 stays
vv("vvadd", "vvadd.sat-low", "-100 + -100 = -200 saturates to -128 (ibiw 8)",
   [-100, -128, -64], [-100, -1, -64], hand=[-128, -128, -128])
vv("vvadd", "vvadd.width-3", "ibiw 3 (1 byte): range -4..3; 3 + 2 = 5 -> 3, -4 + -1 -> -4",
   [3, -4, 1, -2], [2, -1, 1, 1], ibiw=3, obiw=3, hand=[3, -4, 2, -1])
vv("vvadd", "vvadd.width-10", "ibiw 10 (2 bytes): range -512..511",
   [500, -500, 300, -1], [20, -20, -500, 1], ibiw=10, obiw=10, hand=[511, -512, -200, 0])
vv("vvadd", "vvadd.width-17", "ibiw 17 (3 bytes): range -65536..65535",
   [65535, -65536, 40000, 12345], [1, -1, 40000, -12345], ibiw=17, obiw=17,
   hand=[65535, -65536, 65535, 0])
vv("vvadd", "vvadd.width-32", "ibiw 32 (4 bytes): exact sum then saturation to 32 bits",
   [2**31 - 1, -2**31, 1000000000], [1, -1, 1000000000], ibiw=32, obiw=32,
   hand=[2**31 - 1, -2**31, 2000000000])
vv("vvadd", "vvadd.len-0", "len 0 writes nothing (destination keeps its zeros)",
   [5], [6], n=0, hand=[0])
vv("vvadd", "vvadd.offset-rd", "offset_select bit 0 only: rd + 3*ibyw",
   [1, 2], [10, 20], sel=1, off=3, hand=[11, 22])
vv("vvadd", "vvadd.offset-rs1", "offset_select bit 1 only: rs1 + 2*ibyw (rs1 vector shifted)",
   [1, 2, 3, 4], [10, 20, 30, 40], sel=2, off=2, n=2, hand=[13, 24])
vv("vvadd", "vvadd.offset-rs2-neg", "offset_select bit 2 only with a negative offset "
   "(rs2 - 1 element)", [1, 2, 3], [9, 10, 20, 30], sel=4, off=-1, n=3,
   regs=(0, 256, 513), hand=[1 + 9 - 9, 2 + 9, 3 + 10])
vv("vvadd", "vvadd.offset-all-16bit", "offset_select 7, ibiw 16: every address + 1*2 bytes",
   [0, 1000, -30000], [0, 2000, -30000], ibiw=16, obiw=16, sel=7, off=1, n=2,
   hand=[3000, -32768])
vec("vector", "vvadd.in-place", "rd == rs1: operands are read before the result is written",
    [sldi(1, 8), sldi(2, 16), I("vvadd", rd=1, rs1=1, rs2=2, len=3)],
    init={"core0": {"lmem": [el(8, 1, [1, 2, 3]), el(16, 1, [4, 5, 6])]}},
    hand=[(("lmem", 0, 8, 3, 1), [5, 7, 9])])
vec("vector", "vvadd.upper-bits-ignored",
    "reading an element keeps its low ibiw bits sign-extended: byte 0x07 at ibiw 3 is -1, "
    "0xfc is -4, 0x0b is 3; the result is written sign-extended to the byte",
    [sldi(1, 0), sldi(2, 8), sldi(3, 16), setbw(3, 3), I("vvadd", rd=3, rs1=1, rs2=2, len=3)],
    init={"core0": {"lmem": [{"addr": 0, "hex": "07fc0b"}, {"addr": 8, "hex": "000000"}]}},
    hand=[(("hex", 0, 16, 3), "fffc03")])
vv("vvsub", "vvsub.sat", "vvsub: 100 - (-100) -> 127, -100 - 100 -> -128, 5 - 7 = -2",
   [100, -100, 5], [-100, 100, 7], hand=[127, -128, -2])
vv("vvmul", "vvmul.obiw16", "vvmul 8-bit inputs, 16-bit outputs: exact products",
   [-128, 127, -7, 0], [-128, 127, 9, 5], obiw=16, out_in=False,
   hand=[16384, 16129, -63, 0])
vv("vvmul", "vvmul.sat-obiw8", "vvmul with obiw 8: 16*16 = 256 -> 127, -16*16 -> -128",
   [16, -16, 11], [16, 16, -11], out_in=False, hand=[127, -128, -121])
vv("vvmul", "vvmul.offset-rd-obyw", "vvmul's rd offset is scaled by obyw (2), rs1's by ibyw (1)",
   [1, 2, 3, 4], [5, 6, 7, 8], obiw=16, out_in=False, sel=3, off=1, n=2,
   hand=[2 * 5, 3 * 6])
vv("vvmax", "vvmax.signs", "element-wise max over sign cases",
   [-1, 5, -128, 127, 0], [-2, -5, -127, 126, 0], hand=[-1, 5, -127, 127, 0])
vv("vvsll", "vvsll.shift-and-sat", "vvsll: 3<<2 = 12; 1<<7 = 128 -> 127 (obiw 8); -1<<7 = -128; "
   "shift -3 clamps to 0; shift 100 ... saturates",
   [3, 1, -1, 5, 1, -3], [2, 7, 7, -3, 100, 1], out_in=False, hand=[12, 127, -128, 5, 127, -6])
vv("vvsll", "vvsll.obiw32", "vvsll to 32-bit outputs: shift counts clamp to 31",
   [1, -1, 1, 3], [31, 31, 40, 4], obiw=32, out_in=False,
   # 1<<31 = 2^31 -> 2^31-1; -1<<31 = -2^31 fits; 40 clamps to 31; 3<<4 = 48
   hand=[2**31 - 1, -2**31, 2**31 - 1, 48])
vv("vvsra", "vvsra.floor", "vvsra rounds toward minus infinity: -5>>1 = -3, 5>>1 = 2, "
   "-1>>7 = -1, shift -2 clamps to 0",
   [-5, 5, -1, -128, 100], [1, 1, 7, 3, -2], out_in=False, hand=[-3, 2, -1, -16, 100])
vv("vvsra", "vvsra.shift-clamp-31", "16-bit input, shift 20 and 127 clamp to 31: -30000 -> -1, "
   "30000 -> 0", [-30000, 30000, -30000], [20, 127, 3], ibiw=16, obiw=16, out_in=False,
   hand=[-1, 0, -3750])

vec("vector", "vvdmul.typical", "dot product of 4 elements, exact, obiw 16, written at LMem[rd]",
    [sldi(1, 0), sldi(2, 16), sldi(3, 64), setbw(8, 16), I("vvdmul", rd=3, rs1=1, rs2=2, len=4)],
    init={"core0": {"lmem": [el(0, 1, [1, -2, 3, 127]), el(16, 1, [4, 5, -6, 100])]}},
    # 4 - 10 - 18 + 12700 = 12676
    hand=[(("lmem", 0, 64, 1, 2), [12676])])
vec("vector", "vvdmul.sat-and-offsets",
    "vvdmul saturates to obiw 8 (127*127*3 -> 127); offset_select bit 0 does not apply to rd",
    [sldi(1, 0), sldi(2, 16), sldi(3, 64),
     I("vvdmul", rd=3, rs1=1, rs2=2, len=3, sel=7, off=1)],
    init={"core0": {"lmem": [el(0, 1, [0, 127, 127, 127]), el(16, 1, [0, 127, 127, 127])]}},
    hand=[(("lmem", 0, 64, 2, 1), [127, 0])])
vec("vector", "vvdmul.len-0", "vvdmul with len 0 writes 0 (the empty sum) over old data",
    [sldi(3, 64), setbw(8, 16), I("vvdmul", rd=3, rs1=1, rs2=2, len=0)],
    init={"core0": {"lmem": [{"addr": 64, "hex": "abcdef"}]}},
    hand=[(("hex", 0, 64, 3), "0000ef")])

vec("vector", "vavg.floor-negative",
    "vavg floors the mean: (-3 + -4)/2 = -3.5 -> -4; stride 1",
    [sldi(1, 0), sldi(2, 1), sldi(3, 32), I("vavg", rd=3, rs1=1, rs2=2, len=2)],
    init={"core0": {"lmem": [el(0, 1, [-3, -4])]}},
    hand=[(("lmem", 0, 32, 1, 1), [-4])])
vec("vector", "vavg.stride-offset",
    "vavg over 4 elements with stride 3 and offset_value 1 (elements): (7+(-1)+10+5)/4 = 5.25 -> 5",
    [sldi(1, 0), sldi(2, 3), sldi(3, 100), I("vavg", rd=3, rs1=1, rs2=2, len=4, sel=0, off=1)],
    init={"core0": {"lmem": [el(0, 1, [99, 7, 0, 0, -1, 0, 0, 10, 0, 0, 5])]}},
    hand=[(("lmem", 0, 100, 1, 1), [5])])
vec("vector", "vavg.negative-stride-16bit",
    "vavg with stride -2 (walks down), ibiw 16, obiw 8: (-1000 + -2000 + 3001)/3 = 1/3 -> 0; "
    "then a stride-0 average of one element repeated",
    [sldi(1, 8), sldi(2, -2), sldi(3, 100), setbw(16, 8), I("vavg", rd=3, rs1=1, rs2=2, len=3),
     sldi(4, 0), sldi(5, 101), I("vavg", rd=5, rs1=1, rs2=4, len=5)],
    init={"core0": {"lmem": [el(0, 2, [3001, 0, -2000, 0, -1000])]}},
    # second: stride 0 at rs1 = 8 -> -1000 five times: mean -1000 -> saturates to -128 (obiw 8)
    hand=[(("lmem", 0, 100, 2, 1), [0, -128])])

vv("vrelu", "vrelu.signs", "vrelu: max(x, 0)", [-128, -1, 0, 1, 127], [0, 0, 0, 0, 0],
   hand=[0, 0, 0, 1, 127])


def unary(op, name, comment, xs, ibiw=8, obiw=8, hand=None, config=SMALL, sel=None, off=None,
          n=None):
    ib, ob = pimref.byw(ibiw), pimref.byw(obiw)
    n = len(xs) if n is None else n
    prog = [sldi(1, 0), sldi(3, 512)]
    if (ibiw, obiw) != (8, 8):
        prog.append(setbw(ibiw, obiw))
    prog.append(I(op, rd=3, rs1=1, len=n, sel=sel, off=off))
    dst = 512 + ((off or 0) * ob if (sel or 0) & 1 else 0)
    obs = ("lmem", 0, dst, max(n, 1), ob)
    vec("vector", name, comment, prog, init={"core0": {"lmem": [el(0, ib, xs)]}}, config=config,
        hand=[(obs, hand)] if hand is not None else (), check=[] if hand is not None else [obs])


# PLAN at the breakpoints, F = 4 (x = 16 * real value):
#   x=0: 0/4 + 0.5 = 0.5 -> 8;  x=16 (1.0): 1/8 + 0.625 = 0.75 -> 12;
#   x=38 (2.375): 2.375/32 + 0.84375 = 0.91796875 -> 14.6875 -> 15;  x=80 (5.0): 1 -> 16;
#   negatives: 1 - sigm(|x|): -16 -> 0.25 -> 4; -38 -> 0.08203125 -> 1.3125 -> 1; -80 -> 0.
#   x=2 (0.125): 0.125/4 + 0.5 = 0.53125 -> 8.5 -> tie, away from zero -> 9.
unary("vsigm", "vsigm.breakpoints-f4", "PLAN sigmoid at x = 0, 1.0, 2.375, 5.0 and negatives, "
      "F = 4, plus a tie (8.5 -> 9)", [0, 16, 38, 80, -16, -38, -80, 2],
      hand=[8, 12, 15, 16, 4, 1, 0, 9])
# tanh(x) = 2*sigm(2x) - 1:
#   x=0: 0;  x=16: 2*sigm(2.0) - 1 = 2*0.875 - 1 = 0.75 -> 12;
#   x=38: 2*sigm(4.75) - 1 = 2*(0.1484375 + 0.84375) - 1 = 0.984375 -> 15.75 -> 16;
#   x=80: 1 -> 16;  x=-16: -12;
#   x=9 (0.5625): 2x = 1.125 -> sigm = 0.765625, tanh = 0.53125 -> 8.5 -> tie -> 9; x=-9 -> -9.
unary("vtanh", "vtanh.breakpoints-f4", "PLAN tanh at x = 0, 1.0, 2.375, 5.0, -1.0 and ties "
      "+-8.5 (away from zero), F = 4", [0, 16, 38, 80, -16, 9, -9],
      hand=[0, 12, 16, 16, -12, 9, -9])
unary("vsigm", "vsigm.obiw4-sat", "vsigm output 16 (= 1.0 at F 4) saturates to obiw 4's 7",
      [80, 0, -80, 127], obiw=4, hand=[7, 7, 0, 7])
rng = random.Random(2001)
unary("vsigm", "vsigm.f8-16bit", "PLAN sigmoid F = 8 (config), 16-bit in and out, random values",
      [rng.randint(-32768, 32767) for _ in range(24)] + [0, 256, 608, 1280, -608],
      ibiw=16, obiw=16, config=cfgref("frac8"))
rng = random.Random(2002)
unary("vtanh", "vtanh.f8-16bit", "PLAN tanh F = 8, 16-bit, random values and breakpoints",
      [rng.randint(-32768, 32767) for _ in range(24)] + [0, 128, 304, 640, -304],
      ibiw=16, obiw=16, config=cfgref("frac8"))
unary("vtanh", "vtanh.f0", "F = 0 (integers): tanh(1) = 2*sigm(2) - 1 = 0.75 -> 1; tanh(-1) -> -1",
      [0, 1, -1, 2, -3, 100], config=cfgref("frac0"), hand=[0, 1, -1, 1, -1, 1])
unary("vsigm", "vsigm.offset-rd-obyw", "vsigm with offset_select 3: rs1 + 1*ibyw, rd + 1*obyw "
      "(obiw 16): sigm(0) = 8, sigm(1.0) = 12", [5, 0, 16], obiw=16, sel=3, off=1, n=2,
      hand=[8, 12])
unary("vrelu", "vrelu.len-0", "vrelu with len 0 writes nothing", [-5], n=0, hand=[0])

vec("vector", "vmv.stride-3",
    "vmv gathers 4 elements with stride 3 into a contiguous vector (16-bit)",
    [sldi(1, 0), sldi(2, 3), sldi(3, 256), setbw(16, 8), I("vmv", rd=3, rs1=1, rs2=2, len=4)],
    init={"core0": {"lmem": [el(0, 2, [1, 0, 0, -2, 0, 0, 300, 0, 0, -32768])]}},
    hand=[(("lmem", 0, 256, 4, 2), [1, -2, 300, -32768])])
vec("vector", "vmv.negative-and-zero-stride",
    "vmv with stride -1 reverses; stride 0 broadcasts one element; len 0 writes nothing",
    [sldi(1, 3), sldi(2, -1), sldi(3, 64), I("vmv", rd=3, rs1=1, rs2=2, len=4),
     sldi(4, 0), sldi(5, 80), I("vmv", rd=5, rs1=1, rs2=4, len=3),
     sldi(6, 96), I("vmv", rd=6, rs1=1, rs2=2, len=0)],
    init={"core0": {"lmem": [el(0, 1, [10, 20, 30, 40]), {"addr": 96, "hex": "5a"}]}},
    hand=[(("lmem", 0, 64, 4, 1), [40, 30, 20, 10]), (("lmem", 0, 80, 3, 1), [40, 40, 40]),
          (("hex", 0, 96, 1), "5a")])

vec("vector", "vrsu.grow",
    "vrsu: min(x, $rs2) from 8-bit to 16-bit elements (non-overlapping), bound 50",
    [sldi(1, 0), sldi(2, 50), sldi(3, 64), setbw(8, 16), I("vrsu", rd=3, rs1=1, rs2=2, len=5)],
    init={"core0": {"lmem": [el(0, 1, [-128, 0, 49, 50, 127])]}},
    hand=[(("lmem", 0, 64, 5, 2), [-128, 0, 49, 50, 50])])
vec("vector", "vrsu.shrink-in-place",
    "vrsu from 16-bit to 8-bit in place (allowed: the byte width does not grow); "
    "bound 2^31-1, values saturate to obiw 8",
    [sldi(1, 0), sldi(2, 0x7FFFFFFF), setbw(16, 8), I("vrsu", rd=1, rs1=1, rs2=2, len=4)],
    init={"core0": {"lmem": [el(0, 2, [1000, -1000, 5, -5])]}},
    hand=[(("lmem", 0, 0, 4, 1), [127, -128, 5, -5])])
vec("vector", "vrsl.negative-bound",
    "vrsl: max(x, $rs2) with $rs2 = -10 read as signed 32-bit; offset bits 0 and 1",
    [sldi(1, 0), sldi(2, -10), sldi(3, 64), setbw(8, 16),
     I("vrsl", rd=3, rs1=1, rs2=2, len=3, sel=7, off=1)],
    init={"core0": {"lmem": [el(0, 1, [99, -128, -10, 7])]}},
    # rs1 + 1 byte: [-128, -10, 7] -> [-10, -10, 7] at 64 + 1*2
    hand=[(("lmem", 0, 66, 3, 2), [-10, -10, 7])])
vec("vector", "vrsl.bound-above-range",
    "vrsl with a bound above obiw's range: max(x, 1000) = 1000 saturates to 127",
    [sldi(1, 0), sldi(2, 1000), sldi(3, 32), I("vrsl", rd=3, rs1=1, rs2=2, len=2)],
    init={"core0": {"lmem": [el(0, 1, [3, -3])]}},
    hand=[(("lmem", 0, 32, 2, 1), [127, 127])])

# 1-bit elements: the range is -1..0 (one bit, sign only).
vv("vvadd", "vvadd.width-1", "ibiw 1: range -1..0; -1 + -1 = -2 saturates to -1, 0 + 0 = 0",
   [0, -1, -1, 0], [0, 0, -1, -1], ibiw=1, obiw=1, hand=[0, -1, -1, -1])
vv("vvmul", "vvmul.obiw-1", "8-bit inputs, obiw 1 (range -1..0): 3*2 = 6 -> 0, -2*3 = -6 -> -1, "
   "0*7 = 0, 5*-1 = -5 -> -1", [3, -2, 0, 5], [2, 3, 7, -1], ibiw=8, obiw=1,
   hand=[0, -1, 0, -1], out_in=False)

# --------------------------------------------------------------------------- transfer

vec("transfer", "ld.offsets",
    "ld copies size bytes from GMem[pair + offset] (bit 1) to LMem[rd + offset] (bit 0)",
    [sldi(2, 0), sldi(3, 0x1000), sldi(1, 16), I("ld", rd=1, rs1=2, size=4),
     I("ld", rd=1, rs1=2, size=3, sel=3, off=8), I("ld", rd=1, rs1=2, size=2, sel=2, off=1)],
    init={"gmem": [{"addr": 0x1000, "hex": "00112233445566778899aabbcc"}]},
    # 1st: LMem[16..19] = 00 11 22 33; 2nd: LMem[24..26] = GMem[0x1008..] = 88 99 aa;
    # 3rd: LMem[16..17] = GMem[0x1001..] = 11 22
    hand=[(("hex", 0, 16, 11), "1122223300000000" + "8899aa")])
vec("transfer", "st.high-word-zero",
    "st copies LMem[rs1] to GMem[pair rd:rd+1]; offset bit 0 applies to rd (global)",
    [sldi(4, 0), sldi(5, 0x2000), sldi(1, 0), I("st", rd=4, rs1=1, size=5),
     I("st", rd=4, rs1=1, size=2, sel=3, off=16)],
    init={"core0": {"lmem": [{"addr": 0, "hex": "0102030405"}, {"addr": 16, "hex": "eeff"}]}},
    hand=[(("gmem", 0x2000, 18), "0102030405" + "00" * 11 + "eeff")])
vec("transfer", "lldi.memset",
    "lldi sets size bytes to its 1-byte imm: -1 -> 0xff, 255 -> 0xff, 0x5a; offset in bytes",
    [sldi(1, 10), I("lldi", rd=1, imm=-1, size=3), I("lldi", rd=1, imm=0x5a, size=2, off=4),
     I("lldi", rd=1, imm=255, size=0, off=8), I("lldi", rd=1, imm=-128, size=1, off=-1)],
    hand=[(("hex", 0, 9, 9), "80ffffff005a5a0000")])
vec("transfer", "lmv.offsets",
    "lmv copies size bytes LMem[rs1 + off*bit1] -> LMem[rd + off*bit0]; adjacent ranges are "
    "not an overlap",
    [sldi(1, 0), sldi(2, 4), I("lmv", rd=2, rs1=1, size=4),
     I("lmv", rd=2, rs1=1, size=2, sel=1, off=10), I("lmv", rd=1, rs1=1, size=0)],
    init={"core0": {"lmem": [{"addr": 0, "hex": "deadbeef"}]}},
    hand=[(("hex", 0, 0, 16), "deadbeefdeadbeef000000000000dead")])
vec("transfer", "size-0",
    "ld, st, lmv and lldi of size 0 touch nothing, even at addresses beyond the memories",
    [sldi(1, 0xFFFFFF00), sldi(2, 0xFFFF), sldi(3, 0xFFFFFFFF), I("ld", rd=1, rs1=2, size=0),
     I("st", rd=2, rs1=1, size=0), I("lmv", rd=1, rs1=3, size=0), I("lldi", rd=1, size=0, imm=7)],
    check=[("hex", 0, 0, 4), ("regs", 0, [1, 2, 3])])
vec("transfer", "send-recv.basic",
    "core 0 sends 6 bytes from LMem[rs1 + 2] to core 1, which receives them at LMem[rd + 1]",
    {"core0": [sldi(1, 0), I("send", rs1=1, core=1, size=6, off=2)],
     "core1": [sldi(1, 32), I("recv", rd=1, core=0, size=6, off=1)]},
    init={"core0": {"lmem": [{"addr": 0, "hex": "00000102030405060708"}]}},
    hand=[(("hex", 1, 32, 8), "0001020304050600")])
vec("transfer", "send-recv.order",
    "two sends from core 1 to core 0 are received in program order, the recv posted first "
    "(core 0 blocks until core 1 runs); a size-0 transfer still rendezvous",
    {"core0": [sldi(1, 0), I("recv", rd=1, core=1, size=2), I("recv", rd=1, core=1, size=2, off=2),
               I("recv", rd=1, core=1, size=0)],
     "core1": [sldi(1, 100), I("send", rs1=1, core=0, size=2), I("send", rs1=1, core=0, size=2, off=2),
               I("send", rs1=1, core=0, size=0)]},
    init={"core1": {"lmem": [{"addr": 100, "hex": "a1a2b1b2"}]}},
    hand=[(("hex", 0, 0, 4), "a1a2b1b2")])

# --------------------------------------------------------------------------- sync

vec("sync", "wait-sync.basic",
    "core 1 waits for event 3 == 2; core 0 syncs it twice then core 1 copies; the wait resets "
    "event 3 to 0",
    {"core0": [I("sync", event_register=3, core=1), I("lldi", rd=0, imm=9, size=1),
               I("sync", event_register=3, core=1)],
     "core1": [I("wait", event_register=3, wait_value=2), I("lldi", rd=0, imm=4, size=2)]},
    check=[("events", 1, [3]), ("hex", 1, 0, 2), ("hex", 0, 0, 1)])
vec("sync", "wait-zero-immediate",
    "wait for value 0 on an event holding 0 passes at once; sync to its own core is allowed",
    [I("wait", event_register=0, wait_value=0), I("sync", event_register=5, core=0),
     I("sync", event_register=5, core=0), I("wait", event_register=5, wait_value=2),
     I("sync", event_register=31, core=0)],
    hand=[(("events", 0, [0, 5, 31]), [0, 0, 1])])
vec("sync", "events-init-wrap",
    "event registers are 32-bit: 0xFFFFFFFF + 1 wraps to 0; wait compares the whole value",
    [I("sync", event_register=1, core=0), I("wait", event_register=2, wait_value=1023),
     I("sync", event_register=2, core=0)],
    init={"core0": {"events": {"e1": 4294967295, "e2": 1023}}},
    hand=[(("events", 0, [1, 2]), [0, 1])])
vec("sync", "deadlock.wait-forever",
    "a single core waiting for an event nobody syncs: deadlock",
    [I("sync", event_register=1, core=0), I("wait", event_register=1, wait_value=2)],
    error={"kind": "deadlock", "core": 0, "index": 1,
           "text": "deadlock: core 0 blocked at instruction 1 waiting for event 1 == 2"})

# --------------------------------------------------------------------------- multicore

rng = random.Random(3001)
PIPE_IN = rand_vec(rng, 16, 8)
PIPE_B = rand_vec(rng, 16, 8)
vec("multicore", "pipeline-3",
    "3-core pipeline: core 0 loads 16 elements from GMem and adds a bias, sends to core 1; "
    "core 1 applies vrelu and sends to core 2; core 2 multiplies by 3 (obiw 16) and stores",
    {"core0": [sldi(2, 0), sldi(3, 0x100), sldi(1, 0), sldi(4, 64),
               I("ld", rd=1, rs1=2, size=16), I("vvadd", rd=1, rs1=1, rs2=4, len=16),
               I("send", rs1=1, core=1, size=16)],
     "core1": [sldi(1, 128), I("recv", rd=1, core=0, size=16), I("vrelu", rd=1, rs1=1, len=16),
               I("send", rs1=1, core=2, size=16)],
     "core2": [sldi(1, 0), sldi(2, 64), sldi(3, 200), I("recv", rd=1, core=1, size=16),
               setbw(8, 16), I("vvmul", rd=3, rs1=1, rs2=2, len=16),
               sldi(4, 0), sldi(5, 0x400), I("st", rd=4, rs1=3, size=32)]},
    init={"gmem": [el(0x100, 1, PIPE_IN)],
          "core0": {"lmem": [el(64, 1, PIPE_B)]},
          "core2": {"lmem": [el(64, 1, [3] * 16)]}},
    hand=[(("gmemel", 0x400, 16, 2),
           [3 * max(pimref.sat(a + b, 8), 0) for a, b in zip(PIPE_IN, PIPE_B)])],
    check=[("lmem", 1, 128, 16, 1)])
vec("multicore", "barrier-3",
    "barrier: cores 1 and 2 write GMem, then sync event 1 of core 0; core 0 waits for 2, reads "
    "both words, stores their sum and releases both with event 2",
    {"core0": [I("wait", event_register=1, wait_value=2), sldi(2, 0), sldi(3, 0x10),
               sldi(1, 1), I("ld", rd=0, rs1=2, size=1),    # LMem[0] = GMem[0x10]
               I("ld", rd=1, rs1=2, size=1, sel=2, off=1),  # LMem[1] = GMem[0x11]
               # LMem[$r5 = 0] = LMem[0] + LMem[1] = 40 + 2 = 42 = 0x2a
               sldi(4, 1), I("vvadd", rd=5, rs1=0, rs2=4, len=1),
               sldi(3, 0x20), I("st", rd=2, rs1=5, size=1),
               I("sync", event_register=2, core=1), I("sync", event_register=2, core=2)],
     "core1": [sldi(2, 0), sldi(3, 0x10), sldi(1, 0), I("lldi", rd=1, imm=40, size=1),
               I("st", rd=2, rs1=1, size=1), I("sync", event_register=1, core=0),
               I("wait", event_register=2, wait_value=1), sldi(3, 0x20),
               I("ld", rd=1, rs1=2, size=1, sel=1, off=8)],
     "core2": [sldi(2, 0), sldi(3, 0x11), sldi(1, 0), I("lldi", rd=1, imm=2, size=1),
               I("st", rd=2, rs1=1, size=1), I("sync", event_register=1, core=0),
               I("wait", event_register=2, wait_value=1), sldi(3, 0x20),
               I("ld", rd=1, rs1=2, size=1, sel=1, off=9)]},
    hand=[(("gmem", 0x10, 2), "2802"), (("gmem", 0x20, 1), "2a"), (("hex", 1, 8, 1), "2a"),
          (("hex", 2, 9, 1), "2a"), (("events", 0, [1]), [0])])
vec("multicore", "deadlock.recv-recv",
    "two cores each waiting on recv from the other: deadlock (core 0 at instruction 1 reported)",
    {"core0": [sldi(1, 0), I("recv", rd=1, core=1, size=4), I("send", rs1=1, core=1, size=4)],
     "core1": [sldi(1, 0), I("recv", rd=1, core=0, size=4), I("send", rs1=1, core=0, size=4)]},
    error={"kind": "deadlock", "core": 0, "index": 1,
           "text": "deadlock: core 0 at instruction 1 waits for recv from core 1, core 1 at "
                   "instruction 1 waits for recv from core 0"})
vec("multicore", "deadlock.send-to-finished",
    "core 1 ends without a recv, so core 0's send can never complete: deadlock",
    {"core0": [I("send", rs1=0, core=1, size=1)], "core1": [I("nop")]},
    error={"kind": "deadlock", "core": 0, "index": 0,
           "text": "deadlock: core 0 at instruction 0 waits to send to core 1, which has ended"})
vec("multicore", "four-cores-ring",
    "4 cores pass a byte around a ring, each adding its own constant (exercises round-robin "
    "rendezvous across passes)",
    {"core%d" % c: ([sldi(1, 0), sldi(2, 8)] +
                    ([I("recv", rd=1, core=c - 1, size=1)] if c else []) +
                    [I("vvadd", rd=1, rs1=1, rs2=2, len=1)] +
                    ([I("send", rs1=1, core=c + 1, size=1)] if c < 3 else []))
     for c in range(4)},
    init={"core%d" % c: {"lmem": [el(8, 1, [c + 1])]} for c in range(4)},
    hand=[(("lmem", 3, 0, 1, 1), [1 + 2 + 3 + 4])])

# --------------------------------------------------------------------------- errors: exec


def xerr(name, comment, prog, field, index, core=0, init=None, text=None, config=SMALL):
    vec("errors", "exec." + name, comment, prog, init=init, config=config,
        error={"kind": "exec", "core": core, "index": index, "field": field,
               "text": text or comment})


xerr("lmem-out-of-range", "vvadd reads 8 bytes at 4090 in a 4096-byte local memory",
     [sldi(1, 4090), I("vvadd", rd=2, rs1=1, rs2=2, len=8)], "rs1", 1)
xerr("lmem-write-out-of-range", "vvmul writes 2 bytes per element (obiw 16) past the end",
     [sldi(3, 4092), setbw(8, 16), I("vvmul", rd=3, rs1=1, rs2=2, len=4)], "rd", 2)
xerr("lmem-negative-offset", "vrelu with rs1 = 0 and offset -1 (bit 1): address -1",
     [I("vrelu", rd=2, rs1=1, len=1, sel=2, off=-1)], "rs1", 0)
xerr("rs2-out-of-range", "vvadd reads its second operand, 8 bytes at 4090, past the 4096-byte "
     "local memory (the first, at 0, is fine)",
     [sldi(2, 4090), I("vvadd", rd=3, rs1=1, rs2=2, len=8)], "rs2", 1)
xerr("gmem-out-of-range", "ld of 16 bytes at global 65530 in a 65536-byte global memory",
     [sldi(2, 0), sldi(3, 65530), I("ld", rd=1, rs1=2, size=16)], "rs1", 2)
xerr("gmem-high-word", "sld with the pair's high word 1: address 2^32 + 0, outside",
     [sldi(2, 1), I("sld", rd=1, rs1=2)], "rs1", 1)
xerr("st-out-of-range", "st of 4 bytes to global 65534", [sldi(4, 0), sldi(5, 65534),
     I("st", rd=4, rs1=1, size=4)], "rd", 2)
xerr("lmv-overlap", "lmv with source 0..7 and destination 4..11 (undefined in the ISA)",
     [sldi(1, 0), sldi(2, 4), I("lmv", rd=2, rs1=1, size=8)], "rd", 2)
xerr("vmv-overlap", "vmv gathering with stride 2 from 0 into 4..7: source element 4 overlaps",
     [sldi(1, 0), sldi(2, 2), sldi(3, 4), I("vmv", rd=3, rs1=1, rs2=2, len=4)], "rd", 3)
xerr("vmv-negative-address", "vmv with stride -1 from address 1 walks below 0",
     [sldi(1, 1), sldi(2, -1), sldi(3, 100), I("vmv", rd=3, rs1=1, rs2=2, len=3)], "rs1", 3)
xerr("vrsu-overlap-grow", "vrsu from 8 to 16 bits with input 0..3 and output 2..9 overlapping",
     [setbw(8, 16), sldi(1, 0), sldi(3, 2), I("vrsu", rd=3, rs1=1, rs2=2, len=4)], "rd", 3)
xerr("vrsl-overlap-grow-in-place", "vrsl in place from 8 to 32 bits: the byte width grows",
     [setbw(8, 32), I("vrsl", rd=1, rs1=1, rs2=2, len=1)], "rd", 1)
xerr("vavg-len-0", "vavg of zero elements has no mean",
     [sldi(2, 1), I("vavg", rd=3, rs1=1, rs2=2, len=0)], "len", 1)
xerr("mvmul-missing-group", "mvmul names group 2; the core only has group 0",
     [I("mvmul", rd=2, rs1=1, mbiw=8, group=2)], "group", 0,
     init={"core0": {"groups": [group(0, 8, [[1]])]}})
xerr("mvmul-mbiw-mismatch", "mvmul with mbiw 4 on a group programmed with mbiw 8",
     [I("nop"), I("mvmul", rd=2, rs1=1, mbiw=4, group=0)], "mbiw", 1,
     init={"core0": {"groups": [group(0, 8, [[1, 2], [3, 4]])]}})
xerr("send-recv-size-mismatch", "core 0 sends 4 bytes, core 1 receives 8: reported at the recv",
     {"core0": [I("send", rs1=0, core=1, size=4)],
      "core1": [I("nop"), I("recv", rd=0, core=0, size=8)]}, "size", 1, core=1)
xerr("recv-out-of-range", "core 1 receives 8 bytes at 4092", {
    "core0": [I("send", rs1=0, core=1, size=8)],
    "core1": [sldi(1, 4092), I("recv", rd=1, core=0, size=8)]}, "rd", 1, core=1)
xerr("after-progress", "the first two instructions run, the third (lldi past the end) fails",
     [sldi(1, 4000), I("lldi", rd=1, imm=1, size=96), I("lldi", rd=1, imm=1, size=97)], "rd", 2)

# --------------------------------------------------------------------------- errors: input


def ierr(name, comment, prog, field, index, core=0, text=None):
    vec("errors", "input." + name, comment, prog,
        error={"kind": "input", "core": core, "index": index, "field": field,
               "text": text or comment})


ierr("register-40", "register index 40 does not fit 5 bits",
     [I("nop"), I("sadd", rd=40, rs1=1, rs2=2)], "rd", 1)
ierr("len-3000", "len 3000 does not fit the 11-bit len field",
     [I("vvadd", rd=1, rs1=2, rs2=3, len=3000)], "len", 0)
ierr("size-2048", "size 2048 does not fit 11 bits", [I("ld", rd=1, rs1=2, size=2048)], "size", 0)
ierr("unknown-op", "op 'vvfoo' is not an ICT PIM ISA instruction",
     [I("sldi", rd=1, imm=0), {"op": "vvfoo", "rd": 1}], "op", 1)
ierr("float-imm", "imm 0.0 is a JSON float; the strict form takes integers only",
     [{"op": "sldi", "rd": 1, "imm": 0.0}], "imm", 0)
ierr("lmv-len", "lmv with 'len' (the PIMCOMP dialect) instead of 'size'",
     [{"op": "lmv", "rd": 1, "rs1": 2, "len": 16}], "len", 0)
ierr("ld-odd-rs1", "ld needs an even rs1 (the register pair's high word)",
     [I("ld", rd=1, rs1=3, size=4)], "rs1", 0)
ierr("st-odd-rd", "st needs an even rd (the register pair's high word)",
     [I("st", rd=5, rs1=2, size=4)], "rd", 0)
ierr("unknown-key", "instruction key 'rs3' is not a field",
     [{"op": "sadd", "rd": 1, "rs1": 2, "rs3": 3}], "rs3", 0)
ierr("offset-select-8", "offset_select 8 does not fit 3 bits",
     [I("vvadd", rd=1, rs1=2, rs2=3, len=1, sel=8, off=0)], "offset.offset_select", 0)
ierr("unused-field", "vrelu takes no rs2: a nonzero rs2 is refused",
     [{"op": "vrelu", "rd": 1, "rs1": 2, "rs2": 3, "len": 1}], "rs2", 0)
ierr("width-33", "setbw obiw 33: widths are 1..32", [setbw(8, 33)], "obiw", 0)
ierr("width-0", "setbw ibiw 0 (or missing): widths are 1..32", [{"op": "setbw", "obiw": 8}],
     "ibiw", 0)
ierr("lldi-imm-256", "lldi's imm is one byte, -128..255", [I("lldi", rd=1, imm=256, size=1)],
     "imm", 0)
ierr("imm-too-large", "sldi imm 2^32 does not fit 32 bits", [sldi(1, 2**32)], "imm", 0)
ierr("offset-value-range", "offset_value 2^28 does not fit the 29-bit signed field",
     [I("vvadd", rd=1, rs1=2, rs2=3, len=1, sel=1, off=2**28)], "offset.offset_value", 0)
vec("errors", "input.send-own-core", "send naming its own core is refused at load time",
    {"core0": [I("nop")], "core1": [I("nop"), I("send", rs1=1, core=1, size=1)]},
    error={"kind": "input", "core": 1, "index": 1, "field": "core",
           "text": "send to its own core"})
vec("errors", "input.sync-no-such-core", "sync names core 5 in a 2-core program",
    {"core0": [I("sync", event_register=0, core=5)], "core1": []},
    error={"kind": "input", "core": 0, "index": 0, "field": "core",
           "text": "core 5 does not exist"})
ierr("relu-bool", "relu true is a JSON boolean, not an integer",
     [{"op": "mvmul", "rd": 1, "rs1": 2, "mbiw": 8, "relu": True}], "relu", 0)
ierr("wait-value-1024", "wait_value 1024 does not fit 10 bits",
     [I("wait", event_register=1, wait_value=1024)], "wait_value", 0)

# =========================================================================== issue 4: completeness
# Directed additions so that every op has a typical case, both saturation edges (where it
# saturates), len/size 0 and 2047, each offset_select bit (full-offset ops), odd widths 3/10/17
# and byte widths 1..4 (width-sensitive ops) and a refused vector; mvmul over p 1/2/4/8 x
# d 1/2/4 with the ADC clipping and ideal, ReLU on/off, a 256x256 group; multi-core barrier
# across 4 cores. The audit table is at the end of docs/vectors.md.

CONFIGS.update({
    "xbar-p1-d1-a3-ideal": pimsim_config(p=1, d=1, a=3, clip=False),
    "xbar-p1-d2-a4": pimsim_config(p=1, d=2, a=4),
    "xbar-p1-d2-a4-ideal": pimsim_config(p=1, d=2, a=4, clip=False),
    "xbar-p1-d4-a5": pimsim_config(p=1, d=4, a=5),
    "xbar-p1-d4-a5-ideal": pimsim_config(p=1, d=4, a=5, clip=False),
    "xbar-p2-d4-a6": pimsim_config(p=2, d=4, a=6),
    "xbar-p2-d4-a6-ideal": pimsim_config(p=2, d=4, a=6, clip=False),
    "xbar-p4-d1-a5": pimsim_config(p=4, d=1, a=5),
    "xbar-p4-d1-a5-ideal": pimsim_config(p=4, d=1, a=5, clip=False),
    "xbar-p4-d2-a8-ideal": pimsim_config(p=4, d=2, a=8, clip=False),
    "xbar-p4-d4-a6-ideal": pimsim_config(p=4, d=4, a=6, clip=False),
    "xbar-p8-d1-a8": pimsim_config(p=8, d=1, a=8),
    "xbar-p8-d1-a8-ideal": pimsim_config(p=8, d=1, a=8, clip=False),
    "xbar-p8-d2-a10": pimsim_config(p=8, d=2, a=10),
    "xbar-p8-d2-a10-ideal": pimsim_config(p=8, d=2, a=10, clip=False),
    "xbar-p8-d4-a8-ideal": pimsim_config(p=8, d=4, a=8, clip=False),
    # 256x256 crossbars (the clipping half of the p4-d2 pair and the 256x256 group)
    "xbar256-p4-d2-a8": pimsim_config(xbar=(256, 256), p=4, d=2, a=8),
})

# --------------------------------------------------------------------------- saturation edges

vec("vector", "vvdmul.sat-obiw16",
    "vvdmul saturates at both edges of obiw 16: 127*127*3 = 48387 -> 32767, "
    "-128*127*3 = -48768 -> -32768",
    [sldi(1, 0), sldi(2, 16), sldi(4, 32), sldi(3, 64), sldi(5, 80), setbw(8, 16),
     I("vvdmul", rd=3, rs1=1, rs2=2, len=3), I("vvdmul", rd=5, rs1=4, rs2=2, len=3)],
    init={"core0": {"lmem": [el(0, 1, [127] * 3), el(16, 1, [127] * 3), el(32, 1, [-128] * 3)]}},
    hand=[(("lmem", 0, 64, 1, 2), [32767]), (("lmem", 0, 80, 1, 2), [-32768])])
vv("vvsll", "vvsll.sat-low", "vvsll saturates low: -2<<7 = -256 -> -128; -1<<6 = -64 fits; "
   "-3<<31 -> -128; -128<<1 = -256 -> -128",
   [-2, -1, -3, -128], [7, 6, 31, 1], out_in=False, hand=[-128, -64, -128, -128])
vv("vvsra", "vvsra.sat-obiw4", "vvsra from 8 to 4 bits saturates both ways: 100>>0 -> 7, "
   "-100>>1 = -50 -> -8, 7 and -8 fit, 127>>4 = 7",
   [100, -100, 7, -8, 127], [0, 1, 0, 0, 4], obiw=4, out_in=False, hand=[7, -8, 7, -8, 7])
vec("vector", "vavg.sat-high",
    "vavg saturates high: ibiw 16, obiw 8, mean of 1000 and 301 = 650.5 -> floor 650 -> 127",
    [sldi(1, 0), sldi(2, 1), sldi(3, 32), setbw(16, 8), I("vavg", rd=3, rs1=1, rs2=2, len=2)],
    init={"core0": {"lmem": [el(0, 2, [1000, 301])]}},
    hand=[(("lmem", 0, 32, 1, 1), [127])])
# F = 4: tanh(1.0) = 12/16, tanh(5.0) = 16/16 -> both above obiw 4's 7; negatives below -8.
#   x = 5 (0.3125): 2x = 10 < 16 -> S = 8*10 + 16*16 = 336, T = 2*336 - 512 = 160, 160/32 = 5.
unary("vtanh", "vtanh.sat-obiw4", "vtanh saturates at both edges of obiw 4: 12 and 16 -> 7, "
      "-12 and -16 -> -8; tanh(0.3125) = 5 fits", [16, -16, 80, -80, 5], obiw=4,
      hand=[7, -8, 7, -8, 5])
vec("vector", "vrsl.sat-narrow",
    "vrsl narrowing 16 -> 8 bits saturates both ways: max(-1000, -2000) = -1000 -> -128, "
    "200 -> 127, -5 fits",
    [sldi(1, 0), sldi(2, -2000), sldi(3, 64), setbw(16, 8), I("vrsl", rd=3, rs1=1, rs2=2, len=3)],
    init={"core0": {"lmem": [el(0, 2, [-1000, 200, -5])]}},
    hand=[(("lmem", 0, 64, 3, 1), [-128, 127, -5])])

# --------------------------------------------------------------------------- len 0


def len0(op, comment, ibiw=8, obiw=16, rs2_reg=None):
    """op with len 0 over a destination holding 5a5a5a5a: nothing is written."""
    prog = [sldi(1, 0), sldi(3, 64)]
    if rs2_reg is not None:
        prog.append(sldi(2, rs2_reg))
    prog.append(setbw(ibiw, obiw))
    if op in ("vrelu", "vtanh", "vsigm"):
        prog.append(I(op, rd=3, rs1=1, len=0, sel=3, off=1))
    else:
        prog.append(I(op, rd=3, rs1=1, rs2=2, len=0, sel=7, off=1))
    vec("vector", op + ".len-0", comment, prog,
        init={"core0": {"lmem": [el(0, 1, [9, 9, 9, 9]), {"addr": 64, "hex": "5a5a5a5a"}]}},
        # nothing written: the 4 bytes at 64 keep 5a 5a 5a 5a
        hand=[(("hex", 0, 64, 4), "5a5a5a5a")])


len0("vvsub", "vvsub with len 0 (all offset bits set) writes nothing", ibiw=16, rs2_reg=32)
len0("vvmul", "vvmul with len 0, obiw 16, writes nothing", rs2_reg=32)
len0("vvmax", "vvmax with len 0 writes nothing", rs2_reg=32)
len0("vvsll", "vvsll with len 0 writes nothing", rs2_reg=32)
len0("vvsra", "vvsra with len 0 writes nothing", rs2_reg=32)
len0("vtanh", "vtanh with len 0 writes nothing")
len0("vsigm", "vsigm with len 0 writes nothing")
len0("vrsu", "vrsu with len 0 (8 -> 16 bits, bound 5) writes nothing", rs2_reg=5)
len0("vrsl", "vrsl with len 0 (8 -> 16 bits, bound -5) writes nothing", rs2_reg=-5)

# --------------------------------------------------------------------------- len/size 2047
# 2047 = the 11-bit maximum. The local memory is 4096 bytes, so two 1-byte operands of 2047
# elements fit (0..2046 and 2048..4094); the ops run in place (rd == rs1) where both inputs
# and the output would not fit.
MAXN = 2047


def maxlen(op, comment, seed, ibiw=8, obiw=8, blo=None, bhi=None, in_place=True, bound=None):
    rng = random.Random(seed)
    ib = pimref.byw(ibiw)
    a = rand_vec(rng, MAXN, ibiw)
    lmem = [el(0, ib, a)]
    prog = [sldi(1, 0), sldi(2, 2048), sldi(3, 0 if in_place else 2048)]
    if (ibiw, obiw) != (8, 8):
        prog.append(setbw(ibiw, obiw))
    if op in ("vrelu", "vtanh", "vsigm"):
        prog.append(I(op, rd=3, rs1=1, len=MAXN))
    elif op in ("vrsu", "vrsl"):
        prog[1] = sldi(2, bound)
        prog.append(I(op, rd=3, rs1=1, rs2=2, len=MAXN))
    else:
        b = [rng.randint(blo, bhi) for _ in range(MAXN)] if blo is not None \
            else rand_vec(rng, MAXN, ibiw)
        lmem.append(el(2048, ib, b))
        prog.append(I(op, rd=3, rs1=1, rs2=2, len=MAXN))
    out_w = ibiw if op in ("vvadd", "vvsub", "vvmax", "vrelu") else obiw
    vec("vector", op + ".len-2047", comment, prog, init={"core0": {"lmem": lmem}},
        check=[("lmem", 0, 0 if in_place else 2048, MAXN, pimref.byw(out_w))])


maxlen("vvadd", "vvadd of 2047 elements (the 11-bit maximum), in place", 4001)
maxlen("vvsub", "vvsub of 2047 elements, in place", 4002)
maxlen("vvmul", "vvmul of 2047 elements, obiw 8, in place", 4003)
maxlen("vvmax", "vvmax of 2047 elements, in place", 4004)
maxlen("vvsll", "vvsll of 2047 elements, shifts -2..9, in place", 4005, blo=-2, bhi=9)
maxlen("vvsra", "vvsra of 2047 elements, shifts -2..40, in place", 4006, blo=-2, bhi=40)
maxlen("vrelu", "vrelu of 2047 16-bit elements in place: bytes 0..4093 of 4096", 4007,
       ibiw=16, obiw=16)
maxlen("vtanh", "vtanh of 2047 elements (F 4) into 2048..4094", 4008, in_place=False)
maxlen("vsigm", "vsigm of 2047 elements (F 4) into 2048..4094", 4009, in_place=False)
maxlen("vrsu", "vrsu of 2047 elements, bound 10, into 2048..4094", 4010, in_place=False,
       bound=10)
maxlen("vrsl", "vrsl of 2047 elements, bound -10, into 2048..4094", 4011, in_place=False,
       bound=-10)
rng = random.Random(4012)
MAXA = rand_vec(rng, MAXN, 8)
vec("vector", "vvdmul.len-2047",
    "vvdmul over 2047 elements, rs2 = rs1 + 1 (overlapping reads are allowed), exact to obiw 32",
    [sldi(1, 0), sldi(2, 1), sldi(3, 2048), setbw(8, 32), I("vvdmul", rd=3, rs1=1, rs2=2, len=MAXN)],
    init={"core0": {"lmem": [el(0, 1, MAXA + [rng.randint(-128, 127)])]}},
    check=[("lmem", 0, 2048, 1, 4)])
# vavg over 2047 elements with stride 2: elements at 0, 2, ..., 4092 (the odd bytes hold 100
# and are not read). x_i = (i mod 7) - 3: each full cycle of 7 sums to 0; 2047 = 7*292 + 3, the
# last three are -3, -2, -1: sum -6, floor(-6 / 2047) = -1.
vec("vector", "vavg.len-2047",
    "vavg of 2047 elements with stride 2 (addresses 0..4092): floor(-6/2047) = -1",
    [sldi(1, 0), sldi(2, 2), sldi(3, 4095), I("vavg", rd=3, rs1=1, rs2=2, len=MAXN)],
    init={"core0": {"lmem": [el(0, 1, [((k // 2) % 7) - 3 if k % 2 == 0 else 100
                                       for k in range(2 * MAXN - 1)])]}},
    hand=[(("lmem", 0, 4095, 1, 1), [-1])])
# vmv reversing 2047 elements: stride -1 from 2046 down to 0 into 2048..4094; element i of
# the output = input element 2046 - i.
MVX = [(k * 37) % 256 - 128 for k in range(MAXN)]
vec("vector", "vmv.len-2047",
    "vmv gathers 2047 elements with stride -1 (a reversal) from 2046..0 into 2048..4094",
    [sldi(1, 2046), sldi(2, -1), sldi(3, 2048), I("vmv", rd=3, rs1=1, rs2=2, len=MAXN)],
    init={"core0": {"lmem": [el(0, 1, MVX)]}},
    hand=[(("lmem", 0, 2048, MAXN, 1), MVX[::-1])])

rng = random.Random(4020)
XFER_DATA = bytes(rng.randrange(256) for _ in range(MAXN))
vec("transfer", "ld-st.size-2047",
    "ld of 2047 bytes GMem[0x1000] -> LMem[0], then st of 2047 bytes LMem[0] -> GMem[0x3001]",
    [sldi(2, 0), sldi(3, 0x1000), sldi(1, 0), I("ld", rd=1, rs1=2, size=MAXN),
     sldi(5, 0x3001), I("st", rd=4, rs1=1, size=MAXN)],
    init={"gmem": [{"addr": 0x1000, "hex": XFER_DATA.hex()}]},
    hand=[(("hex", 0, 0, MAXN + 1), XFER_DATA.hex() + "00"),
          (("gmem", 0x3000, MAXN + 2), "00" + XFER_DATA.hex() + "00")])
# lldi 2047 bytes of 0xa5 at 1000..3046: the neighbours 999 and 3047 stay 0.
vec("transfer", "lldi.size-2047",
    "lldi sets 2047 bytes (the 11-bit maximum) to 0xa5 (imm -91); neighbours untouched",
    [sldi(1, 999), I("lldi", rd=1, imm=-91, size=MAXN, off=1)],
    hand=[(("hex", 0, 999, MAXN + 2), "00" + "a5" * MAXN + "00")])
vec("transfer", "lmv.size-2047",
    "lmv of 2047 bytes 0..2046 -> 2049..4095 (ends at the last byte of the 4096-byte memory)",
    [sldi(1, 0), sldi(2, 2049), I("lmv", rd=2, rs1=1, size=MAXN)],
    init={"core0": {"lmem": [{"addr": 0, "hex": XFER_DATA.hex()}]}},
    hand=[(("hex", 0, 2048, MAXN + 1), "00" + XFER_DATA.hex())])
vec("transfer", "send-recv.size-2047",
    "core 0 sends 2047 bytes from LMem[1] to core 1, received at LMem[2049..4095]",
    {"core0": [sldi(1, 1), I("send", rs1=1, core=1, size=MAXN)],
     "core1": [sldi(1, 2048), I("recv", rd=1, core=0, size=MAXN, off=1)]},
    init={"core0": {"lmem": [{"addr": 1, "hex": XFER_DATA.hex()}]}},
    hand=[(("hex", 1, 2048, MAXN + 1), "00" + XFER_DATA.hex())])

# --------------------------------------------------------------------------- offset bits
# One vector per op with three instructions, offset_select 1, 2 and 4 alone, offsets 2, 3, 4
# (elements), each writing its own region. a at 0x100, b at 0x200, outputs at 0x400/0x500/0x600.
OFFS = [2, 3, 4]


def offbits(op, comment, seed, ibiw, obiw, bound=None, a=None, b=None, hand=None):
    rng = random.Random(seed)
    ib = pimref.byw(ibiw)
    unary_op = op in ("vrelu", "vtanh", "vsigm")
    a = a if a is not None else rand_vec(rng, 8, ibiw)
    b = b if b is not None else rand_vec(rng, 8, ibiw)
    if op in ("vvsll", "vvsra"):
        b = [rng.randint(-1, 9) for _ in range(8)]
    lmem = [el(0x100, ib, a)]
    prog = [sldi(1, 0x100), sldi(3, 0x400), sldi(4, 0x500), sldi(5, 0x600), setbw(ibiw, obiw)]
    if bound is not None:
        prog.insert(1, sldi(2, bound))
    elif not unary_op:
        prog.insert(1, sldi(2, 0x200))
        lmem.append(el(0x200, ib, b))
    out_w = ibiw if op in ("vvadd", "vvsub", "vvmax", "vrelu") else obiw
    ob = pimref.byw(out_w)
    n = 1 if op == "vvdmul" else 3
    obs = []
    for k in range(3):
        sel, off = 1 << k, OFFS[k]
        if unary_op:
            prog.append(I(op, rd=3 + k, rs1=1, len=3, sel=sel, off=off))
        else:
            prog.append(I(op, rd=3 + k, rs1=1, rs2=2, len=3, sel=sel, off=off))
        dst = 0x400 + 0x100 * k + (off * ob if k == 0 and op != "vvdmul" else 0)
        obs.append(("lmem", 0, dst, n, ob))
    if hand is not None:
        vec("vector", op + ".offset-bits", comment, prog, init={"core0": {"lmem": lmem}},
            hand=list(zip(obs, hand)))
    else:
        vec("vector", op + ".offset-bits", comment, prog, init={"core0": {"lmem": lmem}},
            check=obs)


# vvsub, ibiw 16 (offsets scale by ibyw 2 for rd, rs1 and rs2), a = [1..8]*10, b = [1..8]:
#   sel 1, off 2: rd' = 0x400 + 4, a[0:3] - b[0:3] = [9, 18, 27]
#   sel 2, off 3: rs1' = a + 3 elements: a[3:6] - b[0:3] = [40-1, 50-2, 60-3] = [39, 48, 57]
#   sel 4, off 4: rs2' = b + 4 elements: a[0:3] - b[4:7] = [10-5, 20-6, 30-7] = [5, 14, 23]
offbits("vvsub", "vvsub with offset_select 1, 2, 4 alone (ibiw 16: offsets x 2 bytes)", 5001,
        16, 8, a=[10, 20, 30, 40, 50, 60, 70, 80], b=[1, 2, 3, 4, 5, 6, 7, 8],
        hand=[[9, 18, 27], [39, 48, 57], [5, 14, 23]])
offbits("vvmul", "vvmul with offset_select 1, 2, 4 alone; rd scales by obyw 2", 5002, 8, 16)
offbits("vvdmul", "vvdmul with offset_select 1 (no effect: rd takes no offset), 2 and 4",
        5003, 16, 32)
offbits("vvmax", "vvmax with offset_select 1, 2, 4 alone (ibiw 16)", 5004, 16, 8)
offbits("vvsll", "vvsll with offset_select 1, 2, 4 alone; rd scales by obyw 2", 5005, 8, 16)
offbits("vvsra", "vvsra with offset_select 1, 2, 4 alone; rd scales by obyw 2", 5006, 8, 16)
offbits("vrelu", "vrelu with offset_select 1, 2 and 4 (bit 2 has no operand: ignored), ibiw 16",
        5007, 16, 8)
offbits("vtanh", "vtanh with offset_select 1, 2 and 4 (ignored); rd scales by obyw 2", 5008, 8,
        16)
offbits("vsigm", "vsigm with offset_select 1, 2 and 4 (ignored); rd scales by obyw 4", 5009, 8,
        32)
offbits("vrsu", "vrsu with offset_select 1, 2 and 4 (ignored: rs2 is the bound 20); "
        "rd scales by obyw 2", 5010, 8, 16, bound=20)
offbits("vrsl", "vrsl with offset_select 1, 2 and 4 (ignored: rs2 is the bound -20); "
        "rd scales by obyw 2", 5011, 8, 16, bound=-20)

# transfers: offsets in bytes; bit 0 = rd, bit 1 = rs1, bit 2 has no operand (ignored)
vec("transfer", "ld.offset-bits",
    "ld with offset_select 1 (LMem rd + 5), 2 (GMem rs1 + 5), 4 (ignored) alone",
    [sldi(2, 0), sldi(3, 0x100), sldi(1, 0), sldi(4, 16), sldi(5, 32),
     I("ld", rd=1, rs1=2, size=3, sel=1, off=5), I("ld", rd=4, rs1=2, size=3, sel=2, off=5),
     I("ld", rd=5, rs1=2, size=3, sel=4, off=5)],
    init={"gmem": [{"addr": 0x100, "hex": "0102030405060708090a"}]},
    # LMem[5..7] = 01 02 03; LMem[16..18] = GMem[0x105..] = 06 07 08; LMem[32..34] = 01 02 03
    hand=[(("hex", 0, 0, 8), "0000000000010203"), (("hex", 0, 16, 3), "060708"),
          (("hex", 0, 32, 3), "010203")])
vec("transfer", "st.offset-bits",
    "st with offset_select 1 (GMem rd + 5), 2 (LMem rs1 + 5), 4 (ignored) alone",
    [sldi(4, 0), sldi(5, 0x100), sldi(6, 0), sldi(7, 0x200), sldi(8, 0), sldi(9, 0x300),
     sldi(1, 0), I("st", rd=4, rs1=1, size=3, sel=1, off=5),
     I("st", rd=6, rs1=1, size=3, sel=2, off=5), I("st", rd=8, rs1=1, size=3, sel=4, off=5)],
    init={"core0": {"lmem": [{"addr": 0, "hex": "a0a1a2a3a4a5a6a7a8"}]}},
    hand=[(("gmem", 0x100, 8), "0000000000a0a1a2"), (("gmem", 0x200, 3), "a5a6a7"),
          (("gmem", 0x300, 3), "a0a1a2")])
vec("transfer", "lmv.offset-bits",
    "lmv with offset_select 1 (rd + 5), 2 (rs1 + 5), 4 (ignored) alone",
    [sldi(1, 0), sldi(2, 16), sldi(3, 32), sldi(4, 48),
     I("lmv", rd=2, rs1=1, size=3, sel=1, off=5), I("lmv", rd=3, rs1=1, size=3, sel=2, off=5),
     I("lmv", rd=4, rs1=1, size=3, sel=4, off=5)],
    init={"core0": {"lmem": [{"addr": 0, "hex": "b0b1b2b3b4b5b6b7b8"}]}},
    hand=[(("hex", 0, 16, 8), "0000000000b0b1b2"), (("hex", 0, 32, 3), "b5b6b7"),
          (("hex", 0, 48, 3), "b0b1b2")])

# --------------------------------------------------------------------------- widths 3/10/17, byte widths 1..4
# Four stages per op, (ibiw, obiw) = (3, 10), (10, 17), (17, 32), (32, 3): input and output
# widths are odd 3/10/17 and their byte widths run through 1..4. Stage s uses 0x100*s (a),
# +0x40 (b), +0x80 (out).
WSTAGES = [(3, 10), (10, 17), (17, 32), (32, 3)]


def widths(op, comment, seed, data=None, hand=None):
    rng = random.Random(seed)
    prog, lmem, obs = [], [], []
    unary_op = op in ("vrelu", "vtanh", "vsigm")
    for s, (ibiw, obiw) in enumerate(WSTAGES):
        base = 0x100 * s
        ib = pimref.byw(ibiw)
        lo, hi = -(1 << (ibiw - 1)), (1 << (ibiw - 1)) - 1
        if data is not None:
            a, b = data[s]
        else:
            a = [lo, hi, -1, 0] + rand_vec(rng, 2, ibiw)
            b = [hi, lo, 1, -1] + rand_vec(rng, 2, ibiw)
            if op in ("vvsll", "vvsra"):
                b = [1, 0, 2, 31] + [rng.randint(-1, min(hi, 40)) for _ in range(2)]
        n = len(a)
        prog += [setbw(ibiw, obiw), sldi(1, base), sldi(3, base + 0x80)]
        lmem.append(el(base, ib, a))
        out_w = ibiw if op in ("vvsub", "vvmax", "vrelu", "vmv") else obiw
        nout = n
        if op in ("vavg", "vmv"):
            prog += [sldi(2, 1 if op == "vavg" else 2)]
            nout = 1 if op == "vavg" else n // 2
            prog.append(I(op, rd=3, rs1=1, rs2=2, len=nout if op == "vmv" else n))
        elif op in ("vrsu", "vrsl"):
            prog += [sldi(2, [-3, 100, -40000, 5][s] if op == "vrsu" else [1, -100, 40000, -5][s])]
            prog.append(I(op, rd=3, rs1=1, rs2=2, len=n))
        elif unary_op:
            prog.append(I(op, rd=3, rs1=1, len=n))
        else:
            prog.append(sldi(2, base + 0x40))
            lmem.append(el(base + 0x40, ib, b))
            prog.append(I(op, rd=3, rs1=1, rs2=2, len=n))
            if op == "vvdmul":
                nout = 1
        obs.append(("lmem", 0, base + 0x80, nout, pimref.byw(out_w)))
    if hand is not None:
        vec("vector", op + ".widths-3-10-17-32", comment, prog, init={"core0": {"lmem": lmem}},
            hand=list(zip(obs, hand)))
    else:
        vec("vector", op + ".widths-3-10-17-32", comment, prog, init={"core0": {"lmem": lmem}},
            check=obs)


# vvsub (output width ibiw) by hand, stages ibiw 3, 10, 17, 32:
#   3:  [3, -4, 1, -2] - [-1, 1, 3, -2] = [4, -5, -2, 0]  -> sat 3 bits [-4, 3]: [3, -4, -2, 0]
#   10: [511, -512, 100, -1] - [-1, 1, -300, -1] = [512, -513, 400, 0] -> [511, -512, 400, 0]
#   17: [65535, -65536, 40000, 0] - [-1, 1, -40000, 5] = [65536, -65537, 80000, -5]
#       -> sat 17 bits [-65536, 65535]: [65535, -65536, 65535, -5]
#   32: [2^31-1, -2^31, 7, -7] - [-1, 1, 3, -7] -> [2^31-1, -2^31, 4, 0]
widths("vvsub", "vvsub at ibiw 3, 10, 17, 32 (byte widths 1..4), saturating at each width", 0,
       data=[([3, -4, 1, -2], [-1, 1, 3, -2]), ([511, -512, 100, -1], [-1, 1, -300, -1]),
             ([65535, -65536, 40000, 0], [-1, 1, -40000, 5]),
             ([2**31 - 1, -2**31, 7, -7], [-1, 1, 3, -7])],
       hand=[[3, -4, -2, 0], [511, -512, 400, 0], [65535, -65536, 65535, -5],
             [2**31 - 1, -2**31, 4, 0]])
widths("vvmul", "vvmul at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6002)
widths("vvdmul", "vvdmul at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6003)
widths("vvmax", "vvmax at ibiw 3, 10, 17, 32", 6004)
widths("vvsll", "vvsll at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6005)
widths("vvsra", "vvsra at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6006)
widths("vavg", "vavg at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6007)
widths("vrelu", "vrelu at ibiw 3, 10, 17, 32", 6008)
widths("vtanh", "vtanh (F 4) at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6009)
widths("vsigm", "vsigm (F 4) at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3)", 6010)
widths("vmv", "vmv with stride 2 at ibiw 3, 10, 17, 32 (each element re-stored sign-extended)",
       6011)
widths("vrsu", "vrsu at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3), bounds -3 100 -40000 5", 6012)
widths("vrsl", "vrsl at (ibiw, obiw) (3,10) (10,17) (17,32) (32,3), bounds 1 -100 40000 -5",
       6013)

# mvmul at odd widths: four groups with mbiw 3, 10, 17, 32, one per stage (ibiw, obiw) of
# WSTAGES; 4 rows x 3 columns; default crossbar (p 2, d 1, a 8): 4 rows of 1-bit steps and
# 2-bit cells sum to at most 12, no clipping, so each result is the exact product, saturated.
rng = random.Random(6014)
MW_PROG, MW_GROUPS, MW_LMEM, MW_OBS, MW_EXACT = [sldi(1, 0)], [], [], [], []
for s, ((ibiw, obiw), mbiw) in enumerate(zip(WSTAGES, [3, 10, 17, 32])):
    w = rand_matrix(rng, 4, 3, mbiw)
    w[0][0] = (1 << (mbiw - 1)) - 1
    w[1][1] = -(1 << (mbiw - 1))
    x = rand_vec(rng, 4, ibiw)
    x[0] = (1 << (ibiw - 1)) - 1
    MW_GROUPS.append(group(s, mbiw, w))
    MW_LMEM.append(el(0x100 * s, pimref.byw(ibiw), x))
    MW_PROG += [setbw(ibiw, obiw), sldi(1, 0x100 * s), sldi(2, 0x100 * s + 0x80),
                I("mvmul", rd=2, rs1=1, mbiw=mbiw, group=s)]
    MW_OBS.append(("lmem", 0, 0x100 * s + 0x80, 3, pimref.byw(obiw)))
    MW_EXACT.append(exact_mv(w, x, 0, obiw))


def _mw_extra(m, v):
    for ob, ex in zip(MW_OBS, MW_EXACT):
        assert observe(m, ob) == ex, (v["id"], ob)


vec("matrix", "mvmul.widths-3-10-17-32",
    "mvmul at (ibiw, obiw, mbiw) (3,10,3) (10,17,10) (17,32,17) (32,3,32): byte widths 1..4",
    MW_PROG, init={"core0": {"lmem": MW_LMEM, "groups": MW_GROUPS}}, check=MW_OBS,
    extra=_mw_extra)

# --------------------------------------------------------------------------- mvmul: p x d x clip
# For every (cell precision, DAC resolution) not yet covered by a clip/ideal pair: the same
# group and input on a clipping ADC and on an ideal one (same p, d, a), each run with relu 0
# (output at 1024) and relu 1 (output at 2048). Inputs and weights lean towards the top of
# their ranges so that the column sums exceed the ADC's full scale.


def mv_pair_data(rng, n, m, ibiw, mbiw, top_part=3):
    def top(w):
        lo, hi = -(1 << (w - 1)), (1 << (w - 1)) - 1
        return (rng.randint(hi - (hi - lo) // top_part, hi) if rng.random() < 0.8
                else rng.randint(lo, hi))
    w = [[top(mbiw) for _ in range(m)] for _ in range(n)]
    x = [top(ibiw) for _ in range(n)]
    for j in range(0, m, 3):  # some columns negative so that relu matters
        for i in range(n):
            w[i][j] = -w[i][j] if w[i][j] > -(1 << (mbiw - 1)) else w[i][j]
    return w, x


def mv_relu2(name, comment, config, ibiw, obiw, mbiw, w, x, expect_exact, hand=None,
             signs=True):
    ib, ob = pimref.byw(ibiw), pimref.byw(obiw)
    prog = [sldi(1, 0), sldi(2, 1024), sldi(3, 2048), setbw(ibiw, obiw),
            I("mvmul", rd=2, rs1=1, mbiw=mbiw, group=0, relu=0),
            I("mvmul", rd=3, rs1=1, mbiw=mbiw, group=0, relu=1)]
    init = {"core0": {"lmem": [el(0, ib, x)], "groups": [group(0, mbiw, w)]}}
    obs = [("lmem", 0, 1024, len(w[0]), ob), ("lmem", 0, 2048, len(w[0]), ob)]
    ex = [exact_mv(w, x, 0, obiw), exact_mv(w, x, 1, obiw)]

    def extra(m, v):
        got = [observe(m, o) for o in obs]
        assert got[1] == [max(y, 0) for y in got[0]], v["id"]
        if signs:
            # relu must change something; on an ideal ADC positives pass through too
            assert any(y < 0 for y in got[0]), (v["id"], got)
            assert any(y > 0 for y in got[0]) or not expect_exact, (v["id"], got)
        if expect_exact:
            assert got == ex and m.adc_clips == 0, (v["id"], got, ex)
        elif expect_exact is False:
            assert got[0] != ex[0] and m.adc_clips > 0, (v["id"], got, ex)

    vec("matrix", name, comment, prog, init=init, config=config,
        hand=list(zip(obs, hand)) if hand else (), check=[] if hand else obs, extra=extra)


#        p  d  a  clip config           ideal config            ibiw mbiw obiw rows cols
PAIRS = [(1, 1, 3, "xbar-p1-d1-a3", "xbar-p1-d1-a3-ideal", 6, 5, 20, 16, 6),
         (1, 2, 4, "xbar-p1-d2-a4", "xbar-p1-d2-a4-ideal", 5, 3, 16, 16, 8),
         (1, 4, 5, "xbar-p1-d4-a5", "xbar-p1-d4-a5-ideal", 10, 4, 32, 16, 8),
         (2, 4, 6, "xbar-p2-d4-a6", "xbar-p2-d4-a6-ideal", 8, 6, 24, 16, 8),
         (4, 1, 5, "xbar-p4-d1-a5", "xbar-p4-d1-a5-ideal", 3, 10, 17, 16, 8),
         (4, 2, 8, "xbar256-p4-d2-a8", "xbar-p4-d2-a8-ideal", 7, 8, 32, 24, 8),
         (4, 4, 6, "xbar-p4-d4-a6", "xbar-p4-d4-a6-ideal", 12, 7, 32, 16, 6),
         (8, 1, 8, "xbar-p8-d1-a8", "xbar-p8-d1-a8-ideal", 4, 12, 24, 16, 8),
         (8, 2, 10, "xbar-p8-d2-a10", "xbar-p8-d2-a10-ideal", 6, 16, 32, 16, 8),
         (8, 4, 8, "xbar-p8-d4-a8", "xbar-p8-d4-a8-ideal", 9, 8, 32, 16, 8)]
for k, (p, d, a, ccfg, icfg, ibiw, mbiw, obiw, n, m) in enumerate(PAIRS):
    rng = random.Random(7000 + k)
    w, x = mv_pair_data(rng, n, m, ibiw, mbiw)
    tag = "p%d-d%d" % (p, d)
    mv_relu2("mvmul.%s-clip-relu" % tag,
             "cell precision %d, DAC %d bits, %d-bit ADC clipping; ibiw %d, mbiw %d, obiw %d, "
             "%dx%d; relu 0 and relu 1" % (p, d, a, ibiw, mbiw, obiw, n, m),
             cfgref(ccfg), ibiw, obiw, mbiw, w, x, expect_exact=False)
    mv_relu2("mvmul.%s-ideal-relu" % tag,
             "the same group and input as mvmul.%s-clip-relu with an ideal ADC "
             "(adc_clip false): the exact product; relu 0 and relu 1" % tag,
             cfgref(icfg), ibiw, obiw, mbiw, w, x, expect_exact=True)
# the remaining two pairs reuse existing configs: p2-d1 (small: a 8, needs > 85 rows of
# top digits to clip, so reference-small with 128 rows) and p2-d2 (a4 / a3-ideal)
rng = random.Random(7100)
w, x = mv_pair_data(rng, 128, 8, 8, 8, top_part=8)
mv_relu2("mvmul.p2-d1-clip-relu", "cell precision 2, DAC 1 bit, 8-bit ADC clipping (reference "
         "architecture), 128x8; relu 0 and relu 1", cfgref("reference-small"), 8, 32, 8, w, x,
         expect_exact=False)
rng = random.Random(7101)
w, x = mv_pair_data(rng, 16, 8, 7, 5)
mv_relu2("mvmul.p2-d2-clip-relu", "cell precision 2, DAC 2 bits, 4-bit ADC clipping, 16x8; "
         "relu 0 and relu 1", cfgref("xbar-p2-d2-a4"), 7, 16, 5, w, x, expect_exact=False)
mv_relu2("mvmul.p2-d2-ideal-relu", "the same as mvmul.p2-d2-clip-relu with an ideal ADC",
         cfgref("xbar-p2-d2-a3-ideal"), 7, 16, 5, w, x, expect_exact=True)
rng = random.Random(7102)
w, x = mv_pair_data(rng, 16, 8, 8, 8)
mv_relu2("mvmul.p2-d1-ideal-relu", "cell precision 2, DAC 1 bit, ideal ADC, 16x8; relu 0 and 1",
         pimsim_config(p=2, d=1, a=8, clip=False), 8, 32, 8, w, x, expect_exact=True)

# Hand-worked, p = 1, d = 4, a = 5 (full scale 31), ibiw 4, mbiw 2, obiw 8, 3x2 group:
#   W = all 1, x = [7, 7, 7]: x' = 7 + 8 = 15 (one 4-bit DAC step, u = 15);
#   w' = 1 + 2 = 3 = cells (1, 1) for slices t = 0, 1.
#   s = 3 rows * 15 * 1 = 45 > 31 -> ADC 31 for both slices and columns;
#   P = 31 * 2^0 + 31 * 2^1 = 93;
#   y = 93 - 2^(2-1) * (3*15) - 2^(4-1) * (3*1) = 93 - 90 - 24 = -21 (exact: 3*7*1 = 21);
#   relu 1: max(-21, 0) = 0.
mv_relu2("mvmul.hand-p1-d4-a5", "3x2 all-max worked by hand on 1-bit cells and a 4-bit DAC: "
         "every column sum 45 clips at 31, y = -21 (exact 21); relu 1 gives 0",
         cfgref("xbar-p1-d4-a5"), 4, 8, 2, [[1, 1]] * 3, [7, 7, 7], expect_exact=False,
         hand=[[-21, -21], [0, 0]], signs=False)

# --------------------------------------------------------------------------- mvmul: 256x256
# 256x256 crossbars (p 4, d 2, a 8, clipping). Group 0: 256x256 random 8-bit weights (two
# crossbars: 8-bit weights take 2 cells, 128 columns per crossbar), obiw 32. Group 1: 256x4,
# all inputs and weights 127, worked by hand:
#   x' = 127 + 128 = 255: four 2-bit steps, u = 3 each; w' = 255: two 4-bit slices, c = 15;
#   s = 256 * 3 * 15 = 11520 > 255 -> ADC 255 for every (step, slice, column);
#   P = 255 * (1 + 4 + 16 + 64) * (1 + 16) = 255 * 85 * 17 = 368475;
#   y = 368475 - 2^7 * (256 * 255) - 2^7 * (256 * 127) = 368475 - 8355840 - 4161536
#     = -12148901  (the exact product would be 256 * 127 * 127 = 4129024).
rng = random.Random(7200)
G256 = rand_matrix(rng, 256, 256, 8)
X256 = rand_vec(rng, 256, 8)
vec("matrix", "mvmul.group-256x256",
    "a 256x256 group of random 8-bit weights on 256x256 crossbars (4-bit cells, 2-bit DAC, "
    "8-bit ADC clipping), obiw 32; then a 256x4 all-max group worked by hand",
    [sldi(1, 0), sldi(2, 1024), sldi(3, 2048), setbw(8, 32),
     I("mvmul", rd=2, rs1=1, mbiw=8, group=0), sldi(4, 256),
     I("mvmul", rd=3, rs1=4, mbiw=8, group=1)],
    init={"core0": {"lmem": [el(0, 1, X256), el(256, 1, [127] * 256)],
                    "groups": [group(0, 8, G256), group(1, 8, [[127] * 4 for _ in range(256)])]}},
    config=cfgref("xbar256-p4-d2-a8"),
    check=[("lmem", 0, 1024, 256, 4)], hand=[(("lmem", 0, 2048, 4, 4), [-12148901] * 4)])

# --------------------------------------------------------------------------- refused, per op
# errors.input.<op>-<what>: one field out of range (or not taken) for each op that had no
# refused vector yet.
ierr("nop-rd", "nop takes no fields: a nonzero rd is refused", [{"op": "nop", "rd": 1}], "rd", 0)
ierr("sld-odd-rs1", "sld needs an even rs1 (the register pair's high word)",
     [I("nop"), I("sld", rd=1, rs1=3)], "rs1", 1)
ierr("ssub-rs2-32", "ssub rs2 32 does not fit 5 bits", [I("ssub", rd=1, rs1=2, rs2=32)], "rs2", 0)
ierr("smul-rs1-negative", "smul rs1 -1 is not a register index",
     [I("smul", rd=1, rs1=-1, rs2=2)], "rs1", 0)
ierr("saddi-imm-below-range", "saddi imm -2^31-1 is below the 32-bit range",
     [I("saddi", rd=1, rs1=1, imm=-2**31 - 1)], "imm", 0)
ierr("smuli-imm-2pow32", "smuli imm 2^32 does not fit 32 bits",
     [I("smuli", rd=1, rs1=1, imm=2**32)], "imm", 0)
ierr("setbw-rd", "setbw takes only ibiw and obiw: a nonzero rd is refused",
     [{"op": "setbw", "ibiw": 8, "obiw": 8, "rd": 1}], "rd", 0)
ierr("mvmul-group-16", "mvmul group 16 does not fit 4 bits (groups 0..15)",
     [I("mvmul", rd=1, rs1=2, mbiw=8, group=16)], "group", 0)
ierr("mvmul-mbiw-missing", "mvmul without mbiw (0): widths are 1..32",
     [{"op": "mvmul", "rd": 1, "rs1": 2, "group": 0}], "mbiw", 0)
ierr("vvsub-len-2048", "vvsub len 2048 does not fit 11 bits",
     [I("vvsub", rd=1, rs1=2, rs2=3, len=2048)], "len", 0)
ierr("vvmul-offset-value-below", "vvmul offset_value -2^28-1 is below the 29-bit signed range",
     [I("vvmul", rd=1, rs1=2, rs2=3, len=1, sel=2, off=-2**28 - 1)], "offset.offset_value", 0)
ierr("vvdmul-len-negative", "vvdmul len -1 is outside 0..2047",
     [I("vvdmul", rd=1, rs1=2, rs2=3, len=-1)], "len", 0)
ierr("vvmax-offset-unknown-key", "vvmax offset with an unknown key 'offset_scale'",
     [{"op": "vvmax", "rd": 1, "rs1": 2, "rs2": 3, "len": 1,
       "offset": {"offset_select": 1, "offset_value": 0, "offset_scale": 2}}],
     "offset.offset_scale", 0)
ierr("vvsll-rd-32", "vvsll rd 32 does not fit 5 bits", [I("vvsll", rd=32, rs1=2, rs2=3, len=1)],
     "rd", 0)
ierr("vvsra-len-string", "vvsra len \"4\" is a string, not an integer",
     [{"op": "vvsra", "rd": 1, "rs1": 2, "rs2": 3, "len": "4"}], "len", 0)
ierr("vavg-offset-select-8", "vavg's offset_select is ignored but must still fit 0..7",
     [I("vavg", rd=1, rs1=2, rs2=3, len=1, sel=8, off=0)], "offset.offset_select", 0)
ierr("vrelu-len-2048", "vrelu len 2048 does not fit 11 bits", [I("vrelu", rd=1, rs1=2, len=2048)],
     "len", 0)
ierr("vtanh-rs2", "vtanh takes no rs2: a nonzero rs2 is refused",
     [{"op": "vtanh", "rd": 1, "rs1": 2, "rs2": 3, "len": 1}], "rs2", 0)
ierr("vsigm-size", "vsigm counts elements with len; size is not a field of vsigm",
     [{"op": "vsigm", "rd": 1, "rs1": 2, "size": 4}], "size", 0)
ierr("vmv-offset", "vmv takes no offset: a nonzero offset_value is refused",
     [{"op": "vmv", "rd": 1, "rs1": 2, "rs2": 3, "len": 1,
       "offset": {"offset_select": 0, "offset_value": 1}}], "offset.offset_value", 0)
ierr("vrsu-rs1-null", "vrsu rs1 null is not an integer",
     [{"op": "vrsu", "rd": 1, "rs1": None, "rs2": 3, "len": 1}], "rs1", 0)
ierr("vrsl-offset-value-2pow28", "vrsl offset_value 2^28 does not fit 29 bits signed",
     [I("vrsl", rd=1, rs1=2, rs2=3, len=1, sel=1, off=2**28)], "offset.offset_value", 0)
ierr("ld-rd-32", "ld rd 32 does not fit 5 bits", [I("ld", rd=32, rs1=2, size=1)], "rd", 0)
ierr("st-size-2048", "st size 2048 does not fit 11 bits", [I("st", rd=2, rs1=1, size=2048)],
     "size", 0)
ierr("lldi-imm-below", "lldi imm -129 is below the byte range -128..255",
     [I("lldi", rd=1, imm=-129, size=1)], "imm", 0)
ierr("lmv-offset-select-8", "lmv offset_select 8 does not fit 3 bits",
     [I("lmv", rd=1, rs1=2, size=1, sel=8, off=0)], "offset.offset_select", 0)
vec("errors", "input.send-no-such-core", "send names core 2 in a 2-core program",
    {"core0": [I("send", rs1=1, core=2, size=1)], "core1": []},
    error={"kind": "input", "core": 0, "index": 0, "field": "core",
           "text": "core 2 does not exist"})
vec("errors", "input.recv-own-core", "recv naming its own core is refused at load time",
    {"core0": [I("nop")], "core1": [I("recv", rd=1, core=1, size=1)]},
    error={"kind": "input", "core": 1, "index": 0, "field": "core",
           "text": "recv from its own core"})
ierr("wait-event-32", "wait event_register 32 does not fit 5 bits",
     [I("wait", event_register=32, wait_value=0)], "event_register", 0)
ierr("sync-event-32", "sync event_register 32 does not fit 5 bits",
     [I("sync", event_register=32, core=0)], "event_register", 0)

# --------------------------------------------------------------------------- multicore
# 4-core barrier: every core stores its byte to GMem[0x10 + c], syncs event 1 of all four
# cores (itself included) and waits for event 1 == 4; only then it loads GMem[0x10..0x13].
# Without the barrier core 0 (scheduled first) would read 2a 00 00 00.
BAR_BYTES = [0x2a, 0x3b, 0x4c, 0x5d]


def barrier4(c, skip_sync_to=None):
    return ([sldi(2, 0), sldi(3, 0x10 + c), sldi(1, 0), I("lldi", rd=1, imm=BAR_BYTES[c], size=1),
             I("st", rd=2, rs1=1, size=1)] +
            [I("sync", event_register=1, core=t) for t in range(4) if t != skip_sync_to] +
            [I("wait", event_register=1, wait_value=4), sldi(3, 0x10), sldi(1, 8),
             I("ld", rd=1, rs1=2, size=4)])


vec("multicore", "barrier-4",
    "4-core barrier with sync/wait: each core stores one byte, syncs event 1 of all four cores, "
    "waits for 4, then loads the four bytes (all present only because of the barrier)",
    {"core%d" % c: barrier4(c) for c in range(4)},
    hand=[(("hex", c, 8, 4), "2a3b4c5d") for c in range(4)] +
         [(("events", c, [1]), [0]) for c in range(4)])
# the same barrier with core 3 not syncing core 0: cores 1..3 pass (their event 1 reaches 4),
# core 0 waits at instruction 9 (5 + 4 syncs) with event 1 holding 3.
vec("multicore", "deadlock.barrier-4-missing-sync",
    "the 4-core barrier where core 3 forgets to sync core 0: core 0 waits for 4, holds 3",
    {"core%d" % c: barrier4(c, skip_sync_to=0 if c == 3 else None) for c in range(4)},
    error={"kind": "deadlock", "core": 0, "index": 9,
           "text": "deadlock: core 0 at instruction 9 (wait event 1 == 4, holds 3)"})

# 4-core pipeline of two mvmul layers: core 0 loads 8 inputs from GMem and sends them; core 1
# runs layer 1 (8x6, relu) and sends; core 2 runs layer 2 (6x4) and sends 4 16-bit results;
# core 3 receives and stores them to GMem. Default crossbar; small sums, no clipping.
rng = random.Random(7300)
PL_X = rand_vec(rng, 8, 8)
PL_W1 = rand_matrix(rng, 8, 6, 4)
PL_W2 = rand_matrix(rng, 6, 4, 4)
PL_H = exact_mv(PL_W1, PL_X, 1, 8)
PL_Y = exact_mv(PL_W2, PL_H, 0, 16)
vec("multicore", "pipeline-4-mvmul",
    "4-core pipeline: load -> mvmul layer 1 (relu, obiw 8) -> mvmul layer 2 (obiw 16) -> store, "
    "passing activations with send/recv",
    {"core0": [sldi(2, 0), sldi(3, 0x100), sldi(1, 0), I("ld", rd=1, rs1=2, size=8),
               I("send", rs1=1, core=1, size=8)],
     "core1": [sldi(1, 0), sldi(2, 64), I("recv", rd=1, core=0, size=8),
               I("mvmul", rd=2, rs1=1, mbiw=4, group=0, relu=1), I("send", rs1=2, core=2, size=6)],
     "core2": [sldi(1, 0), sldi(2, 64), I("recv", rd=1, core=1, size=6), setbw(8, 16),
               I("mvmul", rd=2, rs1=1, mbiw=4, group=0), I("send", rs1=2, core=3, size=8)],
     "core3": [sldi(1, 0), I("recv", rd=1, core=2, size=8), sldi(4, 0), sldi(5, 0x200),
               I("st", rd=4, rs1=1, size=8)]},
    init={"gmem": [el(0x100, 1, PL_X)],
          "core1": {"groups": [group(0, 4, PL_W1)]},
          "core2": {"groups": [group(0, 4, PL_W2)]}},
    check=[("lmem", 1, 64, 6, 1)], hand=[(("gmemel", 0x200, 4, 2), PL_Y)])


# --------------------------------------------------------------------------- self-checks


def plan_choice24_sigm(x, f):
    """Choice 24's integer formula (independent of pimref's Fraction evaluation)."""
    a = abs(x)
    if a >= 5 << f:
        s = 1 << (f + 5)
    elif 8 * a >= 19 << f:
        s = a + (27 << f)
    elif a >= 1 << f:
        s = 4 * a + (20 << f)
    else:
        s = 8 * a + (16 << f)
    if x < 0:
        s = (1 << (f + 5)) - s
    return s


def rdiv32(t):
    q = Fraction(t, 32)
    return int(q + Fraction(1, 2)) if q >= 0 else -int(-q + Fraction(1, 2))


def self_check():
    # PLAN: pimref's exact Fractions against choice 24's integer formulas.
    for f in (0, 1, 4, 8, 12):
        for x in list(range(-700, 701)) + [-(1 << 31), (1 << 31) - 1, 80 << 8, -(80 << 8)]:
            s = plan_choice24_sigm(x, f)
            assert pimref.plan_sigm_fixed(x, f) == rdiv32(s), (x, f)
            t = 2 * plan_choice24_sigm(2 * x, f) - (1 << (f + 5))
            assert pimref.plan_tanh_fixed(x, f) == rdiv32(t), (x, f)
    # mvmul: with an ideal ADC the literal steps equal the exact dot product.
    rng = random.Random(42)
    for _ in range(200):
        ibiw, mbiw = rng.randint(1, 12), rng.randint(1, 12)
        p, d = rng.randint(1, 8), rng.randint(1, 8)
        n, m = rng.randint(1, 5), rng.randint(1, 4)
        w = rand_matrix(rng, n, m, mbiw)
        x = rand_vec(rng, n, ibiw)
        y, clips = pimref.mvmul_literal(w, mbiw, x, ibiw, p, d, 8, False, 0, 32)
        assert y == exact_mv(w, x, 0, 32) and clips == 0
        # a clipping ADC can only lower a column's P: result <= exact
        y2, _ = pimref.mvmul_literal(w, mbiw, x, ibiw, p, d, 2, True, 0, 32)
        assert all(a <= b for a, b in zip(y2, y))


def main(argv):
    outdir = argv[1] if len(argv) > 1 else os.path.join(HERE, "..", "..", "vectors")
    outdir = os.path.normpath(outdir)
    self_check()
    counts = generate(outdir)
    total = sum(counts.values())
    print("wrote %d vectors to %s (%s); %d hand-worked observations asserted"
          % (total, outdir, ", ".join("%s %d" % kv for kv in counts.items()), HAND_COUNT[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
