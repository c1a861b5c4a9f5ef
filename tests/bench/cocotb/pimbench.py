"""pimbench.py - what the cocotb testbenches share: the clock and reset, element packing, the
figure written for run.sh."""
import json
import os
import time

import numpy as np
import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, RisingEdge

WORD = 32  # every element bus carries 32-bit lanes (MaxIbiw = MaxMbiw = MaxObiw = 32)


def pack(values):
    """Signed elements -> the int of a bus with element i at [32 i +: 32]."""
    a = np.asarray(values, dtype=np.int64).astype(np.uint32)
    return int.from_bytes(a.astype("<u4").tobytes(), "little")


def unpack(value, n):
    """The int of a bus -> its n signed 32-bit elements."""
    raw = int(value).to_bytes(4 * n, "little")
    return np.frombuffer(raw, dtype="<i4").astype(np.int64)


def sat(v, w):
    return np.clip(v, -(1 << (w - 1)), (1 << (w - 1)) - 1)


async def start(dut):
    """A 10 ns clock, two cycles of reset, the design idle after."""
    cocotb.start_soon(Clock(dut.clk_i, 10, units="ns").start())
    dut.rst_ni.value = 0
    for _ in range(2):
        await FallingEdge(dut.clk_i)
    dut.rst_ni.value = 1
    await FallingEdge(dut.clk_i)


class Timer:
    def __init__(self):
        self.t0 = time.perf_counter()

    def seconds(self):
        return time.perf_counter() - self.t0


def report(name, **fig):
    """Appends one figure to $BENCH_OUT (JSON lines) and prints it."""
    line = json.dumps(dict(bench=name, **fig))
    print(line)
    out = os.environ.get("BENCH_OUT")
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")
