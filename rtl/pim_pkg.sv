// pim_pkg.sv - constants shared by the pimcosim RTL models.
//
// The opcode numbers mirror include/pim_isa.h (PIM_OP_TABLE), the one ISA table of the
// project; tests/check_pkg.py checks that the two agree. Only the ops the RTL units execute
// are listed.
package pim_pkg;

  // Widest element any unit handles (the profile's widths are 1..32 bits).
  localparam int MaxWidth = 32;
  // Width of a width field (1..32 needs 6 bits).
  localparam int BwBits = 6;
  // Width of an opcode.
  localparam int OpBits = 6;

  // ISA opcodes (pim_isa.h)
  localparam logic [OpBits-1:0] OpMvmul = 6'd9;
  localparam logic [OpBits-1:0] OpVvadd = 6'd10;
  localparam logic [OpBits-1:0] OpVvsub = 6'd11;
  localparam logic [OpBits-1:0] OpVvmul = 6'd12;
  localparam logic [OpBits-1:0] OpVvdmul = 6'd13;
  localparam logic [OpBits-1:0] OpVvmax = 6'd14;
  localparam logic [OpBits-1:0] OpVvsll = 6'd15;
  localparam logic [OpBits-1:0] OpVvsra = 6'd16;
  localparam logic [OpBits-1:0] OpVavg = 6'd17;
  localparam logic [OpBits-1:0] OpVrelu = 6'd18;
  localparam logic [OpBits-1:0] OpVtanh = 6'd19;
  localparam logic [OpBits-1:0] OpVsigm = 6'd20;
  localparam logic [OpBits-1:0] OpVmv = 6'd21;
  localparam logic [OpBits-1:0] OpVrsu = 6'd22;
  localparam logic [OpBits-1:0] OpVrsl = 6'd23;

endpackage
