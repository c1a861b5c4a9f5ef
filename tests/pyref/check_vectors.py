#!/usr/bin/env python3
"""check_vectors.py PATH... - re-derives every conformance vector with the independent Python
model (pimref.py) and checks the vector's "expected" or "error" against it.

Directories are searched recursively for *.json and *.json.gz (files under a directory named
"configs" are architecture configs, not vectors, and are skipped). One line per vector:
"PASS id" or "FAIL id: reason"; then "N passed, N failed".
Exit status: 0 if none failed, 1 if some failed, 2 if a vector file is malformed (or a path
does not exist).
"""

import os
import sys

sys.dont_write_bytecode = True  # keep tests/pyref free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pimref  # noqa: E402


def is_vector_file(name):
    return name.endswith(".json") or name.endswith(".json.gz")


def collect(paths):
    files, missing = [], []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d != "configs")
                files.extend(os.path.join(root, n) for n in sorted(names) if is_vector_file(n))
        elif os.path.isfile(p):
            files.append(p)
        else:
            missing.append(p)
    return files, missing


def main(argv):
    if len(argv) < 2:
        print("usage: check_vectors.py PATH...", file=sys.stderr)
        return 2
    files, missing = collect(argv[1:])
    passed = failed = 0
    malformed = bool(missing)
    for p in missing:
        print("FAIL %s: no such file or directory" % p)
        failed += 1
    seen = {}
    for path in files:
        try:
            vid, reasons = pimref.check_vector(path)
        except pimref.Malformed as e:
            print("FAIL %s: malformed vector: %s" % (path, e))
            failed += 1
            malformed = True
            continue
        except Exception as e:  # a file shape the checks above did not foresee
            print("FAIL %s: malformed vector (%s: %s)" % (path, type(e).__name__, e))
            failed += 1
            malformed = True
            continue
        if vid in seen:
            reasons = reasons + ["id also used by %s" % seen[vid]]
        seen.setdefault(vid, path)
        if reasons:
            print("FAIL %s: %s" % (vid, "; ".join(reasons)))
            failed += 1
        else:
            print("PASS %s" % vid)
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    if malformed:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
