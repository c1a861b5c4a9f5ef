// pim_vector_unit.sv - the vector unit of a pimcosim core: the element-wise ops and the two
// reductions of the ISA's vector instructions, bit for bit as the golden model computes them
// (golden/exec.c pim_exec_vector, golden/vec.c, golden/plan.c; spec/profile.md "Elements" and
// "Vector instructions"; choices 13-16 and 24 of docs/isa.md section 8).
//
// What it computes, per lane l < in_count_i (a, b = the low ibiw bits of lane l of in_a_i /
// in_b_i, sign-extended; sat_w clamps to [-2^(w-1), 2^(w-1)-1]):
//   vvadd  sat_ibiw(a + b)          vvsub  sat_ibiw(a - b)         vvmax  max(a, b)
//   vvmul  sat_obiw(rnd(a * b / 2^F)) vvsll  sat_obiw(a * 2^s)     vvsra  sat_obiw(a >>> s)
//          (F = in_scalar_i, 0..31: the fixed-point rescale of the pimcomp dialect's
//          fractional constants, docs/dialects.md rule 9; rnd rounds to nearest, ties away
//          from zero; F = 0 is the plain product. s = b clamped to [0, 31]; >>> rounds
//          toward minus infinity)
//   vrelu  max(a, 0)                vmv    a (the harness gathers)
//   vrsu   sat_obiw(min(a, bound))  vrsl   sat_obiw(max(a, bound))  (bound = signed in_scalar_i)
//   vsigm  sat_obiw(PLAN sigmoid)   vtanh  sat_obiw(PLAN tanh = 2 sigm(2x) - 1)
//          in fixed point with F fractional bits (cfg_frac_i, or the FracBits parameter),
//          computed by comparators and adders on 64-bit intermediates (no table), rounded to
//          F bits ties away from zero.
//   Any other opcode gives 0 (the harness never sends one). Lanes >= in_count_i give 0.
// Reductions, over every beat from in_first_i to in_last_i (lanes >= in_count_i ignored):
//   vvdmul sat_obiw(sum of a*b), exact in a 96-bit accumulator (room for 2^32 products);
//   vavg   sat_obiw(floor(sum of a / len)), len = in_scalar_i (unsigned) of the last beat,
//          64-bit sum (the low 64 bits of the same accumulator; 2^32 elements fit).
//          The division is COMBINATIONAL (one unsigned `/` of 64 by 32 bits, in the last
//          beat's cycle), so vavg has the same latency as every other op. len = 0 is outside
//          the contract (the golden model refuses it; the assertions report it).
//   Each beat adds to the accumulator in the cycle it is accepted; in_first_i restarts it.
//   The result is lane 0 of one output beat, out_count_o = 1, other lanes 0; beats before
//   the last one produce no output.
// Every result is sign-extended to 32 bits on out_y_o; lanes at or beyond out_count_o are 0.
// Widths outside 1..32 (never produced by the ISA) are outside the contract.
//
// Reset: rst_ni (asynchronous, active low) resets the control state only (no result
// waiting); the result register and the accumulator are written before they are read.
//
// Latency: 1 cycle (the result register is the only pipeline stage): an input beat accepted
// at clock edge t appears on out_y_o after t, out_valid_o high from t on. A reduction answers
// 1 cycle after its last beat. Throughput: one beat (Lanes elements) per cycle while
// out_ready_i is high.
//
// Parameters:
//   Lanes    elements per beat (config vector_width), >= 1
//   FracBits -1: F comes with each beat on cfg_frac_i (config activation_frac_bits, 0..30);
//            0..30: F is fixed, cfg_frac_i is ignored (and with PIM_ASSERT checked to equal
//            it). Silicon with a fixed F builds that and runs the same suite.
//
// Valid/ready contract (both streams): a transfer happens at a rising clk_i edge when valid
// and ready are both high. Once valid is high it stays high, and the data with it stays
// stable, until the transfer. in_ready_o = !out_valid_o || out_ready_i (a beat is accepted
// when the result register is empty or being emptied); in_ready_o does not depend on
// in_valid_i, and out_valid_o does not depend on out_ready_i in the same cycle. A
// reduction's beats must come in order (in_first_i on the first, in_last_i on the last, a
// single beat may have both); any other op's beats are independent of each other.
// Don't care: lanes at or beyond in_count_i, the bits of a lane above ibiw, and every input
// but in_valid_i while in_valid_i is low.
// With PIM_ASSERT defined (and not under Icarus), immediate assertions check the contract on
// both sides and the ranges of in_count_i, in_ibiw_i, in_obiw_i and cfg_frac_i.
//
// Fault injection (the harness's self-tests; each breaks one promise above):
//   PIM_FAULT_VVSRA_ROUND   vvsra rounds toward zero, not toward minus infinity (-5 >>> 1
//                           gives -2)
//   PIM_FAULT_VVADD_WRAP    vvadd does not saturate (127 + 1 gives -128 at 8 bits)
//   PIM_FAULT_VU_LANE_VALID lane in_count_i counts as valid too (a lane valid off by one)
//   PIM_FAULT_VU_READY      in_ready_o ignores out_ready_i (a stalled result is overwritten)
//   PIM_FAULT_VU_ACC_KEEP   in_first_i does not restart the accumulator (only a reset does)
//   PIM_FAULT_VU_COUNT      out_count_o of an element-wise beat is one too many
//   PIM_FAULT_VU_SEXT       the bits of a lane above ibiw are not ignored
//   PIM_FAULT_VU_GAP        a reduction also adds the inputs of cycles without a transfer
`include "pim_assert.svh"

module pim_vector_unit #(
  parameter int Lanes    = 32,  // elements per beat (config vector_width)
  parameter int FracBits = -1   // -1: F from cfg_frac_i; 0..30: F fixed
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  input  logic [pim_pkg::OpBits-1:0] in_op_i, // ISA opcode: OpVvadd..OpVrsl (pim_pkg)
  input  logic [pim_pkg::BwBits-1:0] in_ibiw_i, // 1..32
  input  logic [pim_pkg::BwBits-1:0] in_obiw_i, // 1..32
  input  logic [31:0]           in_scalar_i,  // vrsu/vrsl: the bound ($rs2, signed 32-bit); vavg: len (unsigned, >= 1); vvmul: F (0..31)
  input  logic                  in_first_i,   // first beat of an instruction
  input  logic                  in_last_i,    // last beat of an instruction
  input  logic [$clog2(Lanes+1)-1:0] in_count_i, // valid lanes in this beat, 1..Lanes (lanes >= count are don't care)
  input  logic [Lanes*pim_pkg::MaxWidth-1:0] in_a_i, // lane l at [l*Ew +: Ew]: operand a in its low ibiw bits
  input  logic [Lanes*pim_pkg::MaxWidth-1:0] in_b_i,       // operand b likewise (vvadd vvsub vvmul vvdmul vvmax vvsll vvsra; shift amounts for vvsll/vvsra)
  input  logic [4:0]            cfg_frac_i,   // F of vsigm/vtanh, 0..30 (ignored when FracBits >= 0)
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [Lanes*pim_pkg::MaxWidth-1:0] out_y_o,      // lane l result, saturated to its output width and sign-extended to 32 bits
  output logic [$clog2(Lanes+1)-1:0] out_count_o // lanes valid in out_y_o
);

  // Element and width-field widths from the ISA table (pim_pkg, generated from pim_isa.h). The
  // datapath below is written for 32-bit elements (64-bit products, a 96-bit accumulator).
  localparam int Ew = pim_pkg::MaxWidth;
  localparam int Bw = pim_pkg::BwBits;
  localparam int CntBits = $clog2(Lanes + 1);
  localparam int AccBits = 96;  // vvdmul: 2^32 products of 64 bits
  localparam int ProdBits = 64;

  // F (constant when fixed), and the PLAN constants scaled by 2^F (all fit in 64 bits for
  // F <= 30).
  logic [4:0]         frac;
  logic signed [63:0] plan_one, plan_5, plan_16, plan_19, plan_20, plan_27, plan_full;
  localparam bit FixF = FracBits >= 0;  // F fixed by the parameter
  assign frac      = FixF ? 5'(FracBits) : cfg_frac_i;
  assign plan_one  = 64'sd1 <<< frac;
  assign plan_5    = 64'sd5 <<< frac;
  assign plan_16   = 64'sd16 <<< frac;
  assign plan_19   = 64'sd19 <<< frac;
  assign plan_20   = 64'sd20 <<< frac;
  assign plan_27   = 64'sd27 <<< frac;
  assign plan_full = 64'sd32 <<< frac;  // 1.0 scaled by 2^(F+5)

  // Functions assign their name rather than `return` (yosys 0.23 rejects `return`).

  // Upper bound of a w-bit signed value, 2^(w-1)-1, for a runtime width w in 1..32.
  function automatic logic signed [63:0] max_of(input logic [Bw-1:0] w);
    max_of = (64'sd1 <<< (w - Bw'(1))) - 64'sd1;
  endfunction

  // Clamps v to the range of a w-bit signed integer.
  function automatic logic signed [63:0] sat64(input logic signed [63:0] v,
                                               input logic [Bw-1:0] w);
    logic signed [63:0] hi;
    hi = max_of(w);
    if (v > hi) sat64 = hi;
    else if (v < -hi - 64'sd1) sat64 = -hi - 64'sd1;
    else sat64 = v;
  endfunction

  // Same for the 96-bit dot-product accumulator.
  function automatic logic signed [63:0] sat96(input logic signed [AccBits-1:0] v,
                                               input logic [Bw-1:0] w);
    logic signed [AccBits-1:0] hi;
    logic signed [AccBits-1:0] lo;
    hi = AccBits'(max_of(w));
    lo = -hi - 1;
    if (v > hi) sat96 = hi[63:0];
    else if (v < lo) sat96 = lo[63:0];
    else sat96 = v[63:0];
  endfunction

  // round(v / 32), ties away from zero (the sign bit picks the side; 0 is its own negation).
  function automatic logic signed [63:0] round_div32(input logic signed [63:0] v);
    logic signed [63:0] m;
    m = v[63] ? -v : v;
    m = (m + 64'sd16) / 64'sd32;
    round_div32 = v[63] ? -m : m;
  endfunction

  // v / 2^s rounded to the nearest integer, ties away from zero (|v| < 2^63).
  function automatic logic signed [63:0] round_shift(input logic signed [63:0] v,
                                                     input logic [4:0] s);
    logic [63:0] m;
    logic [63:0] half;
    m    = v[63] ? 64'(-v) : 64'(v);
    half = s == 5'd0 ? 64'd0 : 64'd1 << (s - 5'd1);
    m    = (m + half) >> s;
    round_shift = v[63] ? -$signed(m) : $signed(m);
  endfunction

  // The low w bits of v, sign-extended (w in 1..32).
  function automatic logic signed [63:0] sext_w(input logic [31:0] v, input logic [Bw-1:0] w);
    logic [5:0]         sh;
    logic signed [31:0] t;
    sh = 6'd32 - 6'(w);
    t = $signed(v << sh) >>> sh;
    sext_w = 64'(t);
  endfunction

  // ---------------------------------------------------------------- transfer
  logic                     in_fire;
  logic                     is_red;       // this beat belongs to a reduction (vvdmul, vavg)
  logic                     out_valid_d, out_valid_q;
  logic [Lanes*Ew-1:0]      out_y_d, out_y_q;
  logic [CntBits-1:0]       out_count_d, out_count_q;
  logic [AccBits-1:0]       acc_d, acc_q;

`ifdef PIM_FAULT_VU_READY
  assign in_ready_o = 1'b1;  // injected: a stalled result is overwritten
