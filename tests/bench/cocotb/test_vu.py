"""test_vu.py - cocotb testbench of pim_vector_unit with a numpy scoreboard: the operations of
tests/bench/bench_rtl.c's lockstep vector benchmark (vvadd, vrelu, vsigm in turn over
1024-element vectors of 8-bit elements, 32 lanes a beat, F = 4), every lane of every output
beat compared with the profile's result computed in numpy."""
import os

import numpy as np
import cocotb
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

from pimbench import Timer, pack, report, sat, start, unpack

LANES, LEN, IBIW, OBIW, F = 32, 1024, 8, 8, 4
OP_VVADD, OP_VRELU, OP_VSIGM = 10, 18, 20  # pim_pkg.sv


def plan_sigm(x):
    """PLAN sigmoid in fixed point with F fractional bits (docs/isa.md choice 24): 32 times
    the result by the integer formula, then divided by 32 rounding ties away from zero."""
    a = np.abs(x)
    s = np.where(a >= 5 << F, 1 << (F + 5),
        np.where(8 * a >= 19 << F, a + (27 << F),
        np.where(a >= 1 << F, 4 * a + (20 << F), 8 * a + (16 << F))))
    s = np.where(x < 0, (1 << (F + 5)) - s, s)
    q = (np.abs(s) + 16) // 32
    return np.where(s < 0, -q, q)


def expected(op, a, b):
    if op == OP_VVADD:
        return sat(a + b, IBIW)
    if op == OP_VRELU:
        return np.maximum(a, 0)
    return sat(plan_sigm(a), OBIW)


@cocotb.test()
async def vector_throughput(dut):
    n = int(os.environ.get("BENCH_VECTORS", "150"))
    rng = np.random.default_rng(5)
    a = rng.integers(-128, 128, size=LEN, dtype=np.int64)
    b = rng.integers(-128, 128, size=LEN, dtype=np.int64)
    ops = (OP_VVADD, OP_VRELU, OP_VSIGM)
    want = {op: expected(op, a, b) for op in ops}
    beats_a = [pack(a[i:i + LANES]) for i in range(0, LEN, LANES)]
    beats_b = [pack(b[i:i + LANES]) for i in range(0, LEN, LANES)]
    await start(dut)
    dut.in_valid_i.value = 0
    dut.out_ready_i.value = 1
    dut.in_ibiw_i.value = IBIW
    dut.in_obiw_i.value = OBIW
    dut.in_scalar_i.value = 0
    dut.in_count_i.value = LANES
    dut.cfg_frac_i.value = F
    bad = 0
    t = Timer()
    for k in range(n):
        op = ops[k % 3]
        dut.in_op_i.value = op
        got = []
        nb = len(beats_a)
        for i in range(nb):
            dut.in_a_i.value = beats_a[i]
            dut.in_b_i.value = beats_b[i]
            dut.in_first_i.value = int(i == 0)
            dut.in_last_i.value = int(i == nb - 1)
            dut.in_valid_i.value = 1
            await RisingEdge(dut.clk_i)  # the transfer: in_ready_o is high (out_ready_i high)
            await ReadOnly()
            got.append(unpack(dut.out_y_o.value, LANES))  # latency 1: this beat's result
            await FallingEdge(dut.clk_i)
        dut.in_valid_i.value = 0
        bad += int(np.count_nonzero(np.concatenate(got) != want[op]))
    secs = t.seconds()
    assert bad == 0, f"{bad} elements differ from the profile"
    report("vu", instructions=n, elements=n * LEN, seconds=secs, rate=n * LEN / secs)
