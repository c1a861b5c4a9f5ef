#!/usr/bin/env bash
# bench_targets.sh - the part of `make bench` that is not a C benchmark: a real network whole
# in lockstep (AlexNet element, and VGG-16 element where REAL holds it) against its targets,
# the cocotb ratios that `make bench-cocotb` measured last, and what a clean build of the
# models costs. Prints figures beside targets; asserts nothing (a benchmark is not a test).
#   usage: tests/sh/bench_targets.sh BUILD REAL_DIR CONFIG
set -u
build=$1 real=$2 cfg=$3
bin=$build/pimcosim
py=${PYTHON:-python3}
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = dir == "le" ? v <= t : v >= t;
  printf "%s", ok ? "met" : "NOT met" }'; }
echo "real networks whole in lockstep (pimcosim run --stream, $cfg)"
for spec in "alexnet-element 5" "vgg16-element 20"; do
    set -- $spec
    s=$real/$1.json.gz
    if [ ! -f "$s" ]; then
        echo "  $1: not among the shared networks ($real): not measured (target $2 s)"
        continue
    fi
    out=$("$bin" run --stream "$s" --config "$cfg" --dialect pimcomp 2>&1)
    wall=$(printf '%s\n' "$out" | sed -n 's/.*wall \([0-9.]*\) s.*/\1/p')
    mv=$(printf '%s\n' "$out" | sed -n 's/^lockstep: [0-9]* instructions, \([0-9]*\) mvmul.*/\1/p')
    pass=$(printf '%s\n' "$out" | grep -c '^PASS')
    rate=$(awk -v m="$mv" -v w="$wall" 'BEGIN { printf "%.0f", m / w }')
    echo "  $1: ${wall} s (target $2 s: $(verdict "$wall" "$2" le)), $mv mvmul, $rate mvmul/s" \
         "(target 10000: $(verdict "$rate" 10000 ge)), $([ "$pass" = 1 ] && echo "the golden model's state hash" || echo "FAILED")"
    printf '%s\n' "$out" | grep '^tile weight store\|^time:' | sed 's/^/    /'
done
if [ -f "$build/bench/cocotb.json" ]; then
    "$py" - "$build/bench/cocotb.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("cocotb 1.9 (make bench-cocotb, last run)")
for k, v in r.items():
    print(f"  {k}: pimcosim {v['ratio']:.1f}x cocotb (target {v['target']:.0f}x: "
          f"{'met' if v['ratio'] >= v['target'] else 'NOT met'})")
PY
else
    echo "cocotb ratios: run make bench-cocotb (its own venv from PyPI) to measure them"
fi
echo "models: $("$bin" models vectors | wc -l) the vectors need, each built by harness/cosim/shim/build_model.sh" \
     "(bench_rtl above gives one's build time); a clean make test's total is the CI's (.ci/run), target 360 s"