`else
  assign in_ready_o = !out_valid_q || out_ready_i;
`endif
  assign in_fire    = in_valid_i && in_ready_o;
  assign is_red     = in_op_i == pim_pkg::OpVvdmul || in_op_i == pim_pkg::OpVavg;

  // ---------------------------------------------------------------- lanes
  logic [Lanes*Ew-1:0]       lane_y;      // element-wise result of every lane (0 past count)
  logic [Lanes*ProdBits-1:0] lane_term;   // reduction term of every lane (0 past count)

  logic unused_y_hi;  // the lanes' y[63:32]: copies of the sign, not needed
  // One loop over the lanes (not a generate block): the lanes share one body, so the
  // Verilated model stays small and builds fast. Each op's arithmetic sits in its own case
  // branch, so a simulator works out only the op in hand. Temporaries are declared in the
  // block.
  always_comb begin : p_lanes
    logic                     valid, do_sat;
    logic signed [63:0]       a, b, bound, term, absx, plan_in, s, t, pre, y;
    logic [4:0]               sh;
    logic [Bw-1:0]            sat_w;
    lane_y    = '0;
    lane_term = '0;
    unused_y_hi = 1'b0;
    bound     = 64'($signed(in_scalar_i));
    for (int l = 0; l < Lanes; l++) begin
