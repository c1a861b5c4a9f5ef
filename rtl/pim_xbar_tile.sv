// pim_xbar_tile.sv - crossbar matrix-vector tile, bit-exact to the pimcosim profile's mvmul.
//
// What it computes (spec/profile.md, "Matrix instruction: mvmul"): for a programmed group of
// up to Rows x Cols signed mbiw-bit weights and an input vector x of ibiw-bit elements,
//   x'_i = x_i + 2^(ibiw-1), w'_ij = w_ij + 2^(mbiw-1)                (offset binary)
//   cells c_ijt = bits [t*p, t*p+p) of w'_ij, input digits u_ik = bits [k*d, k*d+d) of x'_i
//   s_jkt = sum_i u_ik * c_ijt, read by a saturating ADC: min(s_jkt, 2^a - 1)
//   P_j = sum_k sum_t ADC(s_jkt) * 2^(k*d + t*p)                       (shift and add)
//   y_j = P_j - 2^(mbiw-1) * sum_i x'_i - 2^(ibiw-1) * sum_i w_ij      (digital correction)
//   then ReLU if asked, and saturation to obiw bits.
// The top cell of a weight and the top digit of an input hold only the bits below mbiw and
// ibiw (the others are 0), whether or not p divides mbiw and d divides ibiw.
//
// Knobs. The cell width p, the DAC width d, the ADC width a and whether the ADC saturates are
// inputs (cfg_*_i), sampled with each input vector like in_ibiw_i, bounded by MaxCellBits and
// MaxDacBits (a is 1..32; an ADC at least as wide as a column sum never clips). A knob whose
// parameter (CellBits, DacBits, AdcBits, AdcClip) is set is fixed instead: its input is
// ignored, and with PIM_ASSERT checked to equal it. Silicon with fixed knobs builds those
// parameters and runs the same suite on its configuration.
//
// Datapath. The weights are held as bit-planes (plane q of column j = bit q of w'_ij for
// every row, q < mbiw), and each DAC step takes the digit planes of the input (plane e =
// bit k*d+e of x'_i for every row), so a column sum is
// sum_{b<p} sum_{e<d} popcount(digit plane e & weight plane t*p+b) * 2^(b+e); a column's
// weight sum is computed when the column is programmed.
//
// Resident weights. The tile holds every group it is given at once, as processing in memory
// does: a weight store of Columns columns (each with its weight sum) and Planes bit-planes
// (a column of mbiw-bit weights takes mbiw planes). A programming transfer writes one column,
// at column address prog_col_i with its planes at prog_plane_i .. prog_plane_i + mbiw - 1;
// the sender places the groups (harness/cosim/rtl.c allocates the addresses). An input
// vector names the pass it is computed on: in_cols_i columns of in_mbiw_i-bit weights and
// in_rows_i rows, column j at column address in_col_i + j with its planes at
// in_plane_i + j * in_mbiw_i + q; every one of them programmed with that mbiw and rows
// before. A group is programmed once and used by any number of inputs after.
//
// Timing: one DAC step per cycle for all columns in parallel, most significant step first
// (P = P * 2^d + step sum). An input vector accepted in cycle 0 gives out_valid_o in cycle
// K + 1, K = ceil(ibiw / d); throughput one vector per K + 2 cycles. Programming takes one
// cycle per column. The weight store is two memories written in always_ff with an enable,
// like register-file macros (one write port per plane of the column).
//
// Streams (prog_*, in_* with cfg_*, out_*): a transfer happens in a cycle where valid and
// ready are both high. A sender keeps valid high and its data stable until the transfer.
// prog_ready_o is high while the tile is idle; in_ready_o is high while the tile is idle and
// no programming is offered (programming offered together with an input goes first).
// out_valid_o stays high, with out_y_o and out_clips_o stable, until out_ready_i.
// Don't care: bits of x_i above ibiw, bits of w_ij above mbiw, rows at or beyond the group's
// rows (on both buses), and every data input of a stream while its valid is low.
//
// Outputs: out_y_o column j < in_cols_i, sign-extended from obiw to MaxObiw bits (the
// columns above mean nothing); out_clips_o the number of (step, slice, column) sums the ADC
// clipped for this vector (sums above 2^a - 1; 0 with an ideal ADC) over the pass's columns.
//
// Reset: rst_ni (asynchronous, active low) resets the control state only: the tile is idle,
// nothing in flight. The data registers (the weight store, the input, the accumulators, the
// knobs in flight) have no reset and are written before they are read; after a reset the
// tile holds no group: a group is programmed before an input names it.
//
// With PIM_ASSERT defined (and not under Icarus), immediate assertions check this contract
// and the ranges of the width, knob, row, column and address inputs; the harness's models
// are built so.
//
// Parameters: Rows (inputs, xbar_size[0]), Cols (outputs computed in parallel), Columns and
// Planes (the weight store, powers of two), MaxCellBits, MaxDacBits (1..16), CellBits,
// DacBits (0: from the input), AdcBits (0: from the input, else 1..32), AdcClip (-1: from the
// input, 0 ideal, 1 saturating), MaxIbiw / MaxMbiw / MaxObiw (widest element widths, <= 32).
//
// Fault injection (the harness's self-tests; each breaks one promise above):
//   PIM_FAULT_ADC_CLIP_HIGH       the ADC clips one code too high (at 2^a, not 2^a - 1)
//   PIM_FAULT_TILE_CLIPS_EQ       a sum of exactly 2^a - 1 is counted as clipped
//   PIM_FAULT_TILE_OUT_DROP       the output is not held until out_ready_i
//   PIM_FAULT_TILE_IN_DURING_PROG in_ready_o ignores a programming offered at the same time
//   PIM_FAULT_TILE_XMASK          the bits of x_i above ibiw are not ignored
//   PIM_FAULT_TILE_LIVE_IN        the correction reads in_ibiw_i after the transfer
//   PIM_FAULT_TILE_OUT_SEXT       out_y_o is not sign-extended above obiw (zeros there)
//   PIM_FAULT_TILE_ROW_MASK       a programmed column keeps the bus's rows beyond the group
`include "pim_assert.svh"

module pim_xbar_tile #(
  parameter int Rows        = 128,
  parameter int Cols        = 128,
  parameter int Columns     = 4096,
  parameter int Planes      = 32768,
  parameter int MaxCellBits = 8,
  parameter int MaxDacBits  = 8,
  parameter int CellBits    = 0,
  parameter int DacBits     = 0,
  parameter int AdcBits     = 0,
  parameter int AdcClip     = -1,
  parameter int MaxIbiw     = 32,
  parameter int MaxMbiw     = 32,
  parameter int MaxObiw     = 32
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // programming: one column of weights per transfer
  input  logic                    prog_valid_i,
  output logic                    prog_ready_o,
  input  logic [pim_pkg::BwBits-1:0] prog_mbiw_i,   // 1..MaxMbiw
  input  logic [RowBits:0]        prog_rows_i,   // rows of the group, 1..Rows
  input  logic [ColAW-1:0]        prog_col_i,    // column address
  input  logic [PlaneAW-1:0]      prog_plane_i,  // the column's first plane; + mbiw <= Planes
  input  logic [Rows*MaxMbiw-1:0] prog_w_i,      // row i at [i*MaxMbiw +: MaxMbiw], signed
  // input vector, with the pass it is computed on and the knobs it is computed with
  input  logic                    in_valid_i,
  output logic                    in_ready_o,
  input  logic [Rows*MaxIbiw-1:0] in_x_i,        // row i at [i*MaxIbiw +: MaxIbiw], signed
  input  logic [ColAW-1:0]        in_col_i,      // column address of the pass's column 0
  input  logic [PlaneAW-1:0]      in_plane_i,    // its first plane
  input  logic [ColBits:0]        in_cols_i,     // columns of the pass, 1..Cols
  input  logic [RowBits:0]        in_rows_i,     // rows of the group, 1..Rows
  input  logic [pim_pkg::BwBits-1:0] in_mbiw_i,    // the group's mbiw, 1..MaxMbiw
  input  logic [pim_pkg::BwBits-1:0] in_ibiw_i,    // 1..MaxIbiw
  input  logic [pim_pkg::BwBits-1:0] in_obiw_i,    // 1..MaxObiw
  input  logic                    in_relu_i,
  input  logic [pim_pkg::BwBits-1:0] cfg_cell_bits_i, // p, 1..MaxCellBits
  input  logic [pim_pkg::BwBits-1:0] cfg_dac_bits_i,  // d, 1..MaxDacBits
  input  logic [pim_pkg::BwBits-1:0] cfg_adc_bits_i,  // a, 1..32
  input  logic                    cfg_adc_clip_i,  // 1: saturating ADC, 0: ideal
  // result vector
  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [Cols*MaxObiw-1:0] out_y_o,       // column j at [j*MaxObiw +: MaxObiw]
  output logic [31:0]             out_clips_o    // column sums the ADC clipped, this vector
);

  localparam int Bw       = pim_pkg::BwBits;  // a width field (pim_pkg, from pim_isa.h)
  localparam int RowBits  = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int ColBits  = (Cols > 1) ? $clog2(Cols) : 1;
  localparam int ColAW    = (Columns > 1) ? $clog2(Columns) : 1;
  localparam int PlaneAW  = (Planes > 1) ? $clog2(Planes) : 1;
  localparam bit FixP     = CellBits > 0;     // knobs fixed by a parameter
  localparam bit FixD     = DacBits > 0;
  localparam bit FixA     = AdcBits > 0;
  localparam bit FixClip  = AdcClip >= 0;
  localparam bit FixClipV = AdcClip > 0;
  localparam int PMax     = FixP ? CellBits : MaxCellBits;
  localparam int DMax     = FixD ? DacBits : MaxDacBits;
  localparam int StepBits = (MaxIbiw > 1) ? $clog2(MaxIbiw) : 1;  // K - 1 < MaxIbiw
  // a column sum: at most Rows * (2^d - 1) * (2^p - 1)
  localparam int SumW     = $clog2(Rows + 1) + DMax + PMax;
  // P < Rows * 2^(MaxIbiw + MaxMbiw); y and the correction terms need a sign bit more
  localparam int AccW     = MaxIbiw + MaxMbiw + RowBits + 3;
  localparam int WsumW    = MaxMbiw + RowBits + 2;
  localparam int XW       = MaxIbiw * Rows;   // bits of one input vector

  typedef enum logic [1:0] {Idle, Run, Done} state_e;

  // ---------------------------------------------------------------- control
  state_e              state_q, state_d;
  logic [StepBits-1:0] step_q, step_d;   // current DAC step, counts down to 0
  logic [Bw-1:0]       ibiw_q, obiw_q, mbiw_q;
  logic                relu_q;
  logic [ColAW-1:0]    col_q;            // the pass in flight
  logic [PlaneAW-1:0]  plane_q;
  logic [ColBits:0]    cols_q;
  logic [XW-1:0]       xu_q;             // x'_i at [i*MaxIbiw +: MaxIbiw] (0 above ibiw)
  logic [AccW-1:0]     sumx_q;           // sum_i x'_i over the group's rows
  logic [31:0]         clips_q, clips_d;
  logic [31:0]         step_clips;
  logic [Bw-1:0]       p_q, d_q, a_q;    // the knobs of the vector in flight
  logic                clip_q;

  logic prog_fire, in_fire, out_fire;
  assign prog_ready_o = (state_q == Idle);
`ifdef PIM_FAULT_TILE_IN_DURING_PROG
  assign in_ready_o   = (state_q == Idle);
