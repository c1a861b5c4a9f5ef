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
// The weights are held as bit-planes (plane q of column j = bit q of w'_ij for every row), so a
// column sum is a few popcounts of (input digit plane & cell plane); a column's weight sum is
// computed when the column is programmed.
//
// Timing: one DAC step per cycle for all columns in parallel, most significant step first
// (P = P * 2^d + step sum, so every shift is by a constant). An input vector accepted in cycle
// 0 gives out_valid_o in cycle K + 1, K = ceil(ibiw / DacBits); throughput one vector per
// K + 2 cycles. Programming takes one cycle per column; a group's first column clears the tile.
// The weight store is written in always_ff with an enable, like a register-file macro (a
// 2^16-bit next-state copy every cycle would dominate simulation time).
//
// Streams (prog_*, in_*, out_*): a transfer happens in a cycle where valid and ready are both
// high. A sender keeps valid high and its data stable until the transfer. prog_ready_o and
// in_ready_o are high only while the tile is idle; out_valid_o stays high, with out_y_o
// stable, until out_ready_i.
//
// With PIM_ASSERT defined (and not under Icarus), immediate assertions check this contract
// and the ranges of the width, row and column inputs; the harness's models are built so.
//
// Parameters: Rows (inputs, xbar_size[0]), Cols (outputs computed in parallel), CellBits (p),
// DacBits (d), AdcBits (a), AdcClip (1: saturating ADC, 0: ideal), MaxIbiw / MaxMbiw /
// MaxObiw (widest element widths supported, <= 32).
//
// Fault injection (tests only): +define+PIM_FAULT_ADC_CLIP_HIGH clips one code too high.
`include "pim_assert.svh"

module pim_xbar_tile #(
  parameter int Rows     = 128,
  parameter int Cols     = 128,
  parameter int CellBits = 2,
  parameter int DacBits  = 1,
  parameter int AdcBits  = 8,
  parameter int AdcClip  = 1,
  parameter int MaxIbiw  = 32,
  parameter int MaxMbiw  = 32,
  parameter int MaxObiw  = 32
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // programming: one column of weights per transfer
  input  logic                    prog_valid_i,
  output logic                    prog_ready_o,
  input  logic                    prog_first_i,  // first column of a new group: clear the tile
  input  logic [pim_pkg::BwBits-1:0] prog_mbiw_i,   // 1..MaxMbiw, the same for every column
  input  logic [RowBits:0]        prog_rows_i,   // rows of the group, 1..Rows, the same for all
  input  logic [ColBits-1:0]      prog_col_i,    // column being written
  input  logic [Rows*MaxMbiw-1:0] prog_w_i,      // row i at [i*MaxMbiw +: MaxMbiw], signed
  // input vector
  input  logic                    in_valid_i,
  output logic                    in_ready_o,
  input  logic [Rows*MaxIbiw-1:0] in_x_i,        // row i at [i*MaxIbiw +: MaxIbiw], signed
  input  logic [pim_pkg::BwBits-1:0] in_ibiw_i,    // 1..MaxIbiw
  input  logic [pim_pkg::BwBits-1:0] in_obiw_i,    // 1..MaxObiw
  input  logic                    in_relu_i,
  // result vector
  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [Cols*MaxObiw-1:0] out_y_o,       // column j at [j*MaxObiw +: MaxObiw]
  output logic [31:0]             out_clips_o    // column sums the ADC clipped, this vector
);

  localparam int Bw       = pim_pkg::BwBits;  // a width field (pim_pkg, from pim_isa.h)
  localparam int RowBits  = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int ColBits  = (Cols > 1) ? $clog2(Cols) : 1;
  localparam int Slices   = (MaxMbiw + CellBits - 1) / CellBits;
  localparam int Planes   = Slices * CellBits;
  localparam int Steps    = (MaxIbiw + DacBits - 1) / DacBits;
  localparam int StepBits = (Steps > 1) ? $clog2(Steps) : 1;
  // a column sum: at most Rows * (2^d - 1) * (2^p - 1)
  localparam int SumW     = $clog2(Rows + 1) + DacBits + CellBits;
  // P < Rows * 2^(MaxIbiw + MaxMbiw); y and the correction terms need a sign bit more
  localparam int AccW     = MaxIbiw + MaxMbiw + RowBits + 3;
  localparam int WsumW    = MaxMbiw + RowBits + 2;
  localparam int ColW     = Planes * Rows;  // bits of one programmed column
`ifdef PIM_FAULT_ADC_CLIP_HIGH
  localparam logic [SumW:0] FullScale = (SumW + 1)'(1) << AdcBits;
