#!/usr/bin/env bash
# rtl_lint.sh [lint|synth] - RTL cross-checks (`make lint`, `make synth`).
#   lint:  Verilator --lint-only -Wall over several parameter sets of every unit (and with the
#          fault-injection and assertion defines), Icarus -g2012 compiling every unit and
#          running the self-checking testbenches, yosys reading and elaborating every unit.
#   synth: yosys synthesizing a small parameter set of every unit, printing the cell counts.
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
tile_small="-GRows=8 -GCols=4 -GCellBits=1 -GDacBits=1 -GAdcBits=3 -GMaxIbiw=8 -GMaxMbiw=8 -GMaxObiw=8"
tile_ref="-GRows=128 -GCols=128 -GCellBits=2 -GDacBits=1 -GAdcBits=8"
tile_wide="-GRows=256 -GCols=64 -GCellBits=4 -GDacBits=2 -GAdcBits=10 -GAdcClip=0"
vu_small="-GLanes=1 -GFracBits=0"
vu_ref="-GLanes=32 -GFracBits=4"
vu_wide="-GLanes=64 -GFracBits=12"

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
    check "verilator tile fault+assert" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_xbar_tile.sv \
        --top-module pim_xbar_tile $tile_small +define+PIM_FAULT_ADC_CLIP_HIGH +define+PIM_ASSERT
    # shellcheck disable=SC2086
    check "verilator tile ref+assert" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_xbar_tile.sv \
        --top-module pim_xbar_tile $tile_ref +define+PIM_ASSERT
    # shellcheck disable=SC2086
    check "verilator vu fault+assert" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_vector_unit.sv \
        --top-module pim_vector_unit $vu_ref +define+PIM_FAULT_VVSRA_ROUND +define+PIM_ASSERT
    # shellcheck disable=SC2086
    check "verilator vu fault vvadd" verilator --lint-only -Wall -Irtl $vlt $pkg rtl/pim_vector_unit.sv \
        --top-module pim_vector_unit $vu_ref +define+PIM_FAULT_VVADD_WRAP +define+PIM_ASSERT
    check "iverilog tile" iverilog -g2012 -Irtl -o "$tmp/tile.vvp" -s pim_xbar_tile $pkg rtl/pim_xbar_tile.sv
    check "iverilog vu" iverilog -g2012 -Irtl -o "$tmp/vu.vvp" -s pim_vector_unit $pkg rtl/pim_vector_unit.sv
    for tb in rtl/tb/*_tb.sv; do
        [ -e "$tb" ] || continue
        name=$(basename "$tb" .sv)
        check "iverilog $name" bash -c "iverilog -g2012 -Irtl -o '$tmp/$name.vvp' $pkg rtl/${name%_tb}.sv '$tb' \
            && vvp -n '$tmp/$name.vvp' | tee '$tmp/$name.out' && grep -q ' 0 failed' '$tmp/$name.out'"
    done
    check "yosys read tile" yosys -q -p "read_verilog -defer -sv -Irtl $pkg rtl/pim_xbar_tile.sv; \
        chparam -set Rows 8 -set Cols 4 -set MaxIbiw 8 -set MaxMbiw 8 -set MaxObiw 8 pim_xbar_tile; \
        hierarchy -check -top pim_xbar_tile; proc"
    check "yosys read vu" yosys -q -p "read_verilog -defer -sv -Irtl $pkg rtl/pim_vector_unit.sv; \
        chparam -set Lanes 2 pim_vector_unit; hierarchy -check -top pim_vector_unit; proc"
else
    for u in tile vu; do
        if [ $u = tile ]; then
            top=pim_xbar_tile
            cp="chparam -set Rows 8 -set Cols 4 -set CellBits 2 -set DacBits 1 -set AdcBits 4 \
                -set MaxIbiw 8 -set MaxMbiw 8 -set MaxObiw 8 $top"
            what="Rows 8, Cols 4, 2-bit cells, 1-bit DAC, 4-bit ADC, widths up to 8"
        else
            top=pim_vector_unit
            cp="chparam -set Lanes 1 -set FracBits 4 $top"
            what="1 lane, F 4"
        fi
        start=$(date +%s)
        check "yosys synth $top" yosys -q -p "read_verilog -defer -sv -Irtl $pkg rtl/$top.sv; $cp; \
            hierarchy -check -top $top; synth -top $top; tee -q -o $tmp/$u.stat stat"
        cells=$(sed -n 's/^ *Number of cells: *//p' "$tmp/$u.stat" 2>/dev/null | tail -n 1)
        echo "     $top ($what): ${cells:-?} cells, $(( $(date +%s) - start )) s"
    done
fi
echo "$mode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