`ifdef PIM_FAULT_VU_LANE_VALID
      valid = (CntBits + 1)'(in_count_i) + 1'b1 > (CntBits + 1)'(l);  // injected: one lane too many
`else
      valid = in_count_i > CntBits'(l);
`endif
`ifdef PIM_FAULT_VU_SEXT
      a = 64'($signed(in_a_i[l*Ew +: Ew]));  // injected: the bits above ibiw count
      b = 64'($signed(in_b_i[l*Ew +: Ew]));
`else
      a = sext_w(in_a_i[l*Ew +: Ew], in_ibiw_i);
      b = sext_w(in_b_i[l*Ew +: Ew], in_ibiw_i);
`endif
      // vvsll/vvsra shift amount: b clamped to [0, 31] (negative: 0; 32 or more: 31)
      sh      = b[63] ? 5'd0 : (b[62:5] != '0 ? 5'd31 : b[4:0]);
      term    = 64'sd0;
      absx    = 64'sd0;
      plan_in = 64'sd0;
      s       = 64'sd0;
      t       = 64'sd0;
      pre     = 64'sd0;
      sat_w   = in_obiw_i;
      do_sat  = 1'b1;
      case (in_op_i)
`ifdef PIM_FAULT_VVADD_WRAP
        pim_pkg::OpVvadd: begin pre = sext_w(32'(a + b), in_ibiw_i); do_sat = 1'b0; end  // injected: wraps
`else
        pim_pkg::OpVvadd: begin pre = a + b;  sat_w = in_ibiw_i; end