`else
  localparam logic [SumW:0] FullScale = ((SumW + 1)'(1) << AdcBits) - (SumW + 1)'(1);
`endif

  typedef enum logic [1:0] {Idle, Run, Done} state_e;

  // ---------------------------------------------------------------- control
  state_e              state_q, state_d;
  logic [StepBits-1:0] step_q, step_d;   // current DAC step, counts down to 0
  logic [Bw-1:0]       ibiw_q, obiw_q, mbiw_q;
  logic                relu_q;
  logic [RowBits:0]    rows_q;           // rows of the programmed group
  logic [Rows*MaxIbiw-1:0] xu_q;         // x'_i, 0 for rows outside the group
  logic [AccW-1:0]     sumx_q;           // sum_i x'_i
  logic [31:0]         clips_q, clips_d;
  logic [31:0]         step_clips;

  logic prog_fire, in_fire, out_fire;
  assign prog_ready_o = (state_q == Idle);
  assign in_ready_o   = (state_q == Idle) & ~prog_valid_i;
  assign out_valid_o  = (state_q == Done);
  assign prog_fire    = prog_valid_i & prog_ready_o;
  assign in_fire      = in_valid_i & in_ready_o;
  assign out_fire     = out_valid_o & out_ready_i;
  assign out_clips_o  = clips_q;

  // steps of this vector: ceil(ibiw / DacBits)
  logic [6:0] nsteps;
  assign nsteps = (7'(in_ibiw_i) + 7'(DacBits - 1)) / 7'(DacBits);

  always_comb begin
    state_d = state_q;
    step_d  = step_q;
    clips_d = clips_q;
    case (state_q)
      Idle: begin
        if (in_fire) begin
          state_d = Run;
          step_d  = StepBits'(nsteps - 7'd1);
          clips_d = '0;
        end
      end
      Run: begin
        clips_d = clips_q + step_clips;
        if (step_q == '0) begin
          state_d = Done;
        end else begin
          step_d = step_q - StepBits'(1);
        end
      end
      Done: begin
        if (out_fire) begin
          state_d = Idle;
        end
      end
      default: state_d = Idle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= Idle;
      step_q  <= '0;
      clips_q <= '0;
    end else begin
      state_q <= state_d;
      step_q  <= step_d;
      clips_q <= clips_d;
    end
  end

  // ---------------------------------------------------------------- input stage
  // x'_i = x_i + 2^(ibiw-1) for the rows of the group, 0 elsewhere; and their sum.
  // (Temporaries are declared inside the blocks: a module-level variable that a block both
  // writes and reads makes Icarus re-trigger the block on its own writes.)
  logic [Rows*MaxIbiw-1:0] xu_d;
  logic [AccW-1:0]         sumx_d;
  logic [MaxIbiw-1:0]      xoff;
  assign xoff = MaxIbiw'(1) << (in_ibiw_i - Bw'(1));
  always_comb begin : p_input
    logic [MaxIbiw-1:0] xi;
    xu_d   = '0;
    sumx_d = '0;
    xi     = '0;
    if (in_fire) begin
      for (int i = 0; i < Rows; i++) begin
        if ((RowBits + 1)'(i) < rows_q) begin
          xi = in_x_i[i*MaxIbiw +: MaxIbiw] + xoff;
          xu_d[i*MaxIbiw +: MaxIbiw] = xi;
          sumx_d = sumx_d + AccW'(xi);
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ibiw_q <= Bw'(8);
      obiw_q <= Bw'(8);
      relu_q <= 1'b0;
      sumx_q <= '0;
      xu_q   <= '0;
    end else if (in_fire) begin
      ibiw_q <= in_ibiw_i;
      obiw_q <= in_obiw_i;
      relu_q <= in_relu_i;
      sumx_q <= sumx_d;
      xu_q   <= xu_d;
    end
  end

  // the input digit planes of the current step: bits step*d + e of every x'_i
  logic [DacBits*Rows-1:0] uplane;
  always_comb begin : p_digits
    uplane = '0;
    if (state_q == Run) begin
      for (int e = 0; e < DacBits; e++) begin
        for (int i = 0; i < Rows; i++) begin
          if (32'(step_q) * DacBits + e < MaxIbiw) begin
            uplane[e*Rows + i] = xu_q[i*MaxIbiw + (32'(step_q) * DacBits + e) % MaxIbiw];
          end
        end
      end
    end
  end

  // ---------------------------------------------------------------- programming
  // column prog_col_i: plane q = bit q of w'_ij for every row, and the column weight sum
  logic [ColW-1:0]          colbits;
  logic signed [WsumW-1:0]  colsum;
  logic [MaxMbiw-1:0]       woff;
  assign woff = MaxMbiw'(1) << (prog_mbiw_i - Bw'(1));
  always_comb begin : p_column
    logic [MaxMbiw-1:0]      wi, wu;
    logic signed [WsumW-1:0] wext;
    logic [WsumW-1:0]        wsh;
    colbits = '0;
    colsum  = '0;
    wi      = '0;
    wu      = '0;
    wext    = '0;
    wsh     = '0;
    if (prog_fire) begin
      for (int i = 0; i < Rows; i++) begin
        if ((RowBits + 1)'(i) < prog_rows_i) begin
          wi = prog_w_i[i*MaxMbiw +: MaxMbiw];
          wu = wi + woff;
          // sign-extend the mbiw-bit weight
          wsh  = WsumW'(wi) << (7'(WsumW) - 7'(prog_mbiw_i));
          wext = $signed(wsh) >>> (7'(WsumW) - 7'(prog_mbiw_i));
          colsum = colsum + wext;
          for (int q = 0; q < Planes; q++) begin
            if (q < 32'(prog_mbiw_i)) begin
              colbits[q*Rows + i] = wu[q % MaxMbiw];
            end
          end
        end
      end
    end
  end

  logic [Cols*ColW-1:0]  planes_q;  // column j's planes at [j*ColW +: ColW]
  logic [Cols*WsumW-1:0] wsum_q;    // column j's weight sum at [j*WsumW +: WsumW]
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      planes_q <= '0;
      wsum_q   <= '0;
      mbiw_q   <= Bw'(8);
      rows_q   <= (RowBits + 1)'(Rows);
    end else if (prog_fire) begin
      if (prog_first_i) begin
        planes_q <= '0;
        wsum_q   <= '0;
      end
      planes_q[32'(prog_col_i)*ColW +: ColW]   <= colbits;
      wsum_q[32'(prog_col_i)*WsumW +: WsumW]   <= colsum;
      mbiw_q <= prog_mbiw_i;
      rows_q <= prog_rows_i;
    end
  end

  // ---------------------------------------------------------------- one DAC step
  // For every column and slice: the column sum, the ADC, and P = P * 2^d + sum_t ADC * 2^(t*p).
  logic [Cols*AccW-1:0] acc_q, acc_d;
  always_comb begin : p_step
    logic [SumW:0]   s;
    logic [AccW-1:0] step_sum;
    logic [31:0]     nclips;
    // No input port feeds this block: Verilator then evaluates it only after a clock edge,
    // not on every input change. P starts at 0 because Idle keeps it cleared.
    acc_d    = acc_q;
    nclips   = '0;
    s        = '0;
    step_sum = '0;
    if (state_q == Idle) begin
      acc_d = '0;
    end else if (state_q == Run) begin
      for (int j = 0; j < Cols; j++) begin
        step_sum = '0;
        for (int t = 0; t < Slices; t++) begin
          if (t * CellBits < 32'(mbiw_q)) begin
            s = '0;
            for (int b = 0; b < CellBits; b++) begin
              for (int e = 0; e < DacBits; e++) begin
                s = s + ((SumW + 1)'($countones(uplane[e*Rows +: Rows] &
                                               planes_q[j*ColW + (t*CellBits + b)*Rows +: Rows]))
                         << (b + e));
              end
            end
            if (AdcClip != 0 && s > FullScale) begin
              s = FullScale;
              nclips = nclips + 32'd1;
            end
            step_sum = step_sum + (AccW'(s) << (t * CellBits));
          end
        end
        acc_d[j*AccW +: AccW] = (acc_q[j*AccW +: AccW] << DacBits) + step_sum;
      end
    end
    step_clips = nclips;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q <= '0;
    end else begin
      acc_q <= acc_d;
    end
  end

  // ---------------------------------------------------------------- correction and output
  // y_j = P_j - 2^(mbiw-1) sum x' - 2^(ibiw-1) sum_i w_ij, ReLU, saturation to obiw; from
  // registered values, so the output holds while Done waits for out_ready_i.
  always_comb begin : p_output
    logic signed [AccW-1:0] xcorr, wcorr, y, ymax, ymin;
    out_y_o = '0;
    xcorr   = $signed(sumx_q << (mbiw_q - Bw'(1)));
    ymax    = (AccW'(1) << (obiw_q - Bw'(1))) - AccW'(1);
    ymin    = -(AccW'(1) << (obiw_q - Bw'(1)));
    wcorr   = '0;
    y       = '0;
    if (state_q == Done) begin
      for (int j = 0; j < Cols; j++) begin
        wcorr = AccW'($signed(wsum_q[j*WsumW +: WsumW])) <<< (ibiw_q - Bw'(1));
        y     = $signed(acc_q[j*AccW +: AccW]) - xcorr - wcorr;
        if (relu_q && y < 0) begin
          y = '0;
        end
        if (y > ymax) begin
          y = ymax;
        end else if (y < ymin) begin
          y = ymin;
        end
        out_y_o[j*MaxObiw +: MaxObiw] = y[MaxObiw-1:0];
      end
    end
  end

  // ---------------------------------------------------------------- assertions
  // The streams' hold rules (pim_assert.svh), then the ranges of the inputs.
`ifdef PIM_ASSERT_ON
  logic [Rows*MaxIbiw+2*Bw:0]                        in_data;
  logic [Bw+RowBits+1+ColBits+Rows*MaxMbiw:0]        prog_data;
  logic [Cols*MaxObiw+31:0]                          out_data;
  assign in_data   = {in_x_i, in_ibiw_i, in_obiw_i, in_relu_i};
  assign prog_data = {prog_first_i, prog_mbiw_i, prog_rows_i, prog_col_i, prog_w_i};
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
      end
      if (prog_valid_i) begin
        assert (prog_mbiw_i >= Bw'(1) && 32'(prog_mbiw_i) <= MaxMbiw)
          else $error("pim_xbar_tile: prog_mbiw_i out of 1..MaxMbiw");
        assert (prog_rows_i >= (RowBits + 1)'(1) && 32'(prog_rows_i) <= Rows)
          else $error("pim_xbar_tile: prog_rows_i out of 1..Rows");
        assert (32'(prog_col_i) < Cols) else $error("pim_xbar_tile: prog_col_i out of range");
      end
    end
  end
`endif

endmodule
