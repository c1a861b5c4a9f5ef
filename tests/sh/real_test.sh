#!/usr/bin/env bash
# real_test.sh - the real PIMCOMP-NN AlexNet streams (make real):
#   - the whole of both streams on the golden model: every instruction executed, the op
#     counts equal to the compiler's own histogram (shared/real/*.stats.json);
#   - slices (a few cores, thousands of instructions) on the golden model and in lockstep on
#     the RTL, against the values the independent Python model derived
#     (tests/data/real/slices.json);
#   - with WHOLE_LOCKSTEP=1, the whole of both streams in lockstep (element also with narrow
#     seeded data), with the same final state hash as the golden-only run;
#   - the strict form refusing the stream with the hint, --dialect auto, bad --cores.
#   usage: tests/sh/real_test.sh PIMCOSIM REAL_DIR CONFIG
set -u
bin=$1 real=$2 cfg=$3
here=$(cd "$(dirname "$0")" && pwd)
slices=$here/../data/real/slices.json
py=${PYTHON:-python3}
out=$(mktemp -d "${TMPDIR:-/tmp}/pimcosim-real.XXXXXXXXXX")
trap 'rm -rf "$out"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
no() { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; }

# The lines a run printed that a slice's expectation names: executed, hashes, per core.
norm() {
  sed -n -e 's/^executed \([0-9]*\) instructions.*/executed \1/p' \
         -e 's/^\(gmem hash [0-9a-f]*\)$/\1/p' -e 's/^\(state hash [0-9a-f]*\)$/\1/p' \
         -e 's/^\(core[0-9]* pc [0-9]*\) of [0-9]* \(lmem [0-9a-f]*\)$/\1 \2/p' "$1"
}

# ---------------------------------------------------------------- whole streams, golden
for mode in element batch; do
  s=$real/alexnet-$mode.json.gz
  name="golden: the whole of alexnet-$mode"
  if ! "$bin" exec "$s" --config "$cfg" --dialect pimcomp --seed 1 --quiet > "$out/$mode" 2>&1; then
    no "$name" "exit $?" "$(tail -n 3 "$out/$mode")"
    continue
  fi
  # the op counts of the run against the compiler's histogram (stats.json, not our output)
  if msg=$("$py" - "$real/alexnet-$mode.stats.json" "$out/$mode" <<'EOF'
import json, re, sys
stats = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
got = {m.group(1): int(m.group(2)) for m in re.finditer(r"^  (\w+) +(\d+)$", text, re.M)}
want = stats["op_histogram"]
m = re.search(r"^executed (\d+) instructions \(mvmul (\d+),", text, re.M)
errs = []
if got != want:
    errs.append("op counts %s, the compiler's histogram %s" % (got, want))
if not m or int(m.group(1)) != stats["total_instructions"]:
    errs.append("executed %s of %d" % (m and m.group(1), stats["total_instructions"]))
if "stopped before the end" in text:
    errs.append("stopped before the end")
print("; ".join(errs))
sys.exit(1 if errs else 0)
EOF
  ); then
    ok "$name ($(grep -o 'wall [0-9.]* s' "$out/$mode"), $(grep -o 'peak memory [0-9]* MiB' "$out/$mode"))"
  else
    no "$name" "$msg"
  fi
done

# ---------------------------------------------------------------- slices: golden and lockstep
n=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["slices"]))' "$slices")
for i in $(seq 0 $((n - 1))); do
  eval "$("$py" - "$slices" "$i" <<'EOF'
import json, shlex, sys
s = json.load(open(sys.argv[1]))["slices"][int(sys.argv[2])]
print("stream=%s args=%s other=%s" % (shlex.quote(s["stream"]), shlex.quote(s["args"]),
                                     shlex.quote(s["expected"]["other_cores"])))
print("want=%s" % shlex.quote("\n".join(s["expected"]["lines"])))
EOF
)"
  for how in exec lockstep; do
    name="$how: $stream $args"
    if [ $how = exec ]; then
      # shellcheck disable=SC2086
      "$bin" exec "$real/$stream" --config "$cfg" $args > "$out/slice" 2>&1
    else
      # shellcheck disable=SC2086
      "$bin" run --stream "$real/$stream" --config "$cfg" $args > "$out/slice" 2>&1
    fi
    rc=$?
    norm "$out/slice" > "$out/got"
    # kept cores' lines and the hashes as the Python model printed them; the others untouched
    kept=$(grep -v " $other\$" "$out/got" | sort)
    want=$(sort <<< "$want")
    others=$(grep -c " $other\$" "$out/got")
    cores=$(grep -c '^core' "$out/got")
    if [ $rc != 0 ]; then
      no "$name" "exit $rc" "$(grep -E 'FAIL|divergence|pimcosim' "$out/slice" | head -n 3)"
    elif [ "$kept" != "$want" ]; then
      no "$name" "got:" "$kept" "the Python model:" "$want"
    elif [ $((others + $(grep -c '^core' <<< "$want"))) != "$cores" ]; then
      no "$name" "$others untouched cores of $cores"
    elif [ $how = lockstep ] && ! grep -q '^PASS ' "$out/slice"; then
      no "$name" "no PASS line"
    else
      ok "$name"
    fi
  done
done

