#!/usr/bin/env bash
# gtkwave_test.sh - the waves an engineer opens after a divergence, checked in a real viewer
# (make gtkwave-check, part of make test): an injected fault in each RTL unit, the failure
# bundle with --wave-on-fail, and its GTKWave save file opened in GTKWave under Xvfb through
# GTKWave's Tcl interface (tests/gtkwave/check.py): the markers in view, the failing element's
# signal displayed first, its value at the marker the reported actual value, the op by name.
# Screenshots for a person to look at: build/gtkwave/<unit>.png.
#   usage: tests/sh/gtkwave_test.sh PIMCOSIM
set -u
bin=$1
py=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shots=$root/build/gtkwave
mkdir -p "$shots"
out=$(mktemp -d "${TMPDIR:-/tmp}/pimcosim-gtkwave.XXXXXXXXXX")
trap 'rm -rf "$out"' EXIT
pass=0 fail=0
for tool in xvfb-run gtkwave fst2vcd; do
  command -v $tool > /dev/null || { echo "FAIL gtkwave: $tool is not installed (make deps)"; exit 1; }
done
# unit, fault, vector: a vector-unit lane (element 0 of a 2047-element vvsra, 64 beats) and a
# tile column (an ADC that clips one code high)
for spec in "vu PIM_FAULT_VVSRA_ROUND vectors/vector/vector.vvsra.len-2047.json" \
            "tile PIM_FAULT_ADC_CLIP_HIGH vectors/matrix/matrix.mvmul.hand-2x2-clip.json"; do
  read -r unit fault vector <<< "$spec"
  id=$(basename "$vector" .json)
  "$bin" run --fault "$fault" --wave-on-fail --out "$out" "$root/$vector" > "$out/$unit.log" 2>&1
  rc=$?
  if [ $rc != 1 ] || [ ! -s "$out/$id/wave.$unit.gtkw" ]; then
    echo "FAIL gtkwave: $vector with $fault: exit $rc, no wave.$unit.gtkw"; tail -n 5 "$out/$unit.log"
    fail=$((fail + 1))
    continue
  fi
  if "$py" "$root/tests/gtkwave/check.py" "$out/$id" "$unit" "$shots/$unit.png"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
  fi
  # the bundle moved elsewhere (opened from another directory): GTKWave still finds its dump
  mkdir -p "$out/moved"
  mv "$out/$id" "$out/moved/$id"
  if (cd / && "$py" "$root/tests/gtkwave/check.py" "$out/moved/$id" "$unit" "$out/moved/$unit.png"); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
  fi
done
echo "gtkwave: $pass passed, $fail failed (screenshots in build/gtkwave/)"
[ $fail = 0 ]