`else
  assign in_ready_o   = (state_q == Idle) & ~prog_valid_i;
`endif
  assign out_valid_o  = (state_q == Done);
  assign prog_fire    = prog_valid_i & prog_ready_o;
  assign in_fire      = in_valid_i & in_ready_o;
  assign out_fire     = out_valid_o & out_ready_i;
  assign out_clips_o  = clips_q;

  // the knobs at the input: a fixed one from its parameter
  logic [Bw-1:0] p_in, d_in, a_in;
  logic          clip_in;
  assign p_in    = FixP ? Bw'(CellBits) : cfg_cell_bits_i;
  assign d_in    = FixD ? Bw'(DacBits) : cfg_dac_bits_i;
  assign a_in    = FixA ? Bw'(AdcBits) : cfg_adc_bits_i;
  assign clip_in = FixClip ? FixClipV : cfg_adc_clip_i;
  // and in flight (constants when fixed)
  logic [Bw-1:0] p, d, a;
  logic          clip;
  assign p    = FixP ? Bw'(CellBits) : p_q;
  assign d    = FixD ? Bw'(DacBits) : d_q;
  assign a    = FixA ? Bw'(AdcBits) : a_q;
  assign clip = FixClip ? FixClipV : clip_q;

  // steps of this vector: ceil(ibiw / d) (d >= 1: the assertions refuse 0)
  logic [6:0] nsteps;
  assign nsteps = (7'(in_ibiw_i) + 7'(d_in) - 7'd1) / 7'(d_in);

  // The step counter and the clip count: loaded when a vector is accepted, counted in Run,
  // held in Done (step_clips is 0 outside Run); their values elsewhere mean nothing.
  assign step_d  = (state_q == Idle) ? StepBits'(nsteps - 7'd1) : step_q - StepBits'(1);
  assign clips_d = (state_q == Idle) ? '0 : clips_q + step_clips;

  always_comb begin
    state_d = state_q;
    case (state_q)
      Idle: begin
        if (in_fire) begin
          state_d = Run;
        end
      end
      Run: begin
        if (step_q == '0) begin
          state_d = Done;
        end
      end
      Done: begin
`ifdef PIM_FAULT_TILE_OUT_DROP
        state_d = Idle;
`else
        if (out_fire) begin
          state_d = Idle;
        end
`endif
      end
      default: state_d = Idle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= Idle;
    end else begin
      state_q <= state_d;
    end
  end

  always_ff @(posedge clk_i) begin
    step_q  <= step_d;
    clips_q <= clips_d;
  end

  // ---------------------------------------------------------------- weight store
  // planes_q: bit-plane q of a column (bit q of w'_ij for every row i, 0 beyond the group's
  // rows); colsum_q: a column's weight sum sum_i w_ij. Written by programming only.
  /*verilator coverage_off*/
  logic [Rows-1:0]  planes_q [Planes];
  logic [WsumW-1:0] colsum_q [Columns];
  /*verilator coverage_on*/

  // Programming column prog_col_i, in the clock edge that accepts it: w'_ij flips bit
  // mbiw-1 of w_ij; one write port per plane (planes at or above mbiw are not written).
  // Temporaries are declared inside the blocks (a module-level variable that a block both
  // writes and reads makes Icarus re-trigger the block on its own writes).
  for (genvar q = 0; q < MaxMbiw; q++) begin : g_plane
    always_ff @(posedge clk_i) begin : p_write
      logic [Rows-1:0] pl;
      pl = '0;
      if (prog_fire && 32'(q) < 32'(prog_mbiw_i)) begin
        for (int i = 0; i < Rows; i++) begin
`ifdef PIM_FAULT_TILE_ROW_MASK
          pl[i] = prog_w_i[i*MaxMbiw + q] ^ (32'(q) + 32'd1 == 32'(prog_mbiw_i));
`else
          pl[i] = ((RowBits + 1)'(i) < prog_rows_i) &
                  (prog_w_i[i*MaxMbiw + q] ^ (32'(q) + 32'd1 == 32'(prog_mbiw_i)));
`endif
        end
        planes_q[prog_plane_i + PlaneAW'(q)] <= pl;
      end
    end
  end

  always_ff @(posedge clk_i) begin : p_colsum
    logic [MaxMbiw-1:0]      wi;
    logic signed [WsumW-1:0] wext, sum;
    logic [WsumW-1:0]        wsh;
    sum  = '0;
    wi   = '0;
    wsh  = '0;
    wext = '0;
    if (prog_fire) begin
      for (int i = 0; i < Rows; i++) begin
        wi = prog_w_i[i*MaxMbiw +: MaxMbiw];
        // sign-extend the mbiw-bit weight
        wsh  = WsumW'(wi) << (7'(WsumW) - 7'(prog_mbiw_i));
        wext = $signed(wsh) >>> (7'(WsumW) - 7'(prog_mbiw_i));
        if ((RowBits + 1)'(i) < prog_rows_i) begin
          sum = sum + wext;
        end
      end
      colsum_q[prog_col_i] <= sum;
    end
  end

  // ---------------------------------------------------------------- input stage
  // x'_i = (x_i + 2^(ibiw-1)) mod 2^ibiw, which flips bit ibiw-1 of the low ibiw bits, and
  // sum_i x'_i over the rows of the group (a row beyond them meets only zero weight planes):
  // worked out in the clock edge that accepts the vector (so the simulator does not redo it
  // while the inputs wait).
  logic [MaxIbiw-1:0] xoff, xmask;
  assign xoff  = MaxIbiw'(1) << (in_ibiw_i - Bw'(1));
`ifdef PIM_FAULT_TILE_XMASK
  assign xmask = '1;
`else
  assign xmask = (MaxIbiw'(1) << in_ibiw_i) - MaxIbiw'(1);  // 1 << MaxIbiw is 0: all ones
`endif
  always_ff @(posedge clk_i) begin : p_input
    logic [MaxIbiw-1:0] xi;
    logic [AccW-1:0]    sum;
    xi  = '0;
    sum = '0;
    if (in_fire) begin
      for (int i = 0; i < Rows; i++) begin
        xi = (in_x_i[i*MaxIbiw +: MaxIbiw] ^ xoff) & xmask;
        if ((RowBits + 1)'(i) < in_rows_i) begin
          sum = sum + AccW'(xi);
        end
        xu_q[i*MaxIbiw +: MaxIbiw] <= xi;
      end
      sumx_q  <= sum;
      ibiw_q  <= in_ibiw_i;
      obiw_q  <= in_obiw_i;
      relu_q  <= in_relu_i;
      mbiw_q  <= in_mbiw_i;
      col_q   <= in_col_i;
      plane_q <= in_plane_i;
      cols_q  <= in_cols_i;
      p_q     <= p_in;
      d_q     <= d_in;
      a_q     <= a_in;
      clip_q  <= clip_in;
    end
  end

  // the input digit planes of the current step: plane e = bit step*d + e of x'_i for every
  // row (e < d; the planes for e >= d are not read)
  logic [DMax*Rows-1:0] uplane;
  always_comb begin : p_digits
    logic [31:0] pos;
    uplane = '0;
    pos    = '0;
    for (int e = 0; e < DMax; e++) begin
      pos = 32'(step_q) * 32'(d) + 32'(e);
      if (32'(e) < 32'(d) && pos < MaxIbiw) begin
        for (int i = 0; i < Rows; i++) begin
          uplane[e*Rows + i] = xu_q[32'(i*MaxIbiw) + pos];
        end
      end
    end
  end

  // ---------------------------------------------------------------- one DAC step
  // For every column of the pass: r_q = sum_{e<d} popcount(digit plane e & weight plane q)
  // * 2^e for each plane q < mbiw; slice t gathers planes t*p .. t*p+p-1. Its sum is kept
  // in place, S_t = sum_b r_(t*p+b) * 2^(t*p+b) = s_t * 2^(t*p), so every shift is by a
  // constant; the ADC's test s_t > 2^a - 1 is S_t > (2^a - 1) * 2^(t*p), against a table of
  // the full scale shifted to each plane. P = P * 2^d + sum_t ADC(s_t) * 2^(t*p).
  localparam int SliceW = SumW + 1 + MaxMbiw;  // S_t
  logic [AccW-1:0]                acc_q [Cols];  // P of each column
  logic [AccW-1:0]                acc_d [Cols];
  logic [SumW:0]                  full_scale;  // 2^a - 1, or all ones when no sum reaches 2^a
  logic [(MaxMbiw+1)*SliceW-1:0]  fs_at;       // full_scale * 2^q at [q*SliceW +: SliceW]
`ifdef PIM_FAULT_ADC_CLIP_HIGH
  assign full_scale = (32'(a) > SumW) ? '1 : ((SumW + 1)'(1) << a);
`else
  assign full_scale = ((SumW + 1)'(1) << a) - (SumW + 1)'(1);  // a > SumW: all ones
`endif
  for (genvar q = 0; q <= MaxMbiw; q++) begin : gen_fs
    assign fs_at[q*SliceW +: SliceW] = SliceW'(full_scale) << q;
  end
  always_comb begin : p_step
    logic [SliceW-1:0]  sl, fs_cur;
    logic [SumW:0]      r;
    logic [AccW-1:0]    step_sum;
    logic [31:0]        nclips;
    logic [Bw-1:0]      b;
    logic [PlaneAW-1:0] pa;
    logic [Rows-1:0]    wpl;
    // No input port feeds this block: Verilator then evaluates it only after a clock edge,
    // not on every input change. P starts at 0: outside Run acc_d is 0, which Idle loads
    // (Done holds the result: acc_q is not loaded there).
    nclips   = '0;
    sl       = '0;
    fs_cur   = '0;
    r        = '0;
    b        = '0;
    step_sum = '0;
    pa       = '0;
    wpl      = '0;
    pa = plane_q;
    for (int j = 0; j < Cols; j++) begin
      acc_d[j] = '0;
      if (state_q == Run && (ColBits + 1)'(j) < cols_q) begin
          step_sum = '0;
          sl       = '0;
          fs_cur   = fs_at[0 +: SliceW];
          b        = '0;
          for (int q = 0; q < MaxMbiw; q++) begin
            if (32'(q) < 32'(mbiw_q)) begin
              wpl = planes_q[pa];
              pa  = pa + PlaneAW'(1);
              r   = '0;
              for (int e = 0; e < DMax; e++) begin
                if (32'(e) < 32'(d)) begin
                  r = r + ((SumW + 1)'($countones(uplane[e*Rows +: Rows] & wpl)) << e);
                end
              end
              sl = sl + (SliceW'(r) << q);
              if (b + Bw'(1) >= p || 32'(q) + 32'd1 == 32'(mbiw_q)) begin
`ifdef PIM_FAULT_TILE_CLIPS_EQ
                if (clip && sl >= fs_cur) begin
`else
                if (clip && sl > fs_cur) begin
`endif
                  sl = fs_cur;
                  nclips = nclips + 32'd1;
                end
                step_sum = step_sum + AccW'(sl);
                sl     = '0;
                fs_cur = fs_at[(q+1)*SliceW +: SliceW];  // the next slice starts at plane q + 1
                b      = '0;
              end else begin
                b = b + Bw'(1);
              end
            end
          end
          acc_d[j] = (acc_q[j] << d) + step_sum;
      end
    end
    step_clips = nclips;
  end

  for (genvar j = 0; j < Cols; j++) begin : g_acc
    always_ff @(posedge clk_i) begin
      if (state_q != Done) begin
        acc_q[j] <= acc_d[j];
      end
    end
  end

  // ---------------------------------------------------------------- correction and output
  // y_j = P_j - 2^(mbiw-1) sum x' - 2^(ibiw-1) sum_i w_ij, ReLU, saturation to obiw, from
  // the last step's P in the edge that ends Run, into a register that holds while Done waits
  // for out_ready_i (the columns beyond the pass keep old values: they mean nothing).
  logic [Bw-1:0]          ibiw_corr;
  logic [Cols*MaxObiw-1:0] y_q;
`ifdef PIM_FAULT_TILE_LIVE_IN
  assign ibiw_corr = in_ibiw_i;
`else
  assign ibiw_corr = ibiw_q;
`endif
  always_ff @(posedge clk_i) begin : p_output
    logic signed [AccW-1:0] xcorr, wcorr, y, ymax, ymin;
    xcorr = $signed(sumx_q << (mbiw_q - Bw'(1)));
    ymax  = (AccW'(1) << (obiw_q - Bw'(1))) - AccW'(1);
    ymin  = -(AccW'(1) << (obiw_q - Bw'(1)));
    wcorr = '0;
    y     = '0;
    if (state_q == Run && step_q == '0) begin
      for (int j = 0; j < Cols; j++) begin
        if ((ColBits + 1)'(j) < cols_q) begin
          wcorr = AccW'($signed(colsum_q[col_q + ColAW'(j)])) <<< (ibiw_corr - Bw'(1));
          y     = $signed(acc_d[j]) - xcorr - wcorr;
          if (relu_q && y[AccW-1]) begin  // negative
            y = '0;
          end
          if (y > ymax) begin
            y = ymax;
          end else if (y < ymin) begin
            y = ymin;
          end
`ifdef PIM_FAULT_TILE_OUT_SEXT
          y_q[j*MaxObiw +: MaxObiw] <= MaxObiw'(y) & ~(MaxObiw'('1) << obiw_q);
`else
          y_q[j*MaxObiw +: MaxObiw] <= MaxObiw'(y);
`endif
        end
      end
    end
  end
  assign out_y_o = y_q;

  // ---------------------------------------------------------------- wave views
  // One scope per column for the waves, g_col[j]: column j's output as it stands on out_y_o,
  // a signed MaxObiw-bit value, so that a viewer can show the failing column alone
  // (harness/tools/wave.c). Nothing reads it (view_* are sinks, like unused_*).
  for (genvar gc = 0; gc < Cols; gc++) begin : g_col
    logic signed [MaxObiw-1:0] view_y;
    assign view_y = out_y_o[gc*MaxObiw +: MaxObiw];
  end

  // ---------------------------------------------------------------- assertions
  // The streams' hold rules (pim_assert.svh), then the ranges of the inputs.
`ifdef PIM_ASSERT_ON
  logic [Rows*MaxIbiw+ColAW+PlaneAW+ColBits+RowBits+6*Bw+3:0] in_data;
  logic [Bw+RowBits+ColAW+PlaneAW+Rows*MaxMbiw:0]             prog_data;
  logic [Cols*MaxObiw+31:0]                                   out_data;
  assign in_data   = {in_x_i, in_col_i, in_plane_i, in_cols_i, in_rows_i, in_mbiw_i, in_ibiw_i,
                      in_obiw_i, in_relu_i, cfg_cell_bits_i, cfg_dac_bits_i, cfg_adc_bits_i,
                      cfg_adc_clip_i};
  assign prog_data = {prog_mbiw_i, prog_rows_i, prog_col_i, prog_plane_i, prog_w_i};
  assign out_data  = {out_y_o, out_clips_o};
`endif
  `PIM_ASSERT_HOLD(in, in_valid_i, in_ready_o, in_data,
                   "pim_xbar_tile: in_valid_i dropped before in_ready_o",
                   "pim_xbar_tile: input changed while stalled")
  `PIM_ASSERT_HOLD(prog, prog_valid_i, prog_ready_o, prog_data,
                   "pim_xbar_tile: prog_valid_i dropped before prog_ready_o",
                   "pim_xbar_tile: programming data changed while stalled")
  `PIM_ASSERT_HOLD(out, out_valid_o, out_ready_i, out_data,
                   "pim_xbar_tile: out_valid_o dropped before out_ready_i",
                   "pim_xbar_tile: output changed while stalled")

`ifdef PIM_ASSERT_ON
  // Checks only (no state): immediate assertions sampled at the rising edge.
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (in_valid_i) begin
        assert (in_ibiw_i >= Bw'(1) && 32'(in_ibiw_i) <= MaxIbiw)
          else $error("pim_xbar_tile: in_ibiw_i out of 1..MaxIbiw");
        assert (in_obiw_i >= Bw'(1) && 32'(in_obiw_i) <= MaxObiw)
          else $error("pim_xbar_tile: in_obiw_i out of 1..MaxObiw");
        assert (in_mbiw_i >= Bw'(1) && 32'(in_mbiw_i) <= MaxMbiw)
          else $error("pim_xbar_tile: in_mbiw_i out of 1..MaxMbiw");
        assert (in_rows_i >= (RowBits + 1)'(1) && 32'(in_rows_i) <= Rows)
          else $error("pim_xbar_tile: in_rows_i out of 1..Rows");
        assert (in_cols_i >= (ColBits + 1)'(1) && 32'(in_cols_i) <= Cols)
          else $error("pim_xbar_tile: in_cols_i out of 1..Cols");
        assert (32'(in_col_i) + 32'(in_cols_i) <= Columns)
          else $error("pim_xbar_tile: in_col_i + in_cols_i beyond the column store");
        assert (64'(in_plane_i) + 64'(in_cols_i) * 64'(in_mbiw_i) <= 64'(Planes))
          else $error("pim_xbar_tile: the pass's planes beyond the plane store");
        assert (p_in >= Bw'(1) && 32'(p_in) <= PMax && (!FixP || cfg_cell_bits_i == p_in))
          else $error("pim_xbar_tile: cfg_cell_bits_i out of 1..MaxCellBits or not CellBits");
        assert (d_in >= Bw'(1) && 32'(d_in) <= DMax && (!FixD || cfg_dac_bits_i == d_in))
          else $error("pim_xbar_tile: cfg_dac_bits_i out of 1..MaxDacBits or not DacBits");
        assert (a_in >= Bw'(1) && a_in <= Bw'(32) && (!FixA || cfg_adc_bits_i == a_in))
          else $error("pim_xbar_tile: cfg_adc_bits_i out of 1..32 or not AdcBits");
        assert (!FixClip || cfg_adc_clip_i == clip_in)
          else $error("pim_xbar_tile: cfg_adc_clip_i is not AdcClip");
      end
      if (prog_valid_i) begin
        assert (prog_mbiw_i >= Bw'(1) && 32'(prog_mbiw_i) <= MaxMbiw)
          else $error("pim_xbar_tile: prog_mbiw_i out of 1..MaxMbiw");
        assert (prog_rows_i >= (RowBits + 1)'(1) && 32'(prog_rows_i) <= Rows)
          else $error("pim_xbar_tile: prog_rows_i out of 1..Rows");
        assert (32'(prog_plane_i) + 32'(prog_mbiw_i) <= Planes)
          else $error("pim_xbar_tile: prog_plane_i + mbiw beyond the plane store");
      end
    end
  end
`endif

endmodule
