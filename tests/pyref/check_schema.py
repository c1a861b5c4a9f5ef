#!/usr/bin/env python3
"""check_schema.py [PATH...] - validates conformance vectors against docs/vector.schema.json.

Needs the 'jsonschema' module (Debian: python3-jsonschema, which `make deps` installs; `make
check-pkg`, part of `make test`, runs this with Debian's /usr/bin/python3). Without it, it
fails with exit 2: a check that cannot run is not a pass. check_vectors.py does not use it.
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
        print("FAIL schema check: the 'jsonschema' module is not installed for %s "
              "(Debian: apt-get install python3-jsonschema; make deps does)" % sys.executable)
        return 2
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
    print("%s schema: %d vectors valid, %d invalid (docs/vector.schema.json)"
          % ("ok  " if not bad else "FAIL", len(files) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