# ---------------------------------------------------------------- whole streams, lockstep
# narrow: narrow seeded data (3-bit weights, 0/1 inputs), so that a third of the mvmul
# outputs land inside the 8-bit range instead of saturating
narrow="--weight-bits 3 --input-bits 1"
if [ "${WHOLE_LOCKSTEP:-0}" = 1 ]; then
  "$bin" exec "$real/alexnet-element.json.gz" --config "$cfg" --dialect pimcomp --seed 1 \
    $narrow --quiet > "$out/narrow" 2>&1
  for mode in element batch narrow; do
    s=$real/alexnet-$mode.json.gz extra=
    [ $mode = narrow ] && s=$real/alexnet-element.json.gz extra=$narrow
    name="lockstep: the whole of $(basename "$s" .json.gz)${extra:+ ($extra)}, the same final state as the golden model"
    # shellcheck disable=SC2086
    "$bin" run --stream "$s" --config "$cfg" --dialect pimcomp --seed 1 $extra --quiet \
      > "$out/lock-$mode" 2>&1
    rc=$?
    want=$(grep '^state hash' "$out/$mode")
    got=$(grep '^state hash' "$out/lock-$mode")
    if [ $rc != 0 ] || ! grep -q '^PASS ' "$out/lock-$mode"; then
      no "$name" "exit $rc" "$(grep -E 'FAIL|divergence|pimcosim' "$out/lock-$mode" | head -n 3)"
    elif [ -z "$want" ] || [ "$want" != "$got" ]; then
      no "$name" "golden-only: $want" "lockstep: $got"
    else
      ok "$name ($(grep -o 'wall [0-9.]* s' "$out/lock-$mode"); $(sed -n 's/^time: //p' "$out/lock-$mode"))"
    fi
  done
fi

# ---------------------------------------------------------------- a fault must be caught
# vvadd that wraps instead of saturating (RTL built with +define+PIM_FAULT_VVADD_WRAP): the
# first vvadd of the element slice that overflows diverges; the report, the waves around it
# and the GTKWave save file land in --out; the JSON and JUnit reports say FAIL.
name="lockstep: an injected RTL fault on the real stream is caught, with report and waves"
"$bin" run --stream "$real/alexnet-element.json.gz" --config "$cfg" --dialect pimcomp --seed 1 \
  --cores 3-5 --max-insns 22000 --fault PIM_FAULT_VVADD_WRAP --wave-on-fail --out "$out/fault" \
  --json "$out/fault.json" --junit "$out/fault.xml" --quiet > "$out/fault.log" 2>&1
rc=$?
if [ $rc = 1 ] &&
   grep -q '^  divergence at core 3, instruction [0-9]* (vvadd) in pim_vector_unit, cycle [0-9]*: LMem of core 3, element [0-9]* at 0x[0-9a-f]*: expected 127, got -\?[0-9]*' "$out/fault.log" &&
   grep -q '^> #[0-9]* vvadd' "$out/fault.log" &&
   [ -s "$out/fault/divergence.json" ] && [ -s "$out/fault/wave.vu.fst" ] &&
   grep -q 'wave.vu.fst' "$out/fault/wave.vu.gtkw" &&
   "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["divergence"]["op"]=="vvadd", d' \
     "$out/fault/divergence.json" &&
   "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"]=="FAIL" and d["divergence"]["unit"]=="pim_vector_unit", d' \
     "$out/fault.json" &&
   grep -q '<testsuite name="lockstep" tests="1" failures="1" errors="0"' "$out/fault.xml" &&
   grep -q '<failure type="FAIL" message="divergence at core 3' "$out/fault.xml"; then
  ok "$name"
else
  no "$name" "exit $rc" "$(head -n 4 "$out/fault.log")"
fi

# ---------------------------------------------------------------- dialect and options
s=$real/alexnet-element.json.gz
"$bin" exec "$s" --config "$cfg" > "$out/strict" 2>&1
rc=$?
if [ $rc = 2 ] && [ "$(wc -l < "$out/strict")" = 1 ] &&
   grep -q "core 0, instruction 3 (ld), field 'rs1': .*try --dialect pimcomp" "$out/strict"; then
  ok "strict: refuses the compiler's form in one line, with the hint"
else
  no "strict: refuses the compiler's form in one line, with the hint" "exit $rc" "$(cat "$out/strict")"
fi
"$bin" exec "$s" --config "$cfg" --dialect auto --cores 0 --max-insns 500 --quiet \
  > "$out/auto" 2> "$out/auto.err"
rc=$?
if [ $rc = 0 ] && grep -q 'loading as the pimcomp dialect (core 0, instruction 3 (ld)' "$out/auto.err" &&
   grep -q '^executed 500 instructions' "$out/auto" && grep -q 'dialect pimcomp' "$out/auto"; then
  ok "auto: detects the dialect with a one-line notice and runs"
else
  no "auto: detects the dialect with a one-line notice and runs" "exit $rc" "$(cat "$out/auto.err")"
fi
for bad in "--cores 105" "--cores 3-1" "--cores x" "--dialect pimsim"; do
  # shellcheck disable=SC2086
  "$bin" exec "$s" --config "$cfg" --dialect pimcomp $bad > "$out/bad" 2>&1
  rc=$?
  if [ $rc = 2 ] && [ "$(wc -l < "$out/bad")" = 1 ] && grep -q '^pimcosim exec: ' "$out/bad"; then
    ok "bad option $bad: one line, exit 2"
  else
    no "bad option $bad: one line, exit 2" "exit $rc" "$(cat "$out/bad")"
  fi
done

echo "real: $pass passed, $fail failed"
[ $fail = 0 ]
