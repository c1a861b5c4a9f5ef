#!/usr/bin/env bash
# debug_test.sh - after a divergence: waves around it (--wave-on-fail) that contain the
# divergence cycle, a .gtkw naming signals that exist in the dump, a repro bundle that
# replays the same divergence, and shrink turning a 500-instruction random vector into a
# few instructions. Faults are injected in the RTL (PIM_FAULT_*).
# Usage: tests/sh/debug_test.sh build/pimcosim
set -u
bin=${1:?usage: debug_test.sh PIMCOSIM}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { local name=$1; shift; if "$@"; then pass=$((pass + 1)); echo "ok   $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi; }

# 1. waves around the divergence of the hand-worked 2x2 (ADC clipping one code too high)
v=vectors/matrix/matrix.mvmul.hand-2x2-clip.json
"$bin" run --no-build --fault PIM_FAULT_ADC_CLIP_HIGH --wave-on-fail --wave-window=50:10 \
    --out "$tmp/out" "$v" >"$tmp/run.out" 2>&1
check "exit 1 on the divergence" [ $? -eq 1 ]
b="$tmp/out/matrix.mvmul.hand-2x2-clip"
check "bundle: repro.json, wave, gtkw" test -s "$b/repro.json" -a -s "$b/wave.tile.fst" -a -s "$b/wave.tile.gtkw"
check "report lists recent instructions and operands" bash -c \
    "grep -q 'last instructions on core 0' '$tmp/run.out' && grep -q 'column 0 weights = 1 -1' '$tmp/run.out'"
fst2vcd -f "$b/wave.tile.fst" -o "$tmp/w.vcd" >/dev/null 2>&1
check "the wave's time range contains the divergence cycle" python3 - "$b/repro.json" "$tmp/w.vcd" <<'PY'
import json, sys
cyc = json.load(open(sys.argv[1]))['divergence']['tile_cycle']
times = [int(l[1:]) for l in open(sys.argv[2]) if l.startswith('#') and l[1:].strip().isdigit()]
# one cycle is a nanosecond (1000 ps): the edge the instruction ended at, and the 10 cycles
# after it (--wave-window=50:10)
edge = 1000 * (cyc - 1) + 500
assert times and min(times) <= edge and max(times) >= edge + 10 * 1000 - 500, (cyc, min(times), max(times))
PY
check "the gtkw names signals in the dump, marker at the divergence" python3 - "$b/wave.tile.gtkw" "$tmp/w.vcd" "$b/repro.json" <<'PY'
import json, re, sys
gtkw = open(sys.argv[1]).read().splitlines()
scope, names = [], set()
for l in open(sys.argv[2]):
    t = l.split()
    if t[:1] == ['$scope']: scope.append(t[2])
    elif t[:1] == ['$upscope']: scope.pop()
    elif t[:1] == ['$var']: names.add('.'.join(scope + [t[4]]))
    elif t[:1] == ['$enddefinitions']: break
sigs = [re.sub(r'\[\d+:\d+\]$', '', l) for l in gtkw if re.match(r'^[a-z]\w*\.', l)]
assert len(sigs) >= 8 and all(s in names for s in sigs), [s for s in sigs if s not in names]
div = json.load(open(sys.argv[3]))['divergence']
marks = [int(x) for x in [l for l in gtkw if l.startswith('*')][0].split()[1:4]]
# the primary marker and A on the beat (a quarter cycle in), B on the instruction's end
assert marks == [1000 * div['beat_cycle'] + 250] * 2 + [1000 * (div['tile_cycle'] - 1) + 500], (marks, div)
PY

# 1b. --wave=vcd with --wave-on-fail: the window in VCD (3 cycles before the divergence at
# cycle 65 of a 2047-element vvsra, 2 after: times 62 ns .. 67.5 ns)
"$bin" run --no-build --fault PIM_FAULT_VVSRA_ROUND --wave-on-fail --wave=vcd --wave-window=3:2 \
    --out "$tmp/vcd" vectors/vector/vector.vvsra.len-2047.json >/dev/null 2>&1
check "--wave=vcd honours the window" python3 - "$tmp/vcd/vector.vvsra.len-2047/wave.vu.vcd" <<'PY'
import sys
times = [int(l[1:]) for l in open(sys.argv[1]) if l.startswith('#') and l[1:].strip().isdigit()]
assert times and min(times) == 62000 and max(times) == 67500, (min(times), max(times))
PY

# 2. replay reproduces it
"$bin" replay "$b/repro.json" >"$tmp/replay.out" 2>&1
check "replay: exit 1, reproduced" bash -c "[ $? -eq 1 ] && grep -q '^reproduced' '$tmp/replay.out'"
check "replay: same element and values" grep -q 'element 0 at 0x400: expected -3, got 0' "$tmp/replay.out"

# 3. shrink a 500-instruction random vector that the vvsra fault breaks
found=""
for s in $(seq 1 40); do
    "$bin" gen --seed "$s" --cores 1 --insns 500 --weights scalar=1,matrix=0,vector=6,transfer=1,sync=0 \
        -o "$tmp/g$s.json"
    if ! "$bin" run --no-build --quiet --fault PIM_FAULT_VVSRA_ROUND "$tmp/g$s.json" >/dev/null 2>&1; then
        found=$s; break
    fi
done
check "a random vector the fault breaks" [ -n "$found" ]
if [ -n "$found" ]; then
    n0=$(python3 -c "import json; print(len(json.load(open('$tmp/g$found.json'))['program']['core0']))")
    "$bin" shrink --fault PIM_FAULT_VVSRA_ROUND -o "$tmp/min.json" "$tmp/g$found.json" >"$tmp/shrink.out" 2>&1
    check "shrink: exit 0" [ $? -eq 0 ]
    n1=$(python3 -c "import json; print(len(json.load(open('$tmp/min.json'))['program']['core0']))")
    echo "     shrink: $n0 -> $n1 instructions; $(cat "$tmp/shrink.out")"
    check "shrink: at most 5 instructions left of $n0" test "$n1" -le 5 -a "$n0" -ge 400
    "$bin" run --no-build --fault PIM_FAULT_VVSRA_ROUND "$tmp/min.json" >"$tmp/min.out" 2>&1
    check "the shrunk vector fails the same way" bash -c "[ $? -eq 1 ] && grep -q '(vvsra) in pim_vector_unit' '$tmp/min.out'"
    "$bin" run --no-build "$tmp/min.json" >/dev/null 2>&1
    check "and passes on the correct RTL" [ $? -eq 0 ]
fi
# 4. one command: the failure, waves around it, the bundle, and the shrunk vector
if [ -n "$found" ]; then
    "$bin" run --no-build --fault PIM_FAULT_VVSRA_ROUND --wave-on-fail --shrink --out "$tmp/one" \
        "$tmp/g$found.json" >"$tmp/one.out" 2>&1
    rc=$?
    d="$tmp/one/gen.seed-$found"
    check "one command: report, waves, gtkw, repro, shrunk vector" bash -c "[ $rc -eq 1 ] && test -s '$d/repro.json' -a -s '$d/wave.vu.fst' -a -s '$d/wave.vu.gtkw' -a -s '$d/min.json'"
fi
# 4b. bundles travel: a bundle made from a vector that is then deleted, copied elsewhere,
#     replays the same divergence from its own copy, and leaves its repro.json as it was
mkdir -p "$tmp/src" "$tmp/configs" "$tmp/moved"
cp vectors/vector/vector.vvsra.len-2047.json "$tmp/src/v.json"  # config ../configs/small.json
cp vectors/configs/small.json "$tmp/configs/small.json"
"$bin" run --no-build --fault PIM_FAULT_VVSRA_ROUND --shrink --out "$tmp/tb" "$tmp/src/v.json" >/dev/null 2>&1
rm -rf "$tmp/src" "$tmp/configs"
cp -r "$tmp/tb/vector.vvsra.len-2047" "$tmp/moved/b"
sum0=$(md5sum < "$tmp/moved/b/repro.json")
"$bin" replay "$tmp/moved/b/repro.json" >"$tmp/moved.out" 2>&1
rc=$?
check "a moved bundle replays its own copy: the same divergence" bash -c \
    "[ $rc -eq 1 ] && grep -q '^reproduced' '$tmp/moved.out' && grep -q 'expected -1, got 0' '$tmp/moved.out'"
check "replay leaves repro.json alone and writes beside it" bash -c \
    "[ \"$sum0\" = \"\$(md5sum < '$tmp/moved/b/repro.json')\" ] && test -s '$tmp/moved/b/replay/vector.vvsra.len-2047/repro.json'"
check "the bundle's vector and shrunk vector stand alone (config inlined, relative path)" \
    python3 - "$tmp/moved/b" <<'PY'
import json, os, sys
b = sys.argv[1]
r = json.load(open(os.path.join(b, "repro.json")))
assert r["vector"] == "vector.json", r["vector"]
for f in ("vector.json", "min.json"):
    v = json.load(open(os.path.join(b, f)))
    assert isinstance(v["config"], dict), (f, v["config"])
PY
# 4c. shrink keeps the scenario (the element's expected and actual values) and trims memory
#     to what the program reads: the README's examples come out under 2 KB
for ex in "PIM_FAULT_ADC_CLIP_HIGH vectors/matrix/matrix.mvmul.hand-2x2-clip.json -3 0" \
          "PIM_FAULT_VVSRA_ROUND vectors/vector/vector.vvsra.len-2047.json -1 0"; do
    read -r f v e a <<< "$ex"
    "$bin" shrink --fault "$f" -o "$tmp/ex.json" "$v" >/dev/null 2>&1
    "$bin" run --no-build --fault "$f" "$tmp/ex.json" >"$tmp/ex.out" 2>&1
    check "shrink $(basename "$v"): under 2 KB, still expected $e, got $a" bash -c \
        "[ \$(wc -c < '$tmp/ex.json') -lt 2048 ] && grep -q 'expected $e, got $a' '$tmp/ex.out'"
done
# 5. a timeout while writing waves: the worker is asked to stop, closes the wave, and the
#    vector is reported as TIMEOUT; the FST opens (fst2vcd reads it)
mkdir -p "$tmp/slow"
python3 - "$tmp/slow/slow.json" <<'PY'
import json, sys
prog = [{"op": "sldi", "rd": 1, "imm": 0}, {"op": "sldi", "rd": 2, "imm": 4096}]
prog += [{"op": "vsigm", "rd": 2, "rs1": 1, "len": 2047}] * 20000
json.dump({"id": "slow.wave", "comment": "seconds of vsigm in lockstep, traced",
           "program": {"core0": prog}, "expected": {}}, open(sys.argv[1], "w"))
PY
"$bin" run --no-build --wave --timeout 1 --out "$tmp/wout" "$tmp/slow/slow.json" >"$tmp/slow.out" 2>&1
rc=$?
check "timeout with waves: exit 1, TIMEOUT" bash -c "[ $rc -eq 1 ] && grep -q '^TIMEOUT slow.wave' '$tmp/slow.out'"
check "the interrupted wave was closed (fst2vcd reads it)" bash -c \
    "fst2vcd -f '$tmp/wout/slow.wave/wave.vu.fst' 2>/dev/null | grep -m1 -q enddefinitions"
echo "debug: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
