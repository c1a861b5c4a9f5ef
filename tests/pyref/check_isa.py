#!/usr/bin/env python3
"""check_isa.py ISA.json - the Python model's ISA table is the C one.

ISA.json is what `pimcosim isa --json` prints: the C side's one table (PIM_OP_TABLE and
PIM_FIELD_TABLE of include/pim_isa.h). pimref.py writes its own table by hand from the ISA text
(it must stay an independent model); this check fails on any difference between the two:
the ops, the fields each op takes (as JSON paths), the top-level keys in the order a loader
checks them, the keys of the offset object, and the number of registers and event registers.
Exit 0 when they agree, 1 otherwise (each difference on a line).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pimref  # noqa: E402


def python_paths(fields):
    """pimref's field names -> JSON paths (its "imm.byte" is lldi's one-byte "imm")."""
    return sorted("imm" if f == pimref.BYTE else f for f in fields)


def main(argv):
    if len(argv) != 2:
        print("usage: check_isa.py ISA.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        c = json.load(f)
    bad = []
    c_ops = {o["name"]: o for o in c["ops"]}
    if set(c_ops) != set(pimref.OPS):
        bad.append("ops: C has %s, Python %s" % (sorted(set(c_ops) - set(pimref.OPS)),
                                                  sorted(set(pimref.OPS) - set(c_ops))))
    for name in sorted(set(c_ops) & set(pimref.OPS)):
        cf, pf = sorted(c_ops[name]["fields"]), python_paths(pimref.OPS[name])
        if cf != pf:
            bad.append("%s: C takes %s, Python %s" % (name, cf, pf))
    # top-level keys, in the table's order, without the nested ones and other forms of a key
    top = []
    for fld in c["fields"]:
        p = fld["path"]
        if "." not in p and p not in top:
            top.append(p)
    if top != pimref.TOP_KEYS:
        bad.append("top-level keys: C %s, Python %s" % (top, pimref.TOP_KEYS))
    offset = [fld["key"] for fld in c["fields"] if fld["path"].startswith("offset.")]
    if offset != pimref.OFFSET_KEYS:
        bad.append("offset keys: C %s, Python %s" % (offset, pimref.OFFSET_KEYS))
    # every field pimref gives a range for exists in C (as a path, or lldi's byte form)
    paths = {fld["path"] for fld in c["fields"]}
    for k in pimref.RANGES:
        if k != pimref.BYTE and k not in paths:
            bad.append("range for %s: not a field of the C table" % k)
    for fld in c["fields"]:
        if fld["path"] not in pimref.RANGES and fld["key"] != "imm":
            bad.append("field %s: no range in the Python model" % fld["path"])
    if pimref.RANGES["rd"][1] + 1 != c["registers"]:
        bad.append("registers: C %d, Python %d" % (c["registers"], pimref.RANGES["rd"][1] + 1))
    if pimref.RANGES["event_register"][1] + 1 != c["events"]:
        bad.append("event registers: C %d, Python %d" % (c["events"],
                                                           pimref.RANGES["event_register"][1] + 1))
    for line in bad:
        print("FAIL isa: " + line)
    print("ok   isa: the Python model's table (%d ops, %d keys) is the C one" % (len(pimref.OPS), len(top))
          if not bad else "isa: %d differences" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
