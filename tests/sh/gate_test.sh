#!/usr/bin/env bash
# gate_test.sh - what makes a green run mean the RTL in the tree is right (`make gate`):
# the RTL models are identified by their content, a run's reports do not depend on what ran
# before, and the driver's stress reaches what the contracts allow:
#   - a fresh copy of the tree (every file a new date) with the build/rtl cache restored
#     needs no model built, and runs on the cache as it is;
#   - an edit to one unit's source makes exactly that unit's models missing: `run --no-build`
#     refuses (exit 2) naming the file, `run` builds just those and passes;
#   - a suite's JSON and JUnit reports are the same with --jobs 1 and --jobs 2 (times aside),
#     with an injected fault failing many vectors under stress;
#   - through the command line, a fault that only stress shows passes without it and fails
#     with it (exit 1) in words that name the broken promise; a bad level is refused.
# Usage: tests/sh/gate_test.sh build/pimcosim
set -u
bin=$(cd "$(dirname "${1:?usage: gate_test.sh PIMCOSIM}")" && pwd)/$(basename "$1")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { local name=$1; shift; if "$@"; then pass=$((pass + 1)); echo "ok   $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi; }

# 1. a fresh copy: the tracked (and new, not ignored) files with new dates, the binary, and
#    the model cache restored by a plain copy (new dates too), as a CI cache step does
c=$tmp/clone
mkdir -p "$c/build"
git ls-files -z --cached --others --exclude-standard | \
    while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done | \
    tar --null -T - -cf - | tar -xf - -C "$c"
cp "$bin" "$c/build/pimcosim"
mkdir -p "$c/build/rtl"
for f in $("$bin" models vectors/matrix vectors/vector); do
    cp "$f" "$c/build/rtl/"
    m=${f%.so}.json
    [ -f "$m" ] && cp "$m" "$c/build/rtl/"
done
cp -r build/rtl/vlrt-* "$c/build/rtl/" 2>/dev/null
cd "$c" || exit 2
touch rtl/*.sv harness/cosim/shim/*   # every source newer than every model
check "restored cache: no model missing" bash -c \
    "[ -z \"\$(build/pimcosim models --missing vectors/matrix vectors/vector)\" ]"
build/pimcosim run --no-build --quiet vectors/vector/vector.vvadd.sat-high.json \
    vectors/matrix/matrix.mvmul.hand-2x2-clip.json >"$tmp/run1.out" 2>&1
check "restored cache: run --no-build passes on it" [ $? -eq 0 ]
before=$(ls build/rtl/*.so | wc -l)
ls -l --time-style=+%s build/rtl/tile-*.so >"$tmp/tiles.before"

# 2. one unit's source edited: only its models are missing
echo "// an edit" >>rtl/pim_vector_unit.sv
build/pimcosim models --missing vectors/matrix vectors/vector >"$tmp/missing" 2>&1
check "vector unit edited: only vector-unit models missing" bash -c \
    "[ -s '$tmp/missing' ] && ! grep -v '/vu-' '$tmp/missing'"
build/pimcosim run --no-build --quiet vectors/vector/vector.vvadd.sat-high.json \
    >"$tmp/nobuild.out" 2>&1
rc=$?
check "run --no-build refuses: exit 2" [ $rc -eq 2 ]
check "the refusal names the file that changed" grep -q 'rtl/pim_vector_unit.sv changed' "$tmp/nobuild.out"
build/pimcosim run --quiet vectors/vector/vector.vvadd.sat-high.json \
    vectors/matrix/matrix.mvmul.hand-2x2-clip.json >"$tmp/build.out" 2>&1
check "run builds what is missing and passes" [ $? -eq 0 ]
check "exactly one model was built (the vector unit's)" \
    [ "$(ls build/rtl/*.so | wc -l)" -eq $((before + 1)) ]
ls -l --time-style=+%s build/rtl/tile-*.so >"$tmp/tiles.after"
check "the tile's models were used as they were" cmp -s "$tmp/tiles.before" "$tmp/tiles.after"
echo "// an edit" >>harness/cosim/shim/tile_shim.cpp
build/pimcosim models --missing vectors/matrix vectors/vector >"$tmp/missing2" 2>&1
check "tile shim edited: only tile models missing" bash -c \
    "[ -s '$tmp/missing2' ] && ! grep -v '/tile-' '$tmp/missing2'"
cd "$root" || exit 2

# 3. the same reports with one worker and with two (stress on, a fault failing many)
for j in 1 2; do
    "$bin" run --no-build --quiet --jobs $j --stress 1 --fault PIM_FAULT_VU_LANE_VALID \
        --out "$tmp/f" --json "$tmp/r$j.json" --junit "$tmp/r$j.xml" vectors >/dev/null 2>&1
    echo $? >"$tmp/rc$j"
done
check "a fault under stress fails the suite: exit 1" bash -c "[ \$(cat '$tmp/rc1') -eq 1 ] && [ \$(cat '$tmp/rc2') -eq 1 ]"
check "JSON reports identical with --jobs 1 and 2 (times aside)" python3 - "$tmp/r1.json" "$tmp/r2.json" <<'PY'
import json, sys
def norm(o):
    if isinstance(o, dict):
        return {k: norm(v) for k, v in o.items()
                if not any(t in k for t in ('seconds', 'secs', 'time', 'jobs', 'per_second'))}
    if isinstance(o, list):
        return [norm(v) for v in o]
    return o
a, b = (norm(json.load(open(p))) for p in sys.argv[1:3])
assert a == b, 'reports differ'
PY
check "JUnit reports identical with --jobs 1 and 2 (times aside)" bash -c \
    "diff <(sed -E 's/time=\"[^\"]*\"//g; s/timestamp=\"[^\"]*\"//g' '$tmp/r1.xml') \
          <(sed -E 's/time=\"[^\"]*\"//g; s/timestamp=\"[^\"]*\"//g' '$tmp/r2.xml') >/dev/null"
check "the failures carry their cycle, the same in both" bash -c \
    "grep -q 'cycle [0-9]' '$tmp/r1.xml' && [ \$(grep -c '<failure' '$tmp/r1.xml') -gt 5 ]"

# 4. stress through the command line
v=vectors/matrix/matrix.mvmul.saturate-obiw4.json
"$bin" run --no-build --quiet --fault PIM_FAULT_TILE_OUT_DROP "$v" >"$tmp/s0.out" 2>&1
check "a stress-only fault passes without stress" [ $? -eq 0 ]
"$bin" run --no-build --quiet --stress 1 --fault PIM_FAULT_TILE_OUT_DROP --out "$tmp/s" "$v" \
    >"$tmp/s1.out" 2>&1
check "and fails with --stress 1: exit 1" [ $? -eq 1 ]
check "the report names the broken promise" grep -q \
    'pim_xbar_tile: broke its contract at cycle [0-9]*: out_valid_o dropped before out_ready_i' "$tmp/s1.out"
check "repro.json records the stress, its seed and the models' hashes" python3 - \
    "$tmp/s/matrix.mvmul.saturate-obiw4/repro.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r['stress'] == 1 and r['stress_seed'] == 0 and len(r['vector_stress_seed']) == 16, r
assert r['models']['tile'].startswith('tile-r128-c128-') and '+PIM_FAULT_TILE_OUT_DROP' in r['models']['tile']
assert len(r['model_hash']['tile']) == 16 and r['model_hash']['tile'] in r['models']['tile']
PY
"$bin" replay "$tmp/s/matrix.mvmul.saturate-obiw4/repro.json" >"$tmp/replay.out" 2>&1
check "replay runs it with the same stress: reproduced" bash -c "[ $? -eq 1 ] && grep -q '^reproduced' '$tmp/replay.out'"
"$bin" run --no-build --stress 3 "$v" >"$tmp/s3.out" 2>&1
check "--stress 3 refused: exit 2, one line" bash -c "[ $? -eq 2 ] && [ \$(wc -l <'$tmp/s3.out') -eq 1 ]"

# 4b. one fault per check, through the command line: exit 1 and the words of the report
#     (fault | stress | vector | what the report says)
while IFS='|' read -r f s vec words; do
    [ -n "$f" ] || continue
    "$bin" run --no-build --quiet --stress "$s" --fault "$f" --out "$tmp/k" "$vec" >"$tmp/k.out" 2>&1
    rc=$?
    check "$f (stress $s): exit 1, '$words'" bash -c "[ $rc -eq 1 ] && grep -qF -- '$words' '$tmp/k.out'"
done <<'CASES'
PIM_FAULT_TILE_CLIPS_EQ|0|vectors/matrix/matrix.mvmul.sum-at-full-scale.json|ADC clips (out_clips_o): expected 0, got 3
PIM_FAULT_ADC_CLIP_HIGH|0|vectors/matrix/matrix.mvmul.sum-over-full-scale.json|expected -1, got 0
PIM_FAULT_VU_COUNT|0|vectors/matrix/matrix.setbw.reset-widths.json|output beat 0 out_count_o: expected 3, got 4
PIM_FAULT_TILE_OUT_SEXT|0|vectors/matrix/matrix.mvmul.hand-2x2-clip.json|out_y_o column 0 is 253, not a 8-bit value
PIM_FAULT_TILE_IN_DURING_PROG|1|vectors/matrix/matrix.mvmul.allmax-ideal.json|in_ready_o high while programming is offered
PIM_FAULT_VU_READY|1|vectors/matrix/matrix.setbw.byte-widths.json|in_ready_o high while a result waits
PIM_FAULT_VU_LANE_VALID|1|vectors/matrix/matrix.setbw.reset-widths.json|out_y_o lane 3 at or beyond out_count_o 3
PIM_FAULT_TILE_XMASK|1|vectors/matrix/matrix.mvmul.allmax-ideal.json|element 0 at 0x400: expected 7688, got
PIM_FAULT_VU_SEXT|1|vectors/matrix/matrix.setbw.reset-widths.json|element 0 at 0x20: expected 127, got
PIM_FAULT_TILE_LIVE_IN|1|vectors/matrix/matrix.mvmul.allmax-ideal.json|element 0 at 0x400: expected 7688, got
PIM_FAULT_VU_GAP|1|vectors/vector/vector.vvdmul.len-2047.json|instruction 4 (vvdmul) in pim_vector_unit
CASES

# 4c. the state reset: an accumulator that only a reset restarts spoils the second dot
#     product of a vector; the vectors around it, with one dot product each, pass in the same
#     worker, and the failing one says the same (cycle included) as when it runs alone
two=vectors/vector/vector.vvdmul.sat-obiw16.json
one=vectors/vector/vector.vvdmul.len-2047.json
"$bin" run --no-build --quiet --fault PIM_FAULT_VU_ACC_KEEP --out "$tmp/r" "$one" "$two" \
    vectors/vector/vector.vvdmul.typical.json >"$tmp/acc3.out" 2>&1
rc=$?
"$bin" run --no-build --quiet --fault PIM_FAULT_VU_ACC_KEEP --out "$tmp/r" "$two" >"$tmp/acc1.out" 2>&1
check "state reset: exit 1, only the vector with two dot products fails" bash -c \
    "[ $rc -eq 1 ] && [ \$(grep -c '^FAIL' '$tmp/acc3.out') -eq 1 ] && grep -q '^FAIL vector.vvdmul.sat-obiw16' '$tmp/acc3.out'"
check "state reset: its report is the same after other vectors as alone" bash -c \
    "diff <(grep '^FAIL' '$tmp/acc3.out') <(grep '^FAIL' '$tmp/acc1.out') >/dev/null"

# 5. silicon with fixed knobs: models whose knobs are parameters, one per config, run the
#    same vectors (a clipping and an ideal ADC, odd cell and DAC widths, another F)
fixed="vectors/matrix/matrix.mvmul.ref-128x128.json vectors/matrix/matrix.mvmul.p5-d3-a9.json \
       vectors/matrix/matrix.mvmul.p8-d1-mbiw12.json vectors/vector/vector.vtanh.f8-16bit.json"
# shellcheck disable=SC2086
"$bin" models --fixed-knobs --build --jobs 2 --quiet $fixed >"$tmp/fixed-build.out" 2>&1
# shellcheck disable=SC2086
"$bin" run --no-build --quiet --fixed-knobs --stress 1 $fixed >"$tmp/fixed.out" 2>&1
check "fixed-knob models pass the same vectors" [ $? -eq 0 ]
# shellcheck disable=SC2086
check "one fixed-knob model per config" bash -c "[ \$(\"$bin\" models --fixed-knobs $fixed | grep -c '/tile-.*-p[0-9]*-d[0-9]*-a[0-9]*-k[01]-') -eq 3 ]"

echo "gate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
