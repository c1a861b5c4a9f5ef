"""test_tile.py - cocotb testbench of pim_xbar_tile with a numpy scoreboard: the operations of
tests/bench/bench_rtl.c's lockstep mvmul benchmark (a 128x128 group of 8-bit weights
programmed once, then mvmuls of 8-bit inputs alternating two vectors; 2-bit cells, 1-bit DAC,
8-bit saturating ADC), every output compared with the profile's mvmul computed in numpy."""
import os

import numpy as np
import cocotb
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

from pimbench import Timer, pack, report, sat, start, unpack

ROWS = COLS = 128
MBIW = IBIW = OBIW = 8
P, D, A = 2, 1, 8


def expected(w, x):
    """The profile's mvmul (spec/profile.md), steps 1-7, vectorized: offset binary, cells and
    digits, the ADC's clip of every (step, slice, column) sum, shift and add, correction,
    saturation."""
    steps, slices = (IBIW + D - 1) // D, (MBIW + P - 1) // P
    xo = x + (1 << (IBIW - 1))
    wo = w + (1 << (MBIW - 1))
    u = np.stack([(xo >> (k * D)) & ((1 << D) - 1) for k in range(steps)])        # k, i
    c = np.stack([(wo >> (t * P)) & ((1 << P) - 1) for t in range(slices)], -1)   # i, j, t
    s = np.einsum("ki,ijt->kjt", u, c)
    s = np.minimum(s, (1 << A) - 1)
    scale = np.array([[1 << (k * D + t * P) for t in range(slices)] for k in range(steps)])
    big = np.einsum("kjt,kt->j", s, scale)
    y = big - (1 << (MBIW - 1)) * xo.sum() - (1 << (IBIW - 1)) * w.sum(axis=0)
    return sat(y, OBIW)


@cocotb.test()
async def mvmul_throughput(dut):
    n = int(os.environ.get("BENCH_MVMULS", "2000"))
    rng = np.random.default_rng(5)
    w = rng.integers(-128, 128, size=(ROWS, COLS), dtype=np.int64)
    xs = [rng.integers(-128, 128, size=ROWS, dtype=np.int64) for _ in range(2)]
    want = [expected(w, x) for x in xs]
    await start(dut)
    dut.prog_valid_i.value = 0
    dut.in_valid_i.value = 0
    dut.out_ready_i.value = 1
    # program the group once: column j at column address j, its planes from 8 j
    for j in range(COLS):
        dut.prog_mbiw_i.value = MBIW
        dut.prog_rows_i.value = ROWS
        dut.prog_col_i.value = j
        dut.prog_plane_i.value = j * MBIW
        dut.prog_w_i.value = pack(w[:, j])
        dut.prog_valid_i.value = 1
        await FallingEdge(dut.clk_i)  # prog_ready_o is high while idle: taken at the edge
    dut.prog_valid_i.value = 0
    dut.in_col_i.value = 0
    dut.in_plane_i.value = 0
    dut.in_cols_i.value = COLS
    dut.in_rows_i.value = ROWS
    dut.in_mbiw_i.value = MBIW
    dut.in_ibiw_i.value = IBIW
    dut.in_obiw_i.value = OBIW
    dut.in_relu_i.value = 0
    dut.cfg_cell_bits_i.value = P
    dut.cfg_dac_bits_i.value = D
    dut.cfg_adc_bits_i.value = A
    dut.cfg_adc_clip_i.value = 1
    bad = cycles = 0
    t = Timer()
    for k in range(n):
        dut.in_x_i.value = pack(xs[k & 1])
        dut.in_valid_i.value = 1
        await RisingEdge(dut.clk_i)  # the transfer
        await FallingEdge(dut.clk_i)
        dut.in_valid_i.value = 0
        cycles += 1
        while True:
            await RisingEdge(dut.clk_i)
            await ReadOnly()
            cycles += 1
            if dut.out_valid_o.value:
                break
        y = unpack(dut.out_y_o.value, COLS)
        bad += int(np.count_nonzero(y != want[k & 1]))
        await RisingEdge(dut.clk_i)  # the output's transfer (out_ready_i high): idle after
        await FallingEdge(dut.clk_i)
        cycles += 1
    secs = t.seconds()
    assert bad == 0, f"{bad} outputs differ from the profile"
    report("tile", mvmuls=n, seconds=secs, rate=n / secs, cycles=cycles)
