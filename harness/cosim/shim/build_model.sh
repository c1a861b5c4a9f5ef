#!/usr/bin/env bash
# build_model.sh UNIT KEY OUT.so [SRC_ROOT] - Verilates one RTL unit for one parameter set and
# links it with its extern "C" shim into a shared object that harness/cosim/rtl.c loads.
#   UNIT tile: KEY = r<Rows>-c<Cols>-P<MaxCellBits>-D<MaxDacBits>[-p<CellBits>-d<DacBits>
#              -a<AdcBits>-k<AdcClip>]-i<MaxIbiw>-m<MaxMbiw>-o<MaxObiw>
#              [-g<Columns>-q<Planes>]
#              (p d a k: knobs fixed by parameters; without them the knobs are inputs; g q: the
#              weight store, default 2^18 columns and 2^21 planes, enough for every shared
#              network's groups at once)
#   UNIT vu:   KEY = l<Lanes>[-f<FracBits>]   (f: F fixed; without it F is an input)
#   The key may end in -h<hash> (the content hash in the model's name; ignored here).
#   KEY+NAME: the same, built with +define+NAME (a fault injected for the harness's
#   self-tests, e.g. PIM_FAULT_ADC_CLIP_HIGH).
#   KEY+cov (also KEY+NAME+cov): built with --coverage (line + toggle); the shim writes the
#   model's coverage data when it is freed, into $PIMCOSIM_COVERAGE_DIR (pimcosim cover --rtl).
#   SRC_ROOT: where rtl/ and harness/cosim/shim/ are (default: this script's project), e.g. a
#   mutant's copy of the tree (pimcosim mutate).
# Verilator's runtime objects (verilated.o, the FST writer, ...) are built once per tool
# version into vlrt-<key>/ beside OUT and shared by every model there.
# Environment: VERILATOR (verilator), CXX (g++), PIM_MODEL_OPT (the C++ optimization of the
# model's own code: 2, the default, or 1 or 0 for fast builds such as mutants), V=1 to echo
# the commands.
set -euo pipefail
unit=$1 key=$2 out=$3
VERILATOR=${VERILATOR:-verilator}
CXX=${CXX:-g++}
OPT=${PIM_MODEL_OPT:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "${4:-$here/../../..}" && pwd)
shimdir=$root/harness/cosim/shim
dir=${out%.so}.build
COV=0
case $key in *+cov) COV=1; key=${key%+cov} ;; esac
case $key in *+*) FAULT=${key#*+}; key=${key%%+*} ;; esac
key=$(printf '%s\n' "$key" | sed 's/-h[0-9a-f]*$//')
val() { printf '%s\n' "$key" | tr '-' '\n' | sed -n "s/^$1\([0-9]*\)$/\1/p"; }
opt() { local v; v=$(val "$1"); printf '%s' "${v:-$2}"; } # an optional field, or its default
case $OPT in 0|1|2) ;; *) echo "build_model.sh: PIM_MODEL_OPT must be 0, 1 or 2" >&2; exit 2 ;; esac
case $unit in
tile)
    top=pim_xbar_tile
    columns=$(opt g 262144) planes=$(opt q 2097152)
    params=(-GRows="$(val r)" -GCols="$(val c)" -GMaxCellBits="$(val P)" -GMaxDacBits="$(val D)"
            -GMaxIbiw="$(val i)" -GMaxMbiw="$(val m)" -GMaxObiw="$(val o)"
            -GColumns="$columns" -GPlanes="$planes")
    # a fixed knob is a parameter; otherwise the RTL's default (0, AdcClip -1: an input)
    # stays, since -G takes no negative number
    [ -n "$(val p)" ] && params+=(-GCellBits="$(val p)" -GDacBits="$(val d)" -GAdcBits="$(val a)"
                                  -GAdcClip="$(val k)")
    defs=(-DTILE_ROWS="$(val r)" -DTILE_COLS="$(val c)" -DTILE_MAXP="$(val P)"
          -DTILE_MAXD="$(val D)" -DTILE_CELL="$(opt p 0)" -DTILE_DAC="$(opt d 0)"
          -DTILE_ADC="$(opt a 0)" -DTILE_CLIP="$(opt k -1)" -DTILE_MAXI="$(val i)"
          -DTILE_MAXM="$(val m)" -DTILE_MAXO="$(val o)" -DTILE_COLUMNS="$columns"
          -DTILE_PLANES="$planes")
    shim=$shimdir/tile_shim.cpp ;;
vu)
    top=pim_vector_unit
    params=(-GLanes="$(val l)")
    [ -n "$(val f)" ] && params+=(-GFracBits="$(val f)")
    defs=(-DVU_LANES="$(val l)" -DVU_FRAC="$(opt f -1)")
    shim=$shimdir/vu_shim.cpp ;;