`endif
        pim_pkg::OpVvsub: begin pre = a - b;  sat_w = in_ibiw_i; end
        pim_pkg::OpVvmax: begin pre = a > b ? a : b;   do_sat = 1'b0; end
        pim_pkg::OpVvmul:   pre = round_shift(a * b, in_scalar_i[4:0]);
        pim_pkg::OpVvsll:   pre = a <<< sh;
`ifdef PIM_FAULT_VVSRA_ROUND
        pim_pkg::OpVvsra:   pre = a < 0 ? -((-a) >>> sh) : a >>> sh;  // injected fault: rounds toward zero
`else
        pim_pkg::OpVvsra:   pre = a >>> sh;                            // floor
`endif
        pim_pkg::OpVrelu: begin pre = a > 0 ? a : 64'sd0; do_sat = 1'b0; end
        pim_pkg::OpVmv:   begin pre = a;      do_sat = 1'b0; end
        pim_pkg::OpVrsu:    pre = a < bound ? a : bound;
        pim_pkg::OpVrsl:    pre = a > bound ? a : bound;
        // PLAN on |x| (vsigm) or 2|x| (vtanh): S = sigm(x / 2^F) * 2^(F+5), exact; |x| <= 2^31,
        // so every value below stays < 2^37.
        pim_pkg::OpVsigm, pim_pkg::OpVtanh: begin
          absx    = a[63] ? -a : a;
          plan_in = in_op_i == pim_pkg::OpVtanh ? absx <<< 1 : absx;
          s       = plan_in >= plan_5 ? plan_full
                  : (plan_in <<< 3) >= plan_19 ? plan_in + plan_27
                  : plan_in >= plan_one ? (plan_in <<< 2) + plan_20
                  : (plan_in <<< 3) + plan_16;
          t       = (s <<< 1) - plan_full;
          if (in_op_i == pim_pkg::OpVsigm) begin
            pre = round_div32(a[63] ? plan_full - s : s);
          end else begin
            pre = round_div32(a[63] ? -t : t);
          end
        end
        // the reductions' terms: a * b (vvdmul), a (vavg)
        pim_pkg::OpVvdmul:  term = a * b;
        pim_pkg::OpVavg:    term = a;
        default:            pre = 64'sd0;
      endcase
      y = do_sat ? sat64(pre, sat_w) : pre;
      // y is in 32-bit range (its upper half copies the sign)
      unused_y_hi = unused_y_hi ^ (^y[63:32]);
      if (valid) begin
        lane_y[l*Ew +: Ew]              = y[31:0];
        lane_term[l*ProdBits +: ProdBits] = term;
      end
    end
  end

  // ---------------------------------------------------------------- reductions
  logic signed [AccBits-1:0] beat_sum, acc_sum;
  logic signed [63:0]        avg_sum, avg_res, red_y;
  logic [31:0]               red_y32;
  logic [63:0]               avg_mag, avg_num, avg_quo;

  always_comb begin
    beat_sum = '0;
    for (int l = 0; l < Lanes; l++) begin
      beat_sum = beat_sum + AccBits'($signed(lane_term[l*ProdBits +: ProdBits]));
    end
