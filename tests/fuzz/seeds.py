#!/usr/bin/env python3
"""Seed corpora and the dictionary of the libFuzzer harnesses (tests/fuzz/), from the tree.

    python3 tests/fuzz/seeds.py ISA_JSON OUTDIR

ISA_JSON is `pimcosim isa --json` (the op names and field keys come from the ISA table, not
from a copy). Writes OUTDIR/pim.dict and OUTDIR/seed-<harness>/ for stream, vector, config,
insn and repro, from vectors/ and tests/data/ (the stream harness's first byte picks the
dialect and the form: each stream goes in as plain strict, plain pimcomp and gzipped auto).
"""
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def files(*dirs, ext=(".json",)):
    for d in dirs:
        for base, subs, names in os.walk(os.path.join(ROOT, d)):
            subs.sort()
            for n in sorted(names):
                if n.endswith(ext):
                    yield os.path.join(base, n)


def put(outdir, name, i, data):
    with open(os.path.join(outdir, "%s-%04d" % (name, i)), "wb") as f:
        f.write(data)


def main():
    isa = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    dirs = {h: os.path.join(out, "seed-" + h)
            for h in ("stream", "vector", "config", "insn", "repro", "info")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    words = set()
    for op in isa["ops"]:
        words.add(op["name"])
    for f in isa["fields"]:
        words.update(f["path"].split("."))
    words.update(["config", "core_cnt", "array_group_map", "xbar_size", "cell_precision",
                  "xbar_array_count", "core0", "core1", "core15", "op", "offset", "id", "comment",
                  "program", "init", "expected", "error", "regs", "lmem", "gmem", "groups",
                  "index", "weights", "addr", "hex", "i8", "i16", "i32", "kind", "input", "exec",
                  "deadlock", "field", "text", "events", "vector", "verilator_seed", "divergence",
                  "stress", "stress_seed", "fault", "mode", "chip_config", "core_config",
                  "matrix_config", "vector_config", "local_memory_config", "global_memory_config",
                  "memory_size", "adc_resolution", "dac_resolution", "adc_clip", "vector_width",
                  "activation_frac_bits", "AG_info", "AG_index", "crossbar_num", "instruction",
                  "core_list", "operation", "MVMUL", "source", "node_list"])
    with open(os.path.join(out, "pim.dict"), "w") as d:
        for w in sorted(words):
            d.write('"\\"%s\\""\n' % w)
        for t in ['"\\u0000"', '1e9', '-2147483648', '4294967295', '65536', '[', ']', '{', '}',
                  '":"', '0.5', 'true', 'null']:
            d.write('"%s"\n' % t.replace("\\", "\\\\").replace('"', '\\"'))
    n = 0
    for p in files("tests/data", ext=(".json",)):
        body = open(p, "rb").read()
        if b'"core0"' in body or b'"config"' in body:
            for mode in (0, 1, 5):  # strict plain, pimcomp plain, auto gzipped
                put(dirs["stream"], "s", n, bytes([mode]) + body)
                n += 1
    i = j = 0
    for p in files("vectors", "tests/data"):
        body = open(p, "rb").read()
        if b'"id"' in body and b'"program"' in body:
            put(dirs["vector"], "v", i, body)
            i += 1
        if b'"chip_config"' in body:
            put(dirs["config"], "c", j, body)
            j += 1
    # encodings: each op with its fields at small values (the harness decodes the first 8
    # bytes, and encodes the pim_insn after them)
    for k, op in enumerate(isa["ops"]):
        w = op["opcode"]  # the opcode in the low bits; other bits 0
        put(dirs["insn"], "i", k, struct.pack("<Q", w) + bytes([op["opcode"]]) + bytes(27))
    repro = {"tool": "pimcosim", "kind": "repro", "vector": "vectors/matrix/x.json",
             "id": "matrix.x", "mode": "lockstep", "verilator_seed": 1, "stress": 1,
             "stress_seed": 0, "fixed_knobs": False,
             "divergence": {"core": 0, "index": 3, "op": "mvmul", "unit": "tile", "element": 2,
                            "expected": -3, "actual": 5, "cycle": 9}}
    put(dirs["repro"], "r", 0, json.dumps(repro).encode())
    repro["fault"] = "PIM_FAULT_ADC_CLIP_HIGH"
    put(dirs["repro"], "r", 1, json.dumps(repro).encode())
    # VerificationInfo (fuzz_info: its raw stream's core0 uses AG 3 then 2, core1 AG 0)
    ag = [{"AG_index": i, "crossbar_num": k, "node_name": "n"} for i, k in enumerate((1, 2, 1, 2))]
    mv = lambda s: {"operation": "MVMUL", "source": s, "stage": "MAIN"}
    info = {"AG_info": ag, "comm_pair_total_num": 0,
            "instruction": {"core_list": [[mv(3), {"operation": "LD"}, mv(2)], [mv(0)], None]},
            "node_list": [{"a": [1]}], "reshape_info": {}}
    for k, zip_ in enumerate((0, 1)):
        put(dirs["info"], "f", k, bytes([zip_]) + json.dumps(info).encode())
    info["instruction"]["core_list"][1] = [mv(1)]
    put(dirs["info"], "f", 2, bytes([0]) + json.dumps(info, indent=1).encode())


if __name__ == "__main__":
    main()
