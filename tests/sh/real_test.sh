#!/usr/bin/env bash
# real_test.sh - the real PIMCOMP-NN streams (make real):
#   - the whole of every stream in REAL_DIR (the raw one with its VerificationInfo) on the
#     golden model: every instruction executed, counts equal to REAL_DIR/README.md's table and
#     to the compiler's own histogram where there is one (*.stats.json), the hash printed;
#     each loads with --dialect auto too; the raw CaffeNet gives its converted form's hash;
#   - slices (a few cores, thousands of instructions) on the golden model and in lockstep on
#     the RTL, against the values the independent Python model derived
#     (tests/data/real/slices.json);
#   - with WHOLE_LOCKSTEP=1, whole AlexNet streams in lockstep (WHOLE_MODES of element,
#     batch and narrow seeded data), with the same final state hash as the golden-only run;
#   - the strict form refusing the streams with the hint (register pairs, sparse core names),
#     the raw output without or with a wrong VerificationInfo, --dialect auto, bad --cores.
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
# Every stream of REAL_DIR (and REAL_DIR/raw, each *.raw.json.gz with its
# *.verification.json.gz) whole on the golden model with --dialect auto (one notice, then the
# pimcomp load; the slices below load each with --dialect pimcomp). Checked against what
# REAL_DIR/README.md's table says of it (instructions, mvmul, fractional lldi immediates) and,
# for AlexNet, the compiler's own op histogram (*.stats.json); the state hash is printed.
readme_row() { # file -> "instructions mvmul fractional" from the README table, or nothing
  "$py" - "$real/README.md" "$1" <<'EOF'
import re, sys
try:
    text = open(sys.argv[1]).read()
except OSError:
    sys.exit(0)
for line in text.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 7 and cells[0] == "`%s`" % sys.argv[2]:
        num = lambda c: int(re.match(r"[\d,]+", c).group(0).replace(",", ""))
        print(num(cells[3]), num(cells[4]), num(cells[6]))
EOF
}
streams=$(cd "$real" && ls *.json.gz raw/*.raw.json.gz 2>/dev/null)
for rel in $streams; do
  s=$real/$rel
  info=
  case $rel in *.raw.json.gz) info="--pimcomp-info ${s%.raw.json.gz}.verification.json.gz" ;; esac
  name="golden: the whole of $rel"
  key=$(echo "$rel" | tr / _)
  # shellcheck disable=SC2086
  if ! "$bin" exec "$s" --config "$cfg" --dialect auto --seed 1 $info --quiet > "$out/$key" \
       2> "$out/$key.err"; then
    no "$name" "exit $?" "$(tail -n 3 "$out/$key" "$out/$key.err")"
    continue
  fi
  if [ "$(wc -l < "$out/$key.err")" != 1 ] || ! grep -q 'loading as the pimcomp dialect' "$out/$key.err"; then
    no "$name: --dialect auto prints one notice" "$(cat "$out/$key.err")"
  fi
  read -r want_insns want_mvmul want_frac <<< "$(readme_row "$rel")"
  stats=$real/${rel%.json.gz}.stats.json
  [ -f "$stats" ] || stats=
  if msg=$("$py" - "$out/$key" "${want_insns:-}" "${want_mvmul:-}" "${want_frac:-}" "$stats" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
errs = []
m = re.search(r"^executed (\d+) instructions \(mvmul (\d+),", text, re.M)
f = re.search(r"^fixed point: (\d+) fractional lldi immediates converted", text, re.M)
if "stopped before the end" in text or not m:
    errs.append("did not run to the end")
for got, want, what in ((m and m.group(1), sys.argv[2], "instructions"),
                        (m and m.group(2), sys.argv[3], "mvmul"),
                        (f and f.group(1), sys.argv[4], "fractional lldi immediates converted")):
    if want and got != want:
        errs.append("%s %s, the README %s" % (what, got, want))
if sys.argv[5]:
    stats = json.load(open(sys.argv[5]))
    got = {k: int(v) for k, v in re.findall(r"^  (\w+) +(\d+)$", text, re.M)}
    if got != stats["op_histogram"]:
        errs.append("op counts %s, the compiler's histogram %s" % (got, stats["op_histogram"]))
    if m and int(m.group(1)) != stats["total_instructions"]:
        errs.append("executed %s of %d" % (m.group(1), stats["total_instructions"]))
print("; ".join(errs))
sys.exit(1 if errs else 0)
EOF
  ); then
    ok "$name ($(grep -o '^state hash [0-9a-f]*' "$out/$key"), $(grep -o 'wall [0-9.]* s' "$out/$key"), $(grep -o 'peak memory [0-9]* MiB' "$out/$key"))"
  else
    no "$name" "$msg"
  fi
done

# the raw CaffeNet pair gives the converted stream's hash
if [ -f "$real/raw/caffenet-batch.raw.json.gz" ] && [ -f "$real/caffenet-batch.json.gz" ]; then
  name="raw: raw/caffenet-batch with its VerificationInfo, the converted stream's final state"
  a=$(grep '^state hash' "$out/raw_caffenet-batch.raw.json.gz")
  b=$(grep '^state hash' "$out/caffenet-batch.json.gz")
  if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "$name ($a)"; else no "$name" "raw: $a" "converted: $b"; fi
fi

# ---------------------------------------------------------------- slices: golden and lockstep
n=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["slices"]))' "$slices")
for i in $(seq 0 $((n - 1))); do
  eval "$("$py" - "$slices" "$i" "$real" <<'EOF'
import json, shlex, sys
s = json.load(open(sys.argv[1]))["slices"][int(sys.argv[2])]
print("stream=%s args=%s other=%s" % (shlex.quote(s["stream"]),
                                     shlex.quote(s["args"].replace("STREAM_DIR", sys.argv[3])),
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
    # (a kept core is one the model printed, even when it never ran)
    names=$(sed -n 's/^\(core[0-9]*\) .*/\1/p' <<< "$want" | tr '\n' ' ')
    kept=$(awk -v names=" $names" '!/^core/ || index(names, " " $1 " ")' "$out/got" | sort)
    want=$(sort <<< "$want")
    others=$(awk -v names=" $names" -v o="$other" '/^core/ && !index(names, " " $1 " ") && substr($0, length($1) + 2) == o' "$out/got" | wc -l)
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
# WHOLE_MODES: which of element, batch and narrow (AlexNet) run whole in lockstep
if [ "${WHOLE_LOCKSTEP:-0}" = 1 ]; then
  "$bin" exec "$real/alexnet-element.json.gz" --config "$cfg" --dialect pimcomp --seed 1 \
    $narrow --quiet > "$out/narrow" 2>&1
  cp "$out/alexnet-element.json.gz" "$out/element"
  cp "$out/alexnet-batch.json.gz" "$out/batch"
  for mode in ${WHOLE_MODES:-element batch narrow}; do
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
# first vvadd of the element slice that overflows diverges; the report (its recent
# instructions with their registers as they executed: r1 is 2280 at #573, 2184 by the
# divergence), the waves around it and the GTKWave save file land in --out; the JSON and
# JUnit reports say FAIL.
name="lockstep: an injected RTL fault on the real stream is caught, with report and waves"
"$bin" run --stream "$real/alexnet-element.json.gz" --config "$cfg" --dialect pimcomp --seed 1 \
  --cores 3-5 --max-insns 22000 --fault PIM_FAULT_VVADD_WRAP --wave-on-fail --out "$out/fault" \
  --json "$out/fault.json" --junit "$out/fault.xml" --quiet > "$out/fault.log" 2>&1
rc=$?
if [ $rc = 1 ] &&
   grep -q '^  divergence at core 3, instruction [0-9]* (vvadd) in pim_vector_unit, cycle [0-9]*: LMem of core 3, element [0-9]* at 0x[0-9a-f]*: expected 127, got -\?[0-9]*' "$out/fault.log" &&
   grep -q '^> #[0-9]* vvadd' "$out/fault.log" &&
   grep -q '^  #572 sldi rd=r1(2280) imm=2280$' "$out/fault.log" &&
   grep -q '^  #573 mvmul rd=r0(2184) rs1=r1(2280) ' "$out/fault.log" &&
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
# refuses NAME PATTERN ARGS...: `pimcosim exec ARGS` exits 2 with one line matching PATTERN
refuses() {
  local name=$1 want=$2
  shift 2
  "$bin" exec "$@" > "$out/refused" 2>&1
  local rc=$?
  if [ $rc = 2 ] && [ "$(wc -l < "$out/refused")" = 1 ] && grep -q -- "$want" "$out/refused"; then
    ok "$name"
  else
    no "$name" "exit $rc" "$(cat "$out/refused")"
  fi
}
s=$real/alexnet-element.json.gz
refuses "strict: refuses the compiler's form in one line, with the hint" \
  "core 0, instruction 3 (ld), field 'rs1': .*try --dialect pimcomp" "$s" --config "$cfg"
"$bin" exec "$s" --config "$cfg" --dialect auto --cores 0 --max-insns 500 --quiet \
  > "$out/auto" 2> "$out/auto.err"
rc=$?
if [ $rc = 0 ] && grep -q 'loading as the pimcomp dialect (core 0, instruction 3 (ld)' "$out/auto.err" &&
   grep -q '^executed 500 instructions' "$out/auto" && grep -q 'dialect pimcomp' "$out/auto"; then
  ok "auto: detects the dialect with a one-line notice and runs"
else
  no "auto: detects the dialect with a one-line notice and runs" "exit $rc" "$(cat "$out/auto.err")"
fi
if [ -f "$real/inception-v3-element.json.gz" ]; then
  refuses "strict: refuses sparse core names in one line, with the hint" \
    "field 'config.core_cnt': 104, but the stream has core119 (this looks like PIMCOMP-NN output: try --dialect pimcomp)" \
    "$real/inception-v3-element.json.gz" --config "$cfg"
fi
# the raw output without its VerificationInfo, with another network's, with a missing file
raw=$real/raw/caffenet-batch.raw.json.gz
ver=$real/raw/caffenet-batch.verification.json.gz
if [ -f "$raw" ]; then
  P="--config $cfg --dialect pimcomp"
  # shellcheck disable=SC2086
  refuses "raw output without its VerificationInfo: one line, exit 2" \
    "core 0, instruction [0-9]* (mvmul), field 'group': the stream has no config.array_group_map.*--pimcomp-info FILE" \
    "$raw" $P
  # shellcheck disable=SC2086
  refuses "a stream with another network's VerificationInfo: one line, exit 2" \
    "alexnet-batch.json.gz: core [0-9]*, .*field 'group': .*VerificationInfo" \
    "$real/alexnet-batch.json.gz" --pimcomp-info "$ver" $P
  # shellcheck disable=SC2086
  refuses "a missing VerificationInfo: one line, exit 2" "none.json: " \
    "$raw" --pimcomp-info "$out/none.json" $P
fi
for bad in "--cores 105" "--cores 3-1" "--cores x" "--dialect pimsim"; do
  # shellcheck disable=SC2086
  refuses "bad option $bad: one line, exit 2" '^pimcosim exec: ' "$s" --config "$cfg" --dialect pimcomp $bad
done

echo "real: $pass passed, $fail failed"
[ $fail = 0 ]
