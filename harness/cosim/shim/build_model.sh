#!/usr/bin/env bash
# build_model.sh UNIT KEY OUT.so - Verilates one RTL unit for one parameter set and links
# it with its extern "C" shim into a shared object that harness/cosim/rtl.c loads.
#   UNIT tile: KEY = r<Rows>-c<Cols>-p<CellBits>-d<DacBits>-a<AdcBits>-k<AdcClip>-i<MaxIbiw>-m<MaxMbiw>-o<MaxObiw>
#   UNIT vu:   KEY = l<Lanes>-f<FracBits>
#   KEY+NAME: the same, built with +define+NAME (a fault injected for the harness's
#   self-tests, e.g. PIM_FAULT_ADC_CLIP_HIGH).
#   KEY+cov (also KEY+NAME+cov): built with --coverage (line + toggle); the shim writes the
#   model's coverage data when it is freed, into $PIMCOSIM_COVERAGE_DIR (pimcosim cover --rtl).
# Environment: VERILATOR (verilator), CXX (g++), V=1 to echo the commands.
set -euo pipefail
unit=$1 key=$2 out=$3
VERILATOR=${VERILATOR:-verilator}
CXX=${CXX:-g++}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dir=${out%.so}.build
COV=0
case $key in *+cov) COV=1; key=${key%+cov} ;; esac
case $key in *+*) FAULT=${key#*+}; key=${key%%+*} ;; esac
val() { printf '%s\n' "$key" | tr '-' '\n' | sed -n "s/^$1\([0-9]*\)$/\1/p"; }
case $unit in
tile)
    top=pim_xbar_tile
    params=(-GRows="$(val r)" -GCols="$(val c)" -GCellBits="$(val p)" -GDacBits="$(val d)"
            -GAdcBits="$(val a)" -GAdcClip="$(val k)" -GMaxIbiw="$(val i)" -GMaxMbiw="$(val m)"
            -GMaxObiw="$(val o)")
    defs=(-DTILE_ROWS="$(val r)" -DTILE_COLS="$(val c)" -DTILE_CELL="$(val p)" -DTILE_DAC="$(val d)"
          -DTILE_ADC="$(val a)" -DTILE_CLIP="$(val k)" -DTILE_MAXI="$(val i)" -DTILE_MAXM="$(val m)"
          -DTILE_MAXO="$(val o)")
    shim=$here/tile_shim.cpp ;;
vu)
    top=pim_vector_unit
    params=(-GLanes="$(val l)" -GFracBits="$(val f)")
    defs=(-DVU_LANES="$(val l)" -DVU_FRAC="$(val f)")
    shim=$here/vu_shim.cpp ;;
*) echo "build_model.sh: unknown unit '$unit'" >&2; exit 2 ;;
esac
for p in "${params[@]}"; do
    case $p in *=) echo "build_model.sh: key '$key' lacks ${p%=}" >&2; exit 2 ;; esac
done
fault=()
[ -n "${FAULT:-}" ] && fault=(+define+"$FAULT")
# --coverage: line and toggle coverage points; the shim (VM_COVERAGE) writes them at free
cov=() covdefs=() covobj=() covlink=()
if [ "$COV" = 1 ]; then
    cov=(--coverage) covdefs=(-DVM_COVERAGE=1) covobj=(verilated_cov.o) covlink=("$dir/verilated_cov.o")
fi
[ "${V:-0}" = 1 ] && set -x
rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
# -O3 --x-assign fast --x-initial fast: the fastest model; X's get values from
#   +verilator+rand+reset+2 and the seed the shim passes
# --assert +define+PIM_ASSERT: the units' stream-contract and range assertions, reported by
#   the shim (fatalOnError off) as a unit failure
# --trace-fst: waves on request (--wave); costs nothing while tracing is off
# -CFLAGS -fPIC: everything goes into a shared object
"$VERILATOR" --cc -O3 --x-assign fast --x-initial fast --assert +define+PIM_ASSERT \
    --trace-fst --trace-structs \
    -Wall -Wno-fatal "$root/rtl/lint.vlt" -I"$root/rtl" \
    "$root/rtl/pim_pkg.sv" "$root/rtl/$top.sv" --top-module "$top" --prefix "V$top" \
    "${params[@]}" "${fault[@]}" "${cov[@]}" -Mdir "$dir" \
    -CFLAGS "-fPIC -O2" >"$dir/verilator.log" 2>&1 || { cat "$dir/verilator.log" >&2; exit 1; }
# Verilator 5.006's libverilated.a target gives an empty archive: build the runtime objects.
make -s -C "$dir" -f "V$top.mk" OPT_FAST="-O2" OPT_SLOW="-O1" OPT_GLOBAL="-O2" \
    "V${top}__ALL.a" verilated.o verilated_fst_c.o verilated_threads.o "${covobj[@]}" \
    >"$dir/make.log" 2>&1 || { tail -n 30 "$dir/make.log" >&2; exit 1; }
inc=$("$VERILATOR" --getenv VERILATOR_ROOT)/include
"$CXX" -std=c++17 -O2 -fPIC -shared -Wl,-Bsymbolic "${defs[@]}" "${covdefs[@]}" \
    -I"$dir" -I"$inc" -I"$inc/vltstd" -I"$root/include" -I"$here" \
    -o "$out.tmp" "$shim" "$dir/V${top}__ALL.a" "$dir"/verilated.o "$dir"/verilated_fst_c.o \
    "$dir"/verilated_threads.o "${covlink[@]}" -lz -pthread
mv "$out.tmp" "$out"
echo "built $out in $(( $(date +%s) - start )) s"
