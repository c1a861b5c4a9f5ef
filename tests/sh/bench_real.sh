#!/usr/bin/env bash
# bench_real.sh - the real-network benchmark (make bench-real): every stream of REAL_DIR (the
# raw CaffeNet with its VerificationInfo) whole on the golden model, best of RUNS runs, with
# PIMSIM-NN's timing-only wall time where REAL_DIR/README.md gives one (AlexNet); with
# LOCKSTEP=1 also each whole in lockstep on the RTL, its time, and whether its final state
# hash is the golden-only one.
#   usage: tests/sh/bench_real.sh PIMCOSIM REAL_DIR CONFIG
set -u
bin=$1 real=$2 cfg=$3
runs=${RUNS:-3}
seed=${SEED:-1}
py=${PYTHON:-python3}
out=$(mktemp -d "${TMPDIR:-/tmp}/pimcosim-bench-real.XXXXXXXXXX")
trap 'rm -rf "$out"' EXIT

# PIMSIM-NN's latency-mode wall time of a stream on this machine, from the README's table
pimsim_secs() {
  "$py" - "$real/README.md" "$1" <<'EOF'
import re, sys
try:
    text = open(sys.argv[1]).read()
except OSError:
    sys.exit(0)
name = sys.argv[2].split("/")[-1].split(".")[0]
for line in text.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 3 and cells[0] == name:
        m = re.match(r"([\d.]+) s", cells[1])
        if m:
            print(m.group(1))
EOF
}

printf '%-34s %10s %7s %7s %7s %13s %8s %-16s %9s %8s\n' stream instructions load_s run_s \
  wall_s 'insns/s' peak_MiB 'state hash' PIMSIM_s speedup
fail=0
streams=$(cd "$real" && ls *.json.gz raw/*.raw.json.gz 2>/dev/null)
for rel in $streams; do
  s=$real/$rel
  info=
  case $rel in *.raw.json.gz) info="--pimcomp-info ${s%.raw.json.gz}.verification.json.gz" ;; esac
  key=$(echo "$rel" | tr / _)
  best= bestwall=
  for r in $(seq 1 "$runs"); do
    # shellcheck disable=SC2086
    if ! "$bin" exec "$s" --config "$cfg" --dialect pimcomp --seed "$seed" $info --quiet \
         > "$out/$key.$r" 2>&1; then
      echo "bench-real: exec of $rel failed:"; cat "$out/$key.$r"; exit 1
    fi
    wall=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$out/$key.$r")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$bestwall" 'BEGIN { exit !(a < b) }'; then
      best=$r bestwall=$wall
    fi
  done
  f=$out/$key.$best
  cp "$f" "$out/$key.golden"
  line=$(grep '^load ' "$f")
  load=$(echo "$line" | sed 's/^load \([0-9.]*\) s.*/\1/')
  run=$(echo "$line" | sed 's/.*run \([0-9.]*\) s.*/\1/')
  rate=$(echo "$line" | sed 's/.* s, \([0-9]*\) instructions\/s.*/\1/')
  peak=$(echo "$line" | sed 's/.*peak memory \([0-9]*\) MiB.*/\1/')
  insns=$(sed -n 's/^executed \([0-9]*\) .*/\1/p' "$f")
  hash=$(sed -n 's/^state hash //p' "$f")
  ps=$(pimsim_secs "$rel")
  if [ -n "$ps" ]; then
    ratio=$(awk -v a="$ps" -v b="$bestwall" 'BEGIN { printf "%.1fx", a / b }')
  else
    ps=- ratio=-
  fi
  printf '%-34s %10s %7s %7s %7s %13s %8s %-16s %9s %8s\n' "$rel" "$insns" "$load" "$run" \
    "$bestwall" "$rate" "$peak" "$hash" "$ps" "$ratio"
done
echo "PIMSIM_s: PIMSIM-NN's latency-mode wall time on this machine (REAL_DIR/README.md), timing only"

if [ "${LOCKSTEP:-0}" = 1 ]; then
  echo
  echo "lockstep, each stream whole on the RTL (the same seed):"
  printf '%-34s %10s %9s %8s %-16s %s\n' stream mvmul wall_s exit 'state hash' 'golden-only hash'
  for rel in $streams; do
    s=$real/$rel
    info=
    case $rel in *.raw.json.gz) info="--pimcomp-info ${s%.raw.json.gz}.verification.json.gz" ;; esac
    key=$(echo "$rel" | tr / _)
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$bin" run --stream "$s" --config "$cfg" --dialect pimcomp --seed "$seed" $info --quiet \
      > "$out/$key.lockstep" 2>&1
    rc=$?
    end=$(date +%s.%N)
    gh=$(sed -n 's/^state hash //p' "$out/$key.golden")
    lh=$(sed -n 's/^state hash //p' "$out/$key.lockstep")
    mv=$(sed -n 's/^executed [0-9]* instructions (mvmul \([0-9]*\),.*/\1/p' "$out/$key.lockstep")
    same=identical
    [ "$gh" = "$lh" ] || same="DIFFERS ($gh)"
    printf '%-34s %10s %9s %8s %-16s %s\n' "$rel" "${mv:--}" \
      "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" "$rc" "${lh:--}" "$same"
    sed -n 's/^time: /    time: /p' "$out/$key.lockstep"
    if [ "$rc" != 0 ] || [ "$gh" != "$lh" ]; then
      fail=1
      grep -E 'FAIL|divergence|pimcosim' "$out/$key.lockstep" | head -n 3 | sed 's/^/    /'
    fi
  done
fi
exit $fail
