// pim_pkg.sv - constants shared by the pimcosim RTL models.
//
// GENERATED from include/pim_isa.h (PIM_OP_TABLE, the one table of the ISA) by
// `pimcosim isa --sv` (`make pkg`); `make check-pkg`, part of `make test`, fails when
// this file differs from what the table gives. Do not edit by hand.
package pim_pkg;

  // Widest element any unit handles (PIM_MAX_WIDTH: the profile's widths are 1..32 bits).
  localparam int MaxWidth = 32;
  // Width of a width field (1..32 needs 6 bits).
  localparam int BwBits = 6;
  // Width of an opcode (PIM_SIZE_OP).
  localparam int OpBits = 6;

  // ISA opcodes (PIM_OP_TABLE)
  localparam logic [OpBits-1:0] OpNop     = 6'd0;  // do nothing
  localparam logic [OpBits-1:0] OpSldi    = 6'd1;  // $rd = imm
  localparam logic [OpBits-1:0] OpSld     = 6'd2;  // $rd = GMem[$rs1:$rs1+1 + offset, 4 bytes]
  localparam logic [OpBits-1:0] OpSadd    = 6'd3;  // $rd = $rs1 + $rs2
  localparam logic [OpBits-1:0] OpSsub    = 6'd4;  // $rd = $rs1 - $rs2
  localparam logic [OpBits-1:0] OpSmul    = 6'd5;  // $rd = $rs1 * $rs2
  localparam logic [OpBits-1:0] OpSaddi   = 6'd6;  // $rd = $rs1 + imm
  localparam logic [OpBits-1:0] OpSmuli   = 6'd7;  // $rd = $rs1 * imm
  localparam logic [OpBits-1:0] OpSetbw   = 6'd8;  // set ibiw, obiw
  localparam logic [OpBits-1:0] OpMvmul   = 6'd9;  // crossbar matrix x vector
  localparam logic [OpBits-1:0] OpVvadd   = 6'd10; // element-wise a + b
  localparam logic [OpBits-1:0] OpVvsub   = 6'd11; // element-wise a - b
  localparam logic [OpBits-1:0] OpVvmul   = 6'd12; // element-wise a * b
  localparam logic [OpBits-1:0] OpVvdmul  = 6'd13; // dot product, one element
  localparam logic [OpBits-1:0] OpVvmax   = 6'd14; // element-wise max(a, b)
  localparam logic [OpBits-1:0] OpVvsll   = 6'd15; // element-wise a << b
  localparam logic [OpBits-1:0] OpVvsra   = 6'd16; // element-wise a >> b, arithmetic
  localparam logic [OpBits-1:0] OpVavg    = 6'd17; // floor mean, stride $rs2
  localparam logic [OpBits-1:0] OpVrelu   = 6'd18; // element-wise max(a, 0)
  localparam logic [OpBits-1:0] OpVtanh   = 6'd19; // PLAN tanh, fixed point
  localparam logic [OpBits-1:0] OpVsigm   = 6'd20; // PLAN sigmoid, fixed point
  localparam logic [OpBits-1:0] OpVmv     = 6'd21; // gather with stride $rs2
  localparam logic [OpBits-1:0] OpVrsu    = 6'd22; // resize, min(a, $rs2)
  localparam logic [OpBits-1:0] OpVrsl    = 6'd23; // resize, max(a, $rs2)
  localparam logic [OpBits-1:0] OpLd      = 6'd24; // LMem[$rd] = GMem[$rs1:$rs1+1], size bytes
  localparam logic [OpBits-1:0] OpSt      = 6'd25; // GMem[$rd:$rd+1] = LMem[$rs1], size bytes
  localparam logic [OpBits-1:0] OpLldi    = 6'd26; // memset(LMem[$rd + offset], imm, size)
  localparam logic [OpBits-1:0] OpLmv     = 6'd27; // LMem[$rd] = LMem[$rs1], size bytes
  localparam logic [OpBits-1:0] OpSend    = 6'd28; // send LMem[$rs1 + offset] to core
  localparam logic [OpBits-1:0] OpRecv    = 6'd29; // receive into LMem[$rd + offset] from core
  localparam logic [OpBits-1:0] OpWait    = 6'd30; // block until ev == val, reset ev
  localparam logic [OpBits-1:0] OpSync    = 6'd31; // event ev of core += 1

endpackage
