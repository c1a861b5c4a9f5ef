#!/usr/bin/env python3
"""check_schema.py [PATH...] - validates conformance vectors against docs/vector.schema.json.

Optional: runs only when the 'jsonschema' module is importable (Debian: python3-jsonschema);
otherwise prints a skip notice and exits 0. check_vectors.py does not depend on it.
Default PATH: the repository's vectors/ directory. Directories are searched recursively for
*.json / *.json.gz, skipping "configs" directories. Exit 0 when all are valid, 1 otherwise.
"""

import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCHEMA = os.path.join(ROOT, "docs", "vector.schema.json")


def collect(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d != "configs")
                out.extend(os.path.join(root, n) for n in sorted(names)
                           if n.endswith(".json") or n.endswith(".json.gz"))
        else:
            out.append(p)
    return out


def main(argv):
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        print("SKIP schema check: the 'jsonschema' module is not installed")
        return 0
    from jsonschema import Draft202012Validator
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    files = collect(argv[1:] or [os.path.join(ROOT, "vectors")])
    bad = 0
    for path in files:
        opener = gzip.open if path.endswith(".gz") else open
        try:
            with opener(path, "rt", encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("FAIL %s: %s" % (path, e))
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            bad += 1
            e = errors[0]
            where = "/".join(str(x) for x in e.absolute_path)
            print("FAIL %s: %s: %s" % (path, where or "(top)", e.message))
    print("%d valid, %d invalid" % (len(files) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
