#!/usr/bin/env python3
"""Writes tests/data/mutate/pimcomp_fixed_vvmul.json (run from the repository root): a
pimcomp stream for `pimcosim mutate`'s suite whose vvmuls rescale by fixed-point constants
(docs/dialects.md rule 9) with F from 0 to 15, ties, both signs, saturation at obiw 8, 16
and 32, the constant as rs1 and as rs2, one and two beats. The conformance vectors are
strict and never give a vvmul an F; this stream lets mutants of the rescale be killed."""
import json
V=[2,-2,6,-6,1,-1,3,-3,127,-128,126,-126,10,-10,0,5,-5,7,-7,64,-64,100,-100,33,-33,17,-17,90,-90,45,-45,120,-120,11,-11,13,-13,50,-50,99]
ins=[]
A=256
for i,v in enumerate(V):
    ins += [{"op":"sldi","rd":3,"imm":A+i},{"op":"lldi","rd":3,"imm":v,"len":1}]
dst=512
# (fraction, obiw, len, constant as rs1 or rs2)
cases=[(0.25,8,40,"rs2"),(0.75,8,40,"rs1"),(1/9,8,33,"rs2"),(3.3,8,40,"rs2"),(3.3,16,40,"rs1"),
       (0.003,8,40,"rs2"),(-0.3,8,40,"rs2"),(-1.7,16,40,"rs1"),(40.5,16,40,"rs2"),(20.3,16,40,"rs1"),(1/49,8,1,"rs2"),(100.5,16,40,"rs2"),(0.5,32,40,"rs1")]
C=0
for f,ob,n,side in cases:
    ins.append({"op":"setbw","ibiw":8,"obiw":ob})
    ins.append({"op":"sldi","rd":0,"imm":C})
    ins.append({"op":"lldi","rd":0,"imm":f,"len":n})
    ins.append({"op":"sldi","rd":0,"imm":dst})
    r1,r2=(C,A) if side=="rs1" else (A,C)
    ins.append({"op":"sldi","rd":1,"imm":r1}); ins.append({"op":"sldi","rd":2,"imm":r2})
    ins.append({"op":"vvmul","rd":0,"rs1":1,"rs2":2,"len":n})
    dst += 40*4
# a plain vvmul last (F = 0)
ins += [{"op":"setbw","ibiw":8,"obiw":16},{"op":"sldi","rd":0,"imm":dst},{"op":"sldi","rd":1,"imm":A},{"op":"sldi","rd":2,"imm":A},{"op":"vvmul","rd":0,"rs1":1,"rs2":2,"len":40}]
d={"config":{"core_cnt":1},"core0":ins}
open("tests/data/mutate/pimcomp_fixed_vvmul.json","w").write(json.dumps(d)+"\n")
