// pim_assert.svh - the assertion macros of the pimcosim RTL (included by each unit).
//
// `PIM_ASSERT_HOLD(NAME, VALID, READY, DATA, MSG_DROP, MSG_CHANGE)
//   The hold rule of a valid/ready stream, checked from the side that sees it (an input the
//   unit receives, or an output it sends): once VALID is high while READY is low, at the next
//   rising edge of clk_i VALID is still high and DATA (a net or variable) has not changed.
//   A broken rule is an $error with MSG_DROP or MSG_CHANGE, which the harness's models report
//   as a unit failure (the shim sets fatalOnError off). Declares NAME_hold_wait_q and
//   NAME_hold_data_q; uses clk_i and rst_ni (active low) of the module.
//
// Expands to the checks only when PIM_ASSERT is defined and the simulator is not Icarus
// (Icarus 11 accepts no concurrent assertions and some immediate ones); otherwise to
// nothing, so synthesis and Icarus see none of it.
`ifndef PIM_ASSERT_SVH
`define PIM_ASSERT_SVH

`ifdef PIM_ASSERT
`ifndef __ICARUS__
`define PIM_ASSERT_ON
`endif
`endif

`ifdef PIM_ASSERT_ON
`define PIM_ASSERT_HOLD(NAME, VALID, READY, DATA, MSG_DROP, MSG_CHANGE) \
  logic NAME``_hold_wait_q; \
  logic [$bits(DATA)-1:0] NAME``_hold_data_q; \
  always_ff @(posedge clk_i or negedge rst_ni) begin \
    if (!rst_ni) begin \
      NAME``_hold_wait_q <= 1'b0; \
      NAME``_hold_data_q <= '0; \
    end else begin \
      NAME``_hold_wait_q <= (VALID) && !(READY); \
      NAME``_hold_data_q <= DATA; \
    end \
  end \
  always_ff @(posedge clk_i) begin \
    if (rst_ni && NAME``_hold_wait_q) begin \
      assert (VALID) else $error(MSG_DROP); \
      assert (DATA == NAME``_hold_data_q) else $error(MSG_CHANGE); \
    end \
  end
`else
`define PIM_ASSERT_HOLD(NAME, VALID, READY, DATA, MSG_DROP, MSG_CHANGE)
`endif

`endif // PIM_ASSERT_SVH