`ifdef PIM_FAULT_VU_ACC_KEEP
    acc_sum = $signed(acc_q) + beat_sum;  // injected: only a reset restarts the sum
`else
    acc_sum = (in_first_i ? '0 : $signed(acc_q)) + beat_sum;
`endif
  end

  // vavg: floor(sum / len) = sum >= 0 ? |sum| / len : -((|sum| + len - 1) / len), one unsigned
  // divider; |sum| <= 2^63, so |sum| + len - 1 < 2^64 does not overflow.
  assign avg_sum = acc_sum[63:0];
  assign avg_mag = avg_sum[63] ? 64'(-avg_sum) : 64'(avg_sum);
  assign avg_num = avg_sum[63] ? avg_mag + 64'(in_scalar_i) - 64'd1 : avg_mag;
  assign avg_quo = avg_num / 64'(in_scalar_i);
  assign avg_res = avg_sum[63] ? -$signed(avg_quo) : $signed(avg_quo);
  assign red_y   = in_op_i == pim_pkg::OpVvdmul ? sat96(acc_sum, in_obiw_i)
                                                : sat64(avg_res, in_obiw_i);

  assign red_y32 = red_y[31:0];

  // ---------------------------------------------------------------- next state
  // A beat accepted loads the accumulator (a reduction's) or the result (an element-wise
  // beat, or a reduction's last); the registers hold otherwise.
  logic acc_load, out_load;
`ifdef PIM_FAULT_VU_GAP
  assign acc_load = is_red;  // injected: a cycle without a transfer adds its inputs too
`else
  assign acc_load = in_fire && is_red;
`endif
  assign out_load    = in_fire && (!is_red || in_last_i);
  assign acc_d       = acc_sum;
  assign out_valid_d = out_load || (out_valid_q && !out_ready_i);
  assign out_y_d     = is_red ? (Lanes * Ew)'(red_y32) : lane_y;
`ifdef PIM_FAULT_VU_COUNT
  assign out_count_d = is_red ? CntBits'(1) : in_count_i + CntBits'(1);  // injected: one too many
`else
  assign out_count_d = is_red ? CntBits'(1) : in_count_i;
`endif

  // Only the control state is reset (no result waiting); the result and the accumulator are
  // written before they are read (in_first_i restarts the sum).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
    end else begin
      out_valid_q <= out_valid_d;
    end
  end

`ifdef PIM_FAULT_VU_ACC_KEEP
  always_ff @(posedge clk_i or negedge rst_ni) begin  // injected: only a reset restarts the sum
    if (!rst_ni) acc_q <= '0;
    else if (acc_load) acc_q <= acc_d;
  end
`else
  always_ff @(posedge clk_i) begin
    if (acc_load) begin
      acc_q <= acc_d;
    end
  end
`endif

  always_ff @(posedge clk_i) begin
    if (out_load) begin
      out_y_q     <= out_y_d;
      out_count_q <= out_count_d;
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_y_o     = out_y_q;
  assign out_count_o = out_count_q;

  // Bits dropped on purpose: red_y is in 32-bit range (its upper half copies the sign).
  logic [31:0] unused_red_hi;
  assign unused_red_hi = red_y[63:32];

  // ---------------------------------------------------------------- wave views
  // One scope per lane for the waves, g_lane[l]: the lane's result as it stands on out_y_o,
  // a 32-bit signed value, so that a viewer can show the failing lane alone
  // (harness/tools/wave.c). Nothing reads it (view_* are sinks, like unused_*).
  for (genvar gl = 0; gl < Lanes; gl++) begin : g_lane
    logic signed [Ew-1:0] view_y;
    assign view_y = out_y_q[gl*Ew +: Ew];
  end

  // ---------------------------------------------------------------- assertions
  // The streams' hold rules (pim_assert.svh), then the ranges of the inputs.
`ifdef PIM_ASSERT_ON
  localparam int InBits = pim_pkg::OpBits + 2 * Bw + 32 + 1 + 1 + CntBits + 2 * Lanes * Ew + 5;
  logic [InBits-1:0]           in_data;
  logic [Lanes*Ew+CntBits-1:0] out_data;
  assign in_data  = {in_op_i, in_ibiw_i, in_obiw_i, in_scalar_i, in_first_i, in_last_i,
                     in_count_i, in_a_i, in_b_i, cfg_frac_i};
  assign out_data = {out_y_o, out_count_o};
`endif
  `PIM_ASSERT_HOLD(in, in_valid_i, in_ready_o, in_data,
                   "pim_vector_unit: in_valid_i dropped before in_ready_o",
                   "pim_vector_unit: input changed while stalled")
  `PIM_ASSERT_HOLD(out, out_valid_o, out_ready_i, out_data,
                   "pim_vector_unit: out_valid_o dropped before out_ready_i",
                   "pim_vector_unit: output changed while stalled")

`ifdef PIM_ASSERT_ON
  // Checks only (no state): immediate assertions sampled at the rising edge.
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (in_valid_i) begin
        assert (in_count_i != '0) else $error("pim_vector_unit: in_count_i is 0");
        assert (in_ibiw_i >= Bw'(1) && in_ibiw_i <= Bw'(32))
          else $error("pim_vector_unit: in_ibiw_i out of 1..32");
        assert (in_obiw_i >= Bw'(1) && in_obiw_i <= Bw'(32))
          else $error("pim_vector_unit: in_obiw_i out of 1..32");
        assert (!(in_op_i == pim_pkg::OpVavg && in_last_i) || in_scalar_i != 32'd0)
          else $error("pim_vector_unit: vavg with len 0");
        assert (in_op_i != pim_pkg::OpVvmul || in_scalar_i <= 32'd31)
          else $error("pim_vector_unit: vvmul with F out of 0..31");
        assert (cfg_frac_i <= 5'd30 && (!FixF || cfg_frac_i == frac))
          else $error("pim_vector_unit: cfg_frac_i out of 0..30 or not FracBits");
      end
    end
  end

  // in_count_i > Lanes is possible only when Lanes + 1 is not a power of 2 (else the
  // comparison is constant and Verilator reports CMPCONST).
  if ((1 << CntBits) - 1 != Lanes) begin : gen_count_check
    always_ff @(posedge clk_i) begin
      if (rst_ni && in_valid_i) begin
        assert (in_count_i <= CntBits'(Lanes)) else $error("pim_vector_unit: in_count_i > Lanes");
      end
    end
  end
`endif

endmodule