*) echo "build_model.sh: unknown unit '$unit'" >&2; exit 2 ;;
esac
for p in "${params[@]}"; do
    case $p in *=) echo "build_model.sh: key '$key' lacks ${p%=}" >&2; exit 2 ;; esac
done
fault=()
[ -n "${FAULT:-}" ] && fault=(+define+"$FAULT")
# --coverage: line and toggle coverage points; the shim (VM_COVERAGE) writes them at free
cov=() covdefs=() covobj=()
if [ "$COV" = 1 ]; then
    cov=(--coverage) covdefs=(-DVM_COVERAGE=1) covobj=(verilated_cov.o)
fi
[ "${V:-0}" = 1 ] && set -x
# One build of a model at a time: a second build of the same file (two make targets, two
# pimcosim processes) waits for the first and then finds the model there.
mkdir -p "$(dirname "$out")"
exec 8>"${out%.so}.lock"
flock 8
if [ -f "$out" ]; then
    echo "built $out (by another build)"
    exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
# -O3 --x-assign fast --x-initial fast: the fastest model; X's get values from
#   +verilator+rand+reset+2 and the seed the shim passes
# --assert +define+PIM_ASSERT: the units' stream-contract and range assertions, reported by
#   the shim (fatalOnError off) as a unit failure
# --trace-fst: waves on request (--wave); costs nothing while tracing is off
# -CFLAGS -fPIC: everything goes into a shared object
"$VERILATOR" --cc -O3 --unroll-count 8 --x-assign fast --x-initial fast --assert +define+PIM_ASSERT \
    --trace-fst --trace-structs \
    -Wall -Wno-fatal "$root/rtl/lint.vlt" -I"$root/rtl" \
    "$root/rtl/pim_pkg.sv" "$root/rtl/$top.sv" --top-module "$top" --prefix "V$top" \
    "${params[@]}" "${fault[@]}" "${cov[@]}" -Mdir "$dir" \
    -CFLAGS "-fPIC" >"$dir/verilator.log" 2>&1 || { cat "$dir/verilator.log" >&2; exit 1; }
# The runtime objects, once per tool version and coverage setting (Verilator 5.006's
# libverilated.a target gives an empty archive, so the objects themselves), under a lock:
# parallel builds wait for the first one to make them.
rtflags="-O2 -DVL_PRINTF=pim_vl_printf -include $shimdir/vl_print.h"
# the key: the tools, the flags and vl_print.h's content (not its path: mutants' copies share)
rtkey=$( { "$VERILATOR" --version; "$CXX" --version | head -n 1; echo "cov=$COV -O2 vl_print";
           cat "$shimdir/vl_print.h"; } | cksum | cut -d' ' -f1)
rt=$(dirname "$out")/vlrt-$rtkey
rtobj=(verilated.o verilated_fst_c.o verilated_threads.o "${covobj[@]}")
mkdir -p "$rt"
(
    flock 9
    if [ ! -f "$rt/done" ]; then
        make -s -C "$dir" -f "V$top.mk" OPT_GLOBAL="$rtflags" \
            "${rtobj[@]}" >"$dir/runtime.log" 2>&1 || { tail -n 30 "$dir/runtime.log" >&2; exit 1; }
        for o in "${rtobj[@]}"; do mv "$dir/$o" "$rt/$o"; done
        touch "$rt/done"
    fi
) 9>"$rt/lock"
# the model's own code at the optimization asked for (-O2: the fastest simulation)
slow=$(( OPT > 1 ? 1 : OPT ))
make -s -C "$dir" -f "V$top.mk" OPT_FAST="-O$OPT" OPT_SLOW="-O$slow" OPT_GLOBAL="-O$OPT" \
    "V${top}__ALL.a" >"$dir/make.log" 2>&1 || { tail -n 30 "$dir/make.log" >&2; exit 1; }
inc=$("$VERILATOR" --getenv VERILATOR_ROOT)/include
rtlink=()
for o in "${rtobj[@]}"; do rtlink+=("$rt/$o"); done
"$CXX" -std=c++17 -O"$OPT" -fPIC -shared -Wl,-Bsymbolic "${defs[@]}" "${covdefs[@]}" \
    -I"$dir" -I"$inc" -I"$inc/vltstd" -I"$root/include" -I"$shimdir" \
    -o "$out.tmp" "$shim" "$dir/V${top}__ALL.a" "${rtlink[@]}" -lz -pthread
mv "$out.tmp" "$out"
[ "${KEEP:-0}" = 1 ] || rm -rf "$dir"  # the generated C++ is not needed once linked (KEEP=1 keeps it)
echo "built $out in $(( $(date +%s) - start )) s"
