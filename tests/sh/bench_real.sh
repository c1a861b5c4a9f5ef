#!/usr/bin/env bash
# bench_real.sh - the real-network benchmark (make bench-real): both PIMCOMP-NN AlexNet
# streams on the golden model (best of RUNS runs), with PIMSIM-NN's timing-only figures on
# this machine for the ratio (shared/real/README.md); with LOCKSTEP=1 also the whole of
# element mode in lockstep on the RTL, with where the time goes.
#   usage: tests/sh/bench_real.sh PIMCOSIM REAL_DIR CONFIG
set -u
bin=$1 real=$2 cfg=$3
runs=${RUNS:-3}
seed=${SEED:-1}
out=$(mktemp -d "${TMPDIR:-/tmp}/pimcosim-bench-real.XXXXXXXXXX")
trap 'rm -rf "$out"' EXIT

# PIMSIM-NN on the same streams, this machine (shared/real/README.md): element mode 25.9 s
# wall; batch mode about 471,000 instructions/s.
declare -A pimsim_secs=([element]=25.9 [batch]=$(awk 'BEGIN { printf "%.2f", 1251155 / 471000 }'))

field() { sed -n "s/^$1 //p" "$2" | head -n 1; }

printf '%-8s %12s %8s %8s %8s %14s %9s %11s %9s\n' stream instructions load_s run_s wall_s \
  'instructions/s' 'peak_MiB' 'PIMSIM-NN_s' speedup
for mode in element batch; do
  best=
  for r in $(seq 1 "$runs"); do
    if ! "$bin" exec "$real/alexnet-$mode.json.gz" --config "$cfg" --dialect pimcomp \
         --seed "$seed" --quiet > "$out/$mode.$r" 2>&1; then
      echo "bench-real: exec of alexnet-$mode failed:"; cat "$out/$mode.$r"; exit 1
    fi
    wall=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$out/$mode.$r")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$bestwall" 'BEGIN { exit !(a < b) }'; then
      best=$r bestwall=$wall
    fi
  done
  f=$out/$mode.$best
  line=$(grep '^load ' "$f")
  load=$(echo "$line" | sed 's/^load \([0-9.]*\) s.*/\1/')
  run=$(echo "$line" | sed 's/.*run \([0-9.]*\) s.*/\1/')
  rate=$(echo "$line" | sed 's/.* s, \([0-9]*\) instructions\/s.*/\1/')
  peak=$(echo "$line" | sed 's/.*peak memory \([0-9]*\) MiB.*/\1/')
  insns=$(sed -n 's/^executed \([0-9]*\) .*/\1/p' "$f")
  ps=${pimsim_secs[$mode]}
  printf '%-8s %12s %8s %8s %8s %14s %9s %11s %8.1fx\n' "$mode" "$insns" "$load" "$run" \
    "$bestwall" "$rate" "$peak" "$ps" "$(awk -v a="$ps" -v b="$bestwall" 'BEGIN { print a / b }')"
  echo "  $(grep '^state hash' "$f"), $(grep '^executed' "$f")"
done
echo "targets: element mode wall <= 1.3 s (20x PIMSIM-NN's 25.9 s), peak memory <= 400 MiB"

if [ "${LOCKSTEP:-0}" = 1 ]; then
  echo
  echo "lockstep, the whole of alexnet-element on the RTL:"
  start=$(date +%s.%N)
  "$bin" run --stream "$real/alexnet-element.json.gz" --config "$cfg" --dialect pimcomp \
    --seed "$seed" --quiet > "$out/lockstep" 2>&1
  rc=$?
  end=$(date +%s.%N)
  grep -E '^(executed|state hash|gmem hash|load|lockstep|time|PASS|FAIL)' "$out/lockstep" | sed 's/^/  /'
  echo "  exit $rc, $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s in all (target: under 600 s)"
  gh=$(grep '^state hash' "$out/element.1")
  lh=$(grep '^state hash' "$out/lockstep")
  if [ "$gh" = "$lh" ]; then echo "  final state hash identical to the golden-only run"; else
    echo "  final state hash DIFFERS from the golden-only run ($gh vs $lh)"; exit 1; fi
  [ "$rc" = 0 ] || exit 1
fi
