#!/usr/bin/env python3
"""Hostile input: every class of docs/bad-inputs.md, fed to the command line.

    python3 tests/sh/hostile_test.py PIMCOSIM

Each case must exit 2 with one line on stderr naming the file and the field (or what is
wrong), within an address-space limit of 1.5 GiB (RLIMIT_AS: an input that makes the loader
allocate past it fails the case) and a 60 s guard against hangs. The time and the peak RSS of
each refusal are printed (figures, not assertions: docs/bad-inputs.md quotes them).
"""
import gzip
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
H = os.path.join(ROOT, "tests", "data", "hostile")
SMALL = os.path.join(ROOT, "vectors", "configs", "small.json")
LIMIT = 3 << 29  # 1.5 GiB of address space


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


class Result:
    pass


def run(argv, stdin=None):
    """Runs argv: its exit status, output, time and own peak RSS (KiB, from wait4)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=limit, cwd=ROOT)
    got = {}
    readers = [threading.Thread(target=lambda k, f: got.__setitem__(k, f.read()), args=(k, f))
               for k, f in (("out", p.stdout), ("err", p.stderr))]
    for t in readers:
        t.start()
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t0 > 60:
            p.kill()
            os.wait4(p.pid, 0)
            raise subprocess.TimeoutExpired(argv, 60)
        time.sleep(0.01)
    for t in readers:
        t.join()
    r = Result()
    r.returncode = os.waitstatus_to_exitcode(status)
    r.out, r.err = got["out"], got["err"]
    r.secs = time.monotonic() - t0
    r.rss = ru.ru_maxrss
    p.returncode = r.returncode  # reaped here
    return r


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="pimcosim-hostile-")
    # made here: a gzip bomb (200 MB of white space, about 200 KB), trailing bytes after a
    # gzip member, a FIFO with no writer, a directory
    bomb = os.path.join(tmp, "bomb.json.gz")
    with gzip.open(bomb, "wb", 9) as f:
        f.write(b'{"config": {"core_cnt": 1}, "core0": []')
        chunk = b" " * (1 << 20)
        for _ in range(200):
            f.write(chunk)
        f.write(b"}")
    # JSON bombs: a 60 KB file whose one instruction (or one vector member) is a 60 MB array
    def gz(name, head, body, tail):
        path = os.path.join(tmp, name)
        with gzip.open(path, "wb", 9) as f:
            f.write(head + body + tail)
        return path
    jbomb = gz("jbomb.json.gz", b'{"config": {"core_cnt": 1}, "core0": [{"op": "nop", "x": [',
               b"0," * (30 << 20), b"0]}]}")
    vbomb = gz("vbomb.json.gz",
               b'{"id": "x", "program": {"core0": [{"op": "nop"}]}, "init": {"core0": {"regs": {"r1": [',
               b"[]," * (20 << 20), b"0]}}}}")
    trailing = os.path.join(tmp, "trailing.json.gz")
    shutil.copy(os.path.join(ROOT, "tests", "data", "stream_ok.json.gz"), trailing)
    with open(trailing, "ab") as f:
        f.write(b"junk")
    notgz = os.path.join(tmp, "plain.json.gz")
    shutil.copy(os.path.join(ROOT, "tests", "data", "stream_ok.json"), notgz)
    nulbyte = os.path.join(tmp, "nulbyte.json")
    with open(nulbyte, "wb") as f:
        f.write(b'{"config": {"core_cnt": 1}, "core0": [{"op": "nop"}]}\0{"junk"')
    # a VerificationInfo whose one AG_info element is a 60 MB array (60 KB gzipped)
    ibomb = gz("ibomb.json.gz", b'{"AG_info": [{"AG_index": 0, "crossbar_num": 1, "x": [',
               b"0," * (30 << 20), b'0]}], "instruction": {"core_list": []}}')
    raw = os.path.join(tmp, "raw.json")
    with open(raw, "w") as f:
        f.write('{"config": {"core_cnt": 1}, "core0": [{"op": "mvmul", "rd": 0, "rs1": 0, '
                '"mbiw": 8, "group": 1}]}')
    fifo = os.path.join(tmp, "fifo.json")
    os.mkfifo(fifo)
    dirp = os.path.join(tmp, "dir.json")
    os.mkdir(dirp)

    def exec_(path, *extra):
        return [exe, "exec", "--config", SMALL] + list(extra) + [path]

    def vec(name):
        return [exe, "run", "--golden-only", os.path.join(H, name)]

    P = "--dialect=pimcomp".split("=")
    cases = [
        # (name, argv, words the one line must hold)
        ("empty message: region addr", vec("vec_region_addr.json"), ["init.lmem", "integer"]),
        ("empty message: groups index", vec("vec_group_index.json"), ["groups.index", "-4"]),
        ("empty message: groups mbiw", vec("vec_group_mbiw.json"), ["groups.mbiw", "99"]),
        ("empty message: error core", vec("vec_error_core.json"), ["error.core", "integer"]),
        ("empty message: error index", vec("vec_error_index.json"), ["error.index", "-7"]),
        ("second lmem in init", vec("vec_two_lmem_init.json"), ["init.core0.lmem", "twice"]),
        ("second gmem in expected", vec("vec_two_gmem_expected.json"), ["expected.gmem", "twice"]),
        ("duplicate key in regs", vec("vec_dup_regs.json"), ["init.core0.regs.r1", "twice"]),
        ("duplicate key in an instruction", exec_(os.path.join(H, "stream_dup_insn_key.json")),
         ["core 0", "instruction 0", "'imm'", "twice"]),
        ("duplicate config.core_cnt", exec_(os.path.join(H, "stream_dup_core_cnt.json")),
         ["config.core_cnt", "twice"]),
        ("escaped NUL in an op", exec_(os.path.join(H, "stream_nul_op.json")),
         ["instruction 0", "'op'", "NUL"]),
        ("escaped NUL in a core name", exec_(os.path.join(H, "stream_nul_core.json")),
         ["core0", "NUL"]),
        ("NUL byte in the text", exec_(nulbyte), ["NUL byte"]),
        ("trailing bytes after a gzip member", exec_(trailing), ["trailing data"]),
        ("a .gz that is not gzip", exec_(notgz), ["not gzip"]),
        ("vavg bounds overflow (pimcomp)",
         exec_(os.path.join(H, "pimcomp_vavg_overflow.json"), *P), ["instruction 2", "'len'"]),
        ("vavg bounds overflow, budget raised",
         exec_(os.path.join(H, "pimcomp_vavg_overflow.json"), *P, "--max-memory", "100G"),
         ["instruction 2", "'rs1'", "outside the local memory"]),
        ("vavg of 10^9 elements (pimcomp)",
         exec_(os.path.join(H, "pimcomp_vavg_huge.json"), *P), ["'len'", "--max-memory"]),
        ("array group of 65536 crossbars", exec_(os.path.join(H, "stream_group_65536.json")),
         ["config.array_group_map", "65536 crossbars"]),
        ("gzip bomb", exec_(bomb), ["gzip", "cap"]),
        ("JSON bomb in an instruction", exec_(jbomb), ["line 1, column", "1/32 of the memory budget"]),
        ("JSON bomb in a vector member", [exe, "run", "--golden-only", vbomb],
         ["'init'", "1/32 of the memory budget"]),
        ("raw output without --pimcomp-info", exec_(raw, *P),
         ["core 0", "instruction 0", "'group'", "--pimcomp-info"]),
        ("JSON bomb in a VerificationInfo", exec_(raw, *P, "--pimcomp-info", ibomb),
         ["ibomb.json.gz", "1/32 of the memory budget"]),
        ("gzip bomb as the VerificationInfo", exec_(raw, *P, "--pimcomp-info", bomb),
         ["bomb.json.gz", "cap"]),
        ("directory as the VerificationInfo", exec_(raw, *P, "--pimcomp-info", dirp),
         ["directory", "not a regular file"]),
        ("FIFO", exec_(fifo), ["FIFO", "not a regular file"]),
        ("directory", exec_(dirp), ["directory", "not a regular file"]),
        ("directory as the config", [exe, "exec", "--config", dirp,
                                      os.path.join(ROOT, "tests", "data", "cli", "stream.json")],
         ["directory", "not a regular file"]),
        ("FIFO as the config", [exe, "exec", "--config", fifo,
                                 os.path.join(ROOT, "tests", "data", "cli", "stream.json")],
         ["FIFO", "not a regular file"]),
    ]
    failed = 0
    for name, argv, words in cases:
        try:
            p = run(argv)
        except subprocess.TimeoutExpired:
            print("FAIL %-40s hangs (60 s)" % name)
            failed += 1
            continue
        err = p.err.decode(errors="replace").strip()
        out = p.out.decode(errors="replace")
        rss, secs = p.rss, p.secs
        text = err if err else out
        line = [l for l in (err or out).splitlines() if any(w in l for w in words[:1])]
        ok = p.returncode == 2 and all(w in text for w in words)
        if err and len(err.splitlines()) != 1 and argv[1] == "exec":
            ok = False  # one line
        print("%s %-40s exit %d, %.2f s, peak %d MiB: %s" %
              ("ok  " if ok else "FAIL", name, p.returncode, secs, rss // 1024,
               (line[0] if line else text.splitlines()[0] if text else "")[:150]))
        failed += not ok
        # a stream refused in the strict dialect is refused alike in the others
        if ok and argv[1] == "exec" and "--dialect" not in argv and "--config" == argv[2] and argv[3] == SMALL:
            for d in ("pimcomp", "auto"):
                q = run(argv[:2] + ["--dialect", d] + argv[2:])
                same = q.returncode == 2 and q.err.decode(errors="replace").strip() == err
                if not same:
                    print("FAIL %-40s --dialect %s: %s" % (name, d, q.err.decode(errors="replace").strip()))
                    failed += 1
    # standard input: "-" reads it (a pipe is not a regular file, but is allowed there)
    with open(os.path.join(ROOT, "tests", "data", "cli", "stream.json"), "rb") as f:
        p = run([exe, "exec", "--quiet", "--config", SMALL, "-"], stdin=f)
    ok = p.returncode == 0
    print("%s %-40s exit %d" % ("ok  " if ok else "FAIL", "a stream on standard input (-)", p.returncode))
    failed += not ok
    shutil.rmtree(tmp)
    print("hostile: %d cases, %d failed" % (len(cases) + 1, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
