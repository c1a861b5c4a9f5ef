// pim_vector_unit_tb.sv - Icarus self-check of pim_vector_unit (Lanes = 4, FracBits = 4).
//
//   iverilog -g2012 -o /tmp/vu rtl/pim_pkg.sv rtl/pim_vector_unit.sv \
//     rtl/tb/pim_vector_unit_tb.sv && vvp /tmp/vu
//
// Hand-worked values per op (saturation edges at ibiw/obiw 8, floor shifts and division, PLAN
// breakpoints and ties, the 96-bit dot product, multi-beat reductions), sent back to back
// while out_ready_i toggles pseudo-randomly. A monitor records every output transfer and
// checks the valid/ready contract (valid and data hold while stalled); the expected beats are
// compared in order at the end. Prints "vu_tb: N passed, M failed".
// Built with -DPIM_FAULT_VVSRA_ROUND (the injected vvsra fault) it must report 2 failures:
// that shows the bench catches the fault.
module pim_vector_unit_tb;

  localparam int Lanes = 4;
  localparam int FracBits = 4;
  localparam int CntBits = $clog2(Lanes + 1);
  localparam int MaxBeats = 256;

  logic                 clk = 1'b0;
  logic                 rst_n = 1'b0;
  logic                 in_valid = 1'b0;
  logic                 in_ready;
  logic [pim_pkg::OpBits-1:0] in_op = '0;
  logic [pim_pkg::BwBits-1:0] in_ibiw = 6'd8;
  logic [pim_pkg::BwBits-1:0] in_obiw = 6'd8;
  logic [31:0]          in_scalar = '0;
  logic                 in_first = 1'b0;
  logic                 in_last = 1'b0;
  logic [CntBits-1:0]   in_count = '0;
  logic [Lanes*32-1:0]  in_a = '0;
  logic [Lanes*32-1:0]  in_b = '0;
  logic                 out_valid;
  logic                 out_ready = 1'b1;
  logic [Lanes*32-1:0]  out_y;
  logic [CntBits-1:0]   out_count;

  pim_vector_unit #(
    .Lanes    (Lanes),
    .FracBits (FracBits)
  ) u_dut (
    .clk_i       (clk),
    .rst_ni      (rst_n),
    .in_valid_i  (in_valid),
    .in_ready_o  (in_ready),
    .in_op_i     (in_op),
    .in_ibiw_i   (in_ibiw),
    .in_obiw_i   (in_obiw),
    .in_scalar_i (in_scalar),
    .in_first_i  (in_first),
    .in_last_i   (in_last),
    .in_count_i  (in_count),
    .in_a_i      (in_a),
    .in_b_i      (in_b),
    .cfg_frac_i  (5'(FracBits)),
    .out_valid_o (out_valid),
    .out_ready_i (out_ready),
    .out_y_o     (out_y),
    .out_count_o (out_count)
  );

  always #5 clk = ~clk;

  // ---------------------------------------------------------------- expectations
  logic [Lanes*32-1:0] exp_y [MaxBeats];
  logic [CntBits-1:0]  exp_cnt [MaxBeats];
  integer              exp_line [MaxBeats];
  logic [Lanes*32-1:0] got_y [MaxBeats];
  logic [CntBits-1:0]  got_cnt [MaxBeats];
  integer n_exp = 0, n_got = 0, passed = 0, failed = 0;

  function automatic logic [Lanes*32-1:0] v4(input logic [31:0] l0, input logic [31:0] l1,
                                              input logic [31:0] l2, input logic [31:0] l3);
    v4 = {l3, l2, l1, l0};
  endfunction

  task automatic expect_beat(input logic [Lanes*32-1:0] y, input integer cnt, input integer line);
    exp_y[n_exp] = y;
    exp_cnt[n_exp] = CntBits'(cnt);
    exp_line[n_exp] = line;
    n_exp = n_exp + 1;
  endtask

  // One beat on the input stream: driven at a falling edge, held until a rising edge sees
  // in_ready_o high (the transfer). in_valid stays high afterwards: the next send (or idle)
  // must follow at the next falling edge, before another rising edge.
  task automatic send(input logic [pim_pkg::OpBits-1:0] op, input logic [pim_pkg::BwBits-1:0] ibiw,
                     input logic [pim_pkg::BwBits-1:0] obiw,
                      input logic [31:0] scalar, input logic first, input logic last,
                      input integer count, input logic [Lanes*32-1:0] a,
                      input logic [Lanes*32-1:0] b);
    @(negedge clk);
    in_valid = 1'b1;
    in_op = op;
    in_ibiw = ibiw;
    in_obiw = obiw;
    in_scalar = scalar;
    in_first = first;
    in_last = last;
    in_count = CntBits'(count);
    in_a = a;
    in_b = b;
    @(posedge clk);
    while (!in_ready) @(posedge clk);
  endtask

  task automatic idle;
    @(negedge clk);
    in_valid = 1'b0;
    in_a = {Lanes{32'hdeadbeef}};
  endtask

  // A one-lane element-wise instruction: lane 0 = a, b; the other lanes carry junk that must
  // come out as 0 (count 1).
  task automatic op1(input logic [pim_pkg::OpBits-1:0] op, input logic [pim_pkg::BwBits-1:0] ibiw,
                     input logic [pim_pkg::BwBits-1:0] obiw,
                     input logic [31:0] scalar, input logic [31:0] a, input logic [31:0] b,
                     input logic [31:0] y, input integer line);
    send(op, ibiw, obiw, scalar, 1'b1, 1'b1, 1, v4(a, 32'h7fffffff, 32'h80000000, 32'd5),
         v4(b, 32'd3, 32'h80000000, 32'hffffffff));
    expect_beat(v4(y, 0, 0, 0), 1, line);
  endtask

  // ---------------------------------------------------------------- monitor
  logic                prev_stall = 1'b0;
  logic [Lanes*32-1:0] prev_y;
  logic [CntBits-1:0]  prev_cnt;

  always @(posedge clk) begin
    if (rst_n) begin
      if (prev_stall && (!out_valid || out_y !== prev_y || out_count !== prev_cnt)) begin
        $display("FAIL contract: output changed or dropped while stalled");
        failed = failed + 1;
      end
      if (out_valid && out_ready) begin
        got_y[n_got] = out_y;
        got_cnt[n_got] = out_count;
        n_got = n_got + 1;
      end
      prev_stall = out_valid && !out_ready;
      prev_y = out_y;
      prev_cnt = out_count;
    end
  end

  // Pseudo-random backpressure, changed at falling edges; mostly ready.
  integer seed = 7;
  logic   random_ready = 1'b0;
  always @(negedge clk) begin
    if (random_ready) out_ready = ($random(seed) % 4) != 0;
  end

  localparam logic [pim_pkg::OpBits-1:0] VVADD = pim_pkg::OpVvadd, VVSUB = pim_pkg::OpVvsub,
      VVMUL = pim_pkg::OpVvmul, VVDMUL = pim_pkg::OpVvdmul, VVMAX = pim_pkg::OpVvmax,
      VVSLL = pim_pkg::OpVvsll, VVSRA = pim_pkg::OpVvsra, VAVG = pim_pkg::OpVavg,
      VRELU = pim_pkg::OpVrelu, VTANH = pim_pkg::OpVtanh, VSIGM = pim_pkg::OpVsigm,
      VMV = pim_pkg::OpVmv, VRSU = pim_pkg::OpVrsu, VRSL = pim_pkg::OpVrsl;
  localparam logic [31:0] MIN32 = 32'h80000000, MAX32 = 32'h7fffffff;

  integer i;

  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1'b1;

    // Stall: with out_ready low, one beat fills the result register, in_ready drops, and the
    // output holds (checked by the monitor) until out_ready rises.
    out_ready = 1'b0;
    op1(VVADD, 8, 8, 0, 32'd1, 32'd2, 32'd3, `__LINE__);
    idle();  // drops in_valid at the falling edge after the transfer
    if (!out_valid || in_ready) begin
      $display("FAIL stall: out_valid %0d in_ready %0d", out_valid, in_ready);
      failed = failed + 1;
    end else passed = passed + 1;
    repeat (3) @(negedge clk);
    out_ready = 1'b1;
    random_ready = 1'b1;

    // vvadd / vvsub: sat to ibiw
    op1(VVADD, 8, 8, 0, 100, 27, 127, `__LINE__);
    op1(VVADD, 8, 8, 0, 100, 28, 127, `__LINE__);
    op1(VVADD, 8, 8, 0, -100, -29, -128, `__LINE__);
    op1(VVADD, 8, 8, 0, -128, -128, -128, `__LINE__);
    op1(VVADD, 8, 2, 0, 5, -3, 2, `__LINE__);          // obiw does not matter
    op1(VVADD, 1, 8, 0, -1, -1, -1, `__LINE__);
    op1(VVADD, 32, 8, 0, MAX32, MAX32, MAX32, `__LINE__);
    op1(VVSUB, 8, 8, 0, -100, 100, -128, `__LINE__);
    op1(VVSUB, 8, 8, 0, 127, -1, 127, `__LINE__);
    op1(VVSUB, 8, 8, 0, 3, 5, -2, `__LINE__);
    op1(VVSUB, 32, 8, 0, MIN32, 1, MIN32, `__LINE__);
    // vvmax, vrelu, vmv: no saturation
    op1(VVMAX, 8, 4, 0, -5, 3, 3, `__LINE__);
    op1(VVMAX, 8, 4, 0, -128, -127, -127, `__LINE__);
    op1(VRELU, 8, 4, 0, -7, 0, 0, `__LINE__);
    op1(VRELU, 8, 4, 0, 100, 0, 100, `__LINE__);
    op1(VMV, 8, 4, 0, -77, 0, -77, `__LINE__);
    // vvmul: sat to obiw, 64-bit product
    op1(VVMUL, 8, 8, 0, 12, 11, 127, `__LINE__);
    op1(VVMUL, 8, 8, 0, -12, 11, -128, `__LINE__);
    op1(VVMUL, 8, 8, 0, 7, -3, -21, `__LINE__);
    op1(VVMUL, 8, 16, 0, 100, 100, 10000, `__LINE__);
    op1(VVMUL, 32, 32, 0, MIN32, MIN32, MAX32, `__LINE__);
    op1(VVMUL, 32, 32, 0, MIN32, 1, MIN32, `__LINE__);
    // vvsll: s = clamp(b, 0, 31), sat to obiw
    op1(VVSLL, 8, 8, 0, 3, 5, 96, `__LINE__);
    op1(VVSLL, 8, 8, 0, 3, 6, 127, `__LINE__);
    op1(VVSLL, 8, 8, 0, 3, -4, 3, `__LINE__);
    op1(VVSLL, 8, 8, 0, 3, 100, 127, `__LINE__);
    op1(VVSLL, 8, 8, 0, -1, 7, -128, `__LINE__);
    op1(VVSLL, 8, 8, 0, -1, 8, -128, `__LINE__);
    op1(VVSLL, 32, 32, 0, MIN32, 31, MIN32, `__LINE__);
    // vvsra: floor, sat to obiw
    op1(VVSRA, 8, 8, 0, -5, 1, -3, `__LINE__);        // -2 under PIM_FAULT_VVSRA_ROUND
    op1(VVSRA, 8, 8, 0, 5, 1, 2, `__LINE__);
    op1(VVSRA, 8, 8, 0, -1, 31, -1, `__LINE__);       // 0 under PIM_FAULT_VVSRA_ROUND
    op1(VVSRA, 8, 8, 0, -5, -3, -5, `__LINE__);
    op1(VVSRA, 8, 4, 0, 100, 1, 7, `__LINE__);
    op1(VVSRA, 8, 4, 0, -128, 2, -8, `__LINE__);
    op1(VVSRA, 32, 32, 0, MIN32, 1000, -1, `__LINE__);
    // vrsu / vrsl: bound = signed scalar, sat to obiw
    op1(VRSU, 8, 8, 10, 20, 0, 10, `__LINE__);
    op1(VRSU, 16, 8, 10, -300, 0, -128, `__LINE__);
    op1(VRSU, 8, 8, -5, 3, 0, -5, `__LINE__);
    op1(VRSL, 8, 8, 10, 3, 0, 10, `__LINE__);
    op1(VRSL, 16, 8, 10, 200, 0, 127, `__LINE__);
    op1(VRSL, 8, 8, MIN32, -3, 0, -3, `__LINE__);
    // vsigm, F = 4: S = sigm(|x|) * 512, result round(S / 32)
    op1(VSIGM, 8, 8, 0, 0, 0, 8, `__LINE__);
    op1(VSIGM, 8, 8, 0, 16, 0, 12, `__LINE__);
    op1(VSIGM, 8, 8, 0, 38, 0, 15, `__LINE__);
    op1(VSIGM, 8, 8, 0, 37, 0, 15, `__LINE__);        // S = 4*37 + 320 = 468: 14.6
    op1(VSIGM, 8, 8, 0, 80, 0, 16, `__LINE__);
    op1(VSIGM, 8, 8, 0, -16, 0, 4, `__LINE__);
    op1(VSIGM, 8, 8, 0, 2, 0, 9, `__LINE__);          // S = 272: 8.5 rounds up
    op1(VSIGM, 8, 8, 0, -2, 0, 8, `__LINE__);         // S = 240: 7.5 rounds up
    op1(VSIGM, 8, 4, 0, 80, 0, 7, `__LINE__);         // sat to obiw 4
    op1(VSIGM, 32, 8, 0, MIN32, 0, 0, `__LINE__);
    op1(VSIGM, 32, 8, 0, MAX32, 0, 16, `__LINE__);
    // vtanh, F = 4: T = 2 S(2|x|) - 512, result round(T / 32)
    op1(VTANH, 8, 8, 0, 12, 0, 10, `__LINE__);
    op1(VTANH, 8, 8, 0, -12, 0, -10, `__LINE__);
    op1(VTANH, 8, 8, 0, 0, 0, 0, `__LINE__);
    op1(VTANH, 8, 8, 0, 9, 0, 9, `__LINE__);          // T = 272: 8.5 -> 9
    op1(VTANH, 8, 8, 0, -9, 0, -9, `__LINE__);        // T = -272: -8.5 -> -9
    op1(VTANH, 8, 8, 0, 100, 0, 16, `__LINE__);
    op1(VTANH, 32, 8, 0, MIN32, 0, -16, `__LINE__);
    op1(VTANH, 8, 4, 0, -100, 0, -8, `__LINE__);      // sat to obiw 4

    // A full beat and a partial one (lanes >= count give 0).
    send(VVADD, 8, 8, 0, 1'b1, 1'b0, 4, v4(1, -2, 120, -120), v4(10, -20, 30, -30));
    expect_beat(v4(11, -22, 127, -128), 4, `__LINE__);
    send(VVADD, 8, 8, 0, 1'b0, 1'b1, 3, v4(1, 2, 3, 4), v4(1, 2, 3, 4));
    expect_beat(v4(2, 4, 6, 0), 3, `__LINE__);

    // vvdmul over two beats: 1*5+2*6+3*7+4*8 = 70, then -30 - 200 (junk lanes 2, 3 ignored)
    send(VVDMUL, 8, 32, 0, 1'b1, 1'b0, 4, v4(1, 2, 3, 4), v4(5, 6, 7, 8));
    send(VVDMUL, 8, 32, 0, 1'b0, 1'b1, 2, v4(-10, 100, 99, 99), v4(3, -2, 99, 99));
    expect_beat(v4(-160, 0, 0, 0), 1, `__LINE__);
    // three beats, saturating at obiw 8; in_first restarts the sum
    send(VVDMUL, 8, 8, 0, 1'b1, 1'b0, 1, v4(100, 0, 0, 0), v4(100, 0, 0, 0));
    send(VVDMUL, 8, 8, 0, 1'b0, 1'b0, 1, v4(-100, 0, 0, 0), v4(100, 0, 0, 0));
    send(VVDMUL, 8, 8, 0, 1'b0, 1'b1, 2, v4(10, 20, 0, 0), v4(10, 1, 0, 0));
    expect_beat(v4(120, 0, 0, 0), 1, `__LINE__);
    send(VVDMUL, 8, 8, 0, 1'b1, 1'b1, 2, v4(100, 100, 0, 0), v4(100, 100, 0, 0));
    expect_beat(v4(127, 0, 0, 0), 1, `__LINE__);
    // beyond 64 bits: 4 * 2^62 = 2^64 (a 64-bit sum would wrap to 0)
    send(VVDMUL, 32, 32, 0, 1'b1, 1'b1, 4, {4{MIN32}}, {4{MIN32}});
    expect_beat(v4(MAX32, 0, 0, 0), 1, `__LINE__);
    // 4 * (-2^62 + 2^31) = -2^64 + 2^33 (a 64-bit sum would read +2^33)
    send(VVDMUL, 32, 32, 0, 1'b1, 1'b1, 4, {4{MIN32}}, {4{MAX32}});
    expect_beat(v4(MIN32, 0, 0, 0), 1, `__LINE__);
    // 2^64 then -2^64 + 2^33, then -2^33 + 35: the exact sum 35
    send(VVDMUL, 32, 32, 0, 1'b1, 1'b0, 4, {4{MIN32}}, {4{MIN32}});
    send(VVDMUL, 32, 32, 0, 1'b0, 1'b0, 4, {4{MIN32}}, {4{MAX32}});
    send(VVDMUL, 32, 32, 0, 1'b0, 1'b1, 2, v4(4, 5, 0, 0), v4(MIN32, 7, 0, 0));
    expect_beat(v4(35, 0, 0, 0), 1, `__LINE__);

    // vavg: floor(sum / len)
    send(VAVG, 8, 8, 2, 1'b1, 1'b1, 2, v4(-3, -4, 77, 77), 0);
    expect_beat(v4(-4, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 8, 8, 5, 1'b1, 1'b0, 4, v4(1, 2, 3, 4), 0);
    send(VAVG, 8, 8, 5, 1'b0, 1'b1, 1, v4(5, 77, 77, 77), 0);
    expect_beat(v4(3, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 8, 8, 4, 1'b1, 1'b1, 4, v4(-1, -2, -3, 0), 0);   // -6/4 = -1.5
    expect_beat(v4(-2, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 8, 8, 4, 1'b1, 1'b1, 4, v4(-2, -2, -2, -2), 0);  // exact -2
    expect_beat(v4(-2, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 8, 8, 2, 1'b1, 1'b1, 2, v4(3, 4, 0, 0), 0);      // 3.5
    expect_beat(v4(3, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 8, 4, 2, 1'b1, 1'b1, 2, v4(100, 100, 0, 0), 0);  // sat to obiw 4
    expect_beat(v4(7, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 8, 8, MIN32, 1'b1, 1'b1, 1, v4(-1, 0, 0, 0), 0); // len 2^31 (unsigned)
    expect_beat(v4(-1, 0, 0, 0), 1, `__LINE__);
    send(VAVG, 32, 32, 3, 1'b1, 1'b1, 3, {4{MIN32}}, 0);
    expect_beat(v4(MIN32, 0, 0, 0), 1, `__LINE__);

    idle();
    random_ready = 1'b0;
    out_ready = 1'b1;
    repeat (5) @(negedge clk);

    // ---------------------------------------------------------------- compare
    if (n_got != n_exp) begin
      $display("FAIL: %0d output beats, expected %0d", n_got, n_exp);
      failed = failed + 1;
    end
    for (i = 0; i < n_exp && i < n_got; i = i + 1) begin
      if (got_y[i] !== exp_y[i] || got_cnt[i] !== exp_cnt[i]) begin
        $display("FAIL beat %0d (tb line %0d): got count %0d y %h, expected count %0d y %h",
                 i, exp_line[i], got_cnt[i], got_y[i], exp_cnt[i], exp_y[i]);
        failed = failed + 1;
      end else begin
        passed = passed + 1;
      end
    end
    $display("vu_tb: %0d passed, %0d failed", passed, failed);
    $finish;
  end

  initial begin
    #200000;
    $display("FAIL: timeout");
    $display("vu_tb: %0d passed, %0d failed", passed, failed + 1);
    $finish;
  end

endmodule
