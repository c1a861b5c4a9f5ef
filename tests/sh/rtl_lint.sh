#!/usr/bin/env bash
# rtl_lint.sh [lint|synth|coarse] - RTL cross-checks (`make lint`, `make synth`,
# `make synth-check`).
#   lint:  Verilator --lint-only -Wall over several parameter sets of every unit (and with the
#          fault-injection and assertion defines), Icarus -g2012 compiling every unit and
#          running the self-checking testbenches, yosys reading and elaborating every unit.
#   synth: yosys synthesizing a small parameter set of every unit, printing the cell counts.
#   coarse: the same up to yosys's coarse cells (synth -run :fine: processes, FSMs, memories,
#          arithmetic extracted), the part that says the RTL is synthesizable, in a fraction of
#          the time (make test runs it; make synth the whole flow).
set -u
mode=${1:-lint}
cd "$(dirname "$0")/../.."
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # NAME CMD...: runs CMD, output to a log shown on failure
    local name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $name"
    else
        fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/     | /' "$tmp/log" | head -n 20
    fi
}
pkg=rtl/pim_pkg.sv
vlt=rtl/lint.vlt
# small: knobs as inputs with small bounds; ref: the harness's models (knobs as inputs);
# wide: knobs fixed by parameters (silicon with fixed knobs), odd sizes
tile_small="-GRows=8 -GCols=4 -GMaxCellBits=2 -GMaxDacBits=2 -GMaxIbiw=8 -GMaxMbiw=8 -GMaxObiw=8"
tile_ref="-GRows=128 -GCols=128"
tile_wide="-GRows=45 -GCols=7 -GCellBits=3 -GDacBits=5 -GAdcBits=10 -GAdcClip=0"
vu_small="-GLanes=1 -GFracBits=0"
vu_ref="-GLanes=32"
vu_wide="-GLanes=63 -GFracBits=12"
# every injected fault of each unit (a fault may leave a signal unused: -Wno-UNUSED)
tile_faults=$(sed -n 's/^`ifdef \(PIM_FAULT_[A-Z_]*\)$/\1/p' rtl/pim_xbar_tile.sv | sort -u)
vu_faults=$(sed -n 's/^`ifdef \(PIM_FAULT_[A-Z_]*\)$/\1/p' rtl/pim_vector_unit.sv | sort -u)

if [ "$mode" = lint ]; then
    for set in small ref wide; do
        eval "p=\$tile_$set"
        # shellcheck disable=SC2086
        check "verilator tile $set" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_xbar_tile.sv \
            --top-module pim_xbar_tile $p
        eval "p=\$vu_$set"
        # shellcheck disable=SC2086
        check "verilator vu $set" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_vector_unit.sv \
            --top-module pim_vector_unit $p
    done
    # shellcheck disable=SC2086
    check "verilator tile ref+assert" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_xbar_tile.sv \
        --top-module pim_xbar_tile $tile_ref +define+PIM_ASSERT
    # shellcheck disable=SC2086
    check "verilator tile wide+assert" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_xbar_tile.sv \
        --top-module pim_xbar_tile $tile_wide +define+PIM_ASSERT
    # shellcheck disable=SC2086
    check "verilator vu ref+assert" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_vector_unit.sv \
        --top-module pim_vector_unit $vu_ref +define+PIM_ASSERT
    check "every fault of the tile is linted ($(echo $tile_faults | wc -w))" [ -n "$tile_faults" ]
    for f in $tile_faults; do
        # shellcheck disable=SC2086
        check "verilator tile +$f" verilator --lint-only -Wall -Wno-UNUSED -Irtl $vlt $pkg \
            rtl/pim_xbar_tile.sv --top-module pim_xbar_tile $tile_small +define+$f +define+PIM_ASSERT
    done
    check "every fault of the vector unit is linted ($(echo $vu_faults | wc -w))" [ -n "$vu_faults" ]
    for f in $vu_faults; do
        # shellcheck disable=SC2086
        check "verilator vu +$f" verilator --lint-only -Wall -Wno-UNUSED -Irtl $vlt $pkg \
            rtl/pim_vector_unit.sv --top-module pim_vector_unit $vu_ref +define+$f +define+PIM_ASSERT
    done
    check "iverilog tile" iverilog -g2012 -Irtl -o "$tmp/tile.vvp" -s pim_xbar_tile $pkg rtl/pim_xbar_tile.sv
    check "iverilog vu" iverilog -g2012 -Irtl -o "$tmp/vu.vvp" -s pim_vector_unit $pkg rtl/pim_vector_unit.sv
    for tb in rtl/tb/*_tb.sv; do
        [ -e "$tb" ] || continue
        name=$(basename "$tb" .sv)
        check "iverilog $name" bash -c "iverilog -g2012 -Irtl -o '$tmp/$name.vvp' $pkg rtl/${name%_tb}.sv '$tb' \
            && vvp -n '$tmp/$name.vvp' | tee '$tmp/$name.out' && grep -q ' 0 failed' '$tmp/$name.out'"
    done
    check "yosys read tile" yosys -q -p "read_verilog -defer -sv -Irtl $pkg rtl/pim_xbar_tile.sv; \
        chparam -set Rows 8 -set Cols 4 -set MaxCellBits 2 -set MaxDacBits 2 -set MaxIbiw 8 \
            -set MaxMbiw 8 -set MaxObiw 8 -set Columns 16 -set Planes 128 pim_xbar_tile; \
        hierarchy -check -top pim_xbar_tile; proc"
    check "yosys read vu" yosys -q -p "read_verilog -defer -sv -Irtl $pkg rtl/pim_vector_unit.sv; \
        chparam -set Lanes 2 pim_vector_unit; hierarchy -check -top pim_vector_unit; proc"
else
    for u in tile vu; do
        if [ $u = tile ]; then
            top=pim_xbar_tile
            cp="chparam -set Rows 8 -set Cols 4 -set MaxCellBits 2 -set MaxDacBits 2 \
                -set MaxIbiw 8 -set MaxMbiw 8 -set MaxObiw 8 -set Columns 16 -set Planes 128 $top"
            what="Rows 8, Cols 4, a store of 16 columns and 128 planes, knobs as inputs: cells and DAC up to 2 bits, widths up to 8"
        else
            top=pim_vector_unit
            cp="chparam -set Lanes 1 $top"
            what="1 lane, F an input"
        fi
        start=$(date +%s)
        run=""
        [ "$mode" = coarse ] && run="-run :fine"
        check "yosys synth $run $top" yosys -q -p "read_verilog -defer -sv -Irtl $pkg rtl/$top.sv; $cp; \
            hierarchy -check -top $top; synth -top $top $run; tee -q -o $tmp/$u.stat stat"
        cells=$(sed -n 's/^ *Number of cells: *//p' "$tmp/$u.stat" 2>/dev/null | tail -n 1)
        echo "     $top ($what): ${cells:-?} cells, $(( $(date +%s) - start )) s"
    done
fi
echo "$mode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
