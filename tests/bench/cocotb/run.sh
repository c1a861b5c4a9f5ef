#!/usr/bin/env bash
# run.sh - make bench-cocotb: the cocotb baseline of pimcosim's lockstep loop. Makes its own
# venv (build/cocotb-venv: cocotb 1.9 and numpy from PyPI; cocotb 2 needs a newer Verilator),
# runs the cocotb testbenches of the tile and the vector unit (tests/bench/cocotb/test_*.py,
# numpy scoreboards), then pimcosim's own lockstep benchmark on the same operations
# (build/bench_rtl), and prints the figures and the ratios beside their targets. The figures go
# to build/bench/cocotb.json too, where `make bench` finds them.
#   usage: tests/bench/cocotb/run.sh BUILD_DIR
set -euo pipefail
build=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
venv=$build/cocotb-venv
py=${PYTHON:-python3}
if [ ! -x "$venv/bin/cocotb-config" ]; then
    echo "bench-cocotb: making $venv (cocotb 1.9, numpy)"
    "$py" -m venv "$venv"
    "$venv/bin/pip" install -q 'cocotb==1.9.*' numpy
fi
export PATH=$venv/bin:$PATH
out=$build/bench/cocotb.jsonl
mkdir -p "$build/bench" "$build/cocotb"
rm -f "$out"
for unit in tile vu; do
    # a fresh build of the testbench's model each time: the RTL may have changed
    rm -rf "$build/cocotb/$unit"
    if ! make -s -C "$here" UNIT=$unit SIM_BUILD="$build/cocotb/$unit" \
         COCOTB_RESULTS_FILE="$build/cocotb/$unit.xml" BENCH_OUT="$out" \
         BENCH_MVMULS="${COCOTB_MVMULS:-1000}" BENCH_VECTORS="${COCOTB_VECTORS:-150}" \
         >"$build/cocotb/$unit.log" 2>&1; then
        tail -n 40 "$build/cocotb/$unit.log"
        echo "bench-cocotb: the cocotb $unit testbench failed (log: $build/cocotb/$unit.log)"
        exit 1
    fi
    grep -q '<failure' "$build/cocotb/$unit.xml" && {
        echo "bench-cocotb: the cocotb $unit testbench's scoreboard failed ($build/cocotb/$unit.log)"
        exit 1
    }
done
# pimcosim's side, the same operations (lockstep: golden model, RTL and comparison)
(cd "$root" && "$build/bench_rtl" --no-build-time --json "$build/bench/rtl.json") > "$build/bench/rtl.txt"
"$py" - "$out" "$build/bench/rtl.json" "$build/bench/cocotb.json" <<'PY'
import json, sys
coco = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    coco[r["bench"]] = r
rtl = json.load(open(sys.argv[2]))
rows = [
    ("tile", "mvmul/s", coco["tile"]["rate"], rtl["lockstep_mvmul_per_s"], 20.0),
    ("vector unit", "elements/s", coco["vu"]["rate"], rtl["lockstep_vector_elements_per_s"], 50.0),
]
res = {}
print("cocotb 1.9 + Verilator (numpy scoreboard) against pimcosim lockstep, same RTL, same operations")
for name, unit, c, p, target in rows:
    ratio = p / c
    res[name] = {"cocotb": c, "pimcosim": p, "ratio": ratio, "target": target}
    print(f"  {name:12s} cocotb {c:12.0f} {unit}, pimcosim {p:12.0f} {unit}: {ratio:5.1f}x "
          f"(target {target:.0f}x: {'met' if ratio >= target else 'NOT met'})")
json.dump(res, open(sys.argv[3], "w"), indent=1)
PY
