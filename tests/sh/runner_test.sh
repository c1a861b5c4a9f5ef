#!/usr/bin/env bash
# runner_test.sh - `pimcosim run` as CI uses it: worker processes, JUnit / TAP / JSON reports,
# shards that together run exactly the unsharded set, merge, filter, a per-vector timeout and
# a worker that crashes (the run goes on and reports both).
# Usage: tests/sh/runner_test.sh build/pimcosim
set -u
bin=${1:?usage: runner_test.sh PIMCOSIM}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

# two jobs, every report
"$bin" run --no-build --jobs 2 --quiet --junit "$tmp/all.xml" --json "$tmp/all.json" vectors \
    >"$tmp/all.out" 2>&1
check "jobs 2 exit 0" [ $? -eq 0 ]
n=$(find vectors -name '*.json' -not -path '*/configs/*' | wc -l)
check "summary line" grep -q "^lockstep: $n passed, 0 failed$" "$tmp/all.out"
check "junit is valid XML with every vector" python3 - "$tmp/all.xml" "$n" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall('.//testcase')
assert root.tag == 'testsuites' and int(root.get('tests')) == int(sys.argv[2]) == len(cases)
assert all(c.get('name') and c.get('classname', '').startswith('pimcosim.') for c in cases)
PY

# four shards run exactly the vectors of one unsharded run, once each
for k in 1 2 3 4; do
    "$bin" run --no-build --quiet --shard $k/4 --json "$tmp/s$k.json" --junit "$tmp/s$k.xml" vectors \
        >/dev/null 2>&1
done
check "4 shards = unsharded" python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
whole = sorted(r['id'] for r in json.load(open(f'{d}/all.json'))['results'])
parts = [r['id'] for k in range(1, 5) for r in json.load(open(f'{d}/s{k}.json'))['results']]
assert sorted(parts) == whole and len(parts) == len(set(parts)), (len(parts), len(whole))
assert all(json.load(open(f'{d}/s{k}.json'))['results'] for k in range(1, 5))
PY
"$bin" merge --junit "$tmp/merged.xml" "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" "$tmp/s4.json" \
    >"$tmp/merge.out" 2>&1
check "merge exit 0 and summary" grep -q "^lockstep: $n passed, 0 failed$" "$tmp/merge.out"
check "merged junit has every vector" python3 -c "
import sys, xml.etree.ElementTree as ET
assert len(ET.parse('$tmp/merged.xml').getroot().findall('.//testcase')) == $n"
"$bin" merge "$tmp/s1.json" "$tmp/s1.json" >/dev/null 2>&1
check "merge refuses a vector twice" [ $? -eq 2 ]

# filter and TAP
"$bin" run --no-build --tap --filter 'vector.vvsra.*' vectors >"$tmp/tap.out" 2>/dev/null
check "tap plan and lines" python3 - "$tmp/tap.out" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[0] == 'TAP version 13'
plan = int(lines[1].split('..')[1])
oks = [l for l in lines if l.startswith('ok ')]
assert plan == len(oks) >= 2 and all('vector.vvsra.' in l for l in oks)
PY

# a failing vector among passing ones: exit 1, the others still run
"$bin" run --no-build --fault PIM_FAULT_VVSRA_ROUND --jobs 2 --quiet --filter 'vector.vv*' vectors \
    >"$tmp/fault.out" 2>&1
rc=$?
check "fault: exit 1" [ $rc -eq 1 ]
check "fault: the vvsra vector fails, the rest pass" bash -c "grep -q '^FAIL vector.vvsra.floor' '$tmp/fault.out' && grep -q 'passed, [1-9][0-9]* failed' '$tmp/fault.out'"

# a slow vector: timeout; then a worker killed under a vector: crash; the run goes on
mkdir -p "$tmp/set/slow"
cp -r vectors/scalar vectors/configs "$tmp/set/"
python3 - "$tmp/set/slow/slow.json" <<'PY'
import json, sys
prog = [{"op": "sldi", "rd": 1, "imm": 0}, {"op": "sldi", "rd": 2, "imm": 4096}]
prog += [{"op": "vsigm", "rd": 2, "rs1": 1, "len": 2047}] * 30000
json.dump({"id": "slow.vsigm", "comment": "30000 vsigm of 2047 elements: seconds in lockstep",
           "program": {"core0": prog}, "expected": {}}, open(sys.argv[1], "w"))
PY
"$bin" run --no-build --timeout 1 --jobs 2 "$tmp/set" >"$tmp/timeout.out" 2>&1
rc=$?
check "timeout: exit 1" [ $rc -eq 1 ]
check "timeout: reported, others pass" bash -c "grep -q '^TIMEOUT slow.vsigm' '$tmp/timeout.out' && grep -q '^PASS scalar' '$tmp/timeout.out'"
( exec "$bin" run --no-build --jobs 1 "$tmp/set" >"$tmp/crash.out" 2>&1 ) &
runner=$!
sleep 1.5 # the scalar vectors are done by then; the worker is inside slow.vsigm (seconds)
worker=$(pgrep -P "$runner" | head -n 1)
[ -n "$worker" ] && kill -SEGV "$worker"
wait "$runner"
rc=$?
check "crash: exit 1" [ $rc -eq 1 ]
check "crash: reported with its signal, others pass" bash -c "grep -q '^CRASH slow.vsigm .*signal 11' '$tmp/crash.out' && grep -q '^PASS scalar' '$tmp/crash.out'"

# --bless: a generated vector (empty expectations) gets the golden final state in a new file,
# which then passes on its own; a second bless refuses to overwrite it
mkdir -p "$tmp/bless"
"$bin" gen --seed 5 -o "$tmp/bless/g5.json"
"$bin" run --no-build --bless "$tmp/bless/g5.json" >"$tmp/bless.out" 2>&1
check "bless writes NAME.blessed.json" bash -c "[ -s '$tmp/bless/g5.blessed.json' ] && grep -q 'blessed into' '$tmp/bless.out'"
check "blessed file has expectations and passes" bash -c "python3 -c \"
import json; e = json.load(open('$tmp/bless/g5.blessed.json'))['expected']
assert e['core0']['regs'] and e['core0']['lmem']\" && '$bin' run --no-build --golden-only '$tmp/bless/g5.blessed.json' >/dev/null"
"$bin" run --no-build --bless "$tmp/bless/g5.json" >"$tmp/bless2.out" 2>&1
rc=$?
check "bless never overwrites" bash -c "[ $rc -eq 2 ] && grep -q 'exists' '$tmp/bless2.out'"
python3 - "$tmp/bless/g5.blessed.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
r = v['expected']['core0']['regs']
r['r1'] = (r['r1'] + 1) % 2**32          # a wrong expectation must fail
json.dump(v, open(sys.argv[1], 'w'))
PY
"$bin" run --no-build --golden-only "$tmp/bless/g5.blessed.json" >/dev/null 2>&1
check "a wrong blessed expectation fails" [ $? -eq 1 ]

echo "runner: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
