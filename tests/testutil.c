/* testutil.c - see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pim_config tu_config(uint32_t cores)
{
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.core_cnt = cores;
    cfg.local_mem_size = TU_LMEM;
    cfg.global_mem_size = TU_GMEM;
    return cfg;
}

void tu_begin(tu_machine *m, const pim_config *cfg)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    pim_error_clear(&m->err);
    m->prog = pim_program_new(&m->cfg);
    ck_assert_ptr_nonnull(m->prog);
}

void tu_emit(tu_machine *m, uint32_t c, pim_insn in)
{
    ck_assert_int_eq(pim_program_append(m->prog, c, &in), PIM_OK);
}

void tu_group(tu_machine *m, uint32_t c, uint32_t index, uint32_t mbiw, uint32_t rows,
              uint32_t cols, const int32_t *w)
{
    pim_group grp;
    memset(&grp, 0, sizeof grp);
    grp.core = c;
    grp.index = index;
    grp.mbiw = mbiw;
    grp.rows = rows;
    grp.cols = cols;
    grp.weights = (int32_t *)w; /* copied by pim_program_add_group */
    ck_assert_int_eq(pim_program_add_group(m->prog, &grp, &m->err), PIM_OK);
}

void tu_load(tu_machine *m)
{
    pim_status st = pim_golden_new(&m->cfg, &m->g, &m->err);
    ck_assert_msg(st == PIM_OK, "pim_golden_new: %s", m->err.msg);
    st = pim_golden_load(m->g, m->prog, 1, 0, &m->err);
    ck_assert_msg(st == PIM_OK, "pim_golden_load: %s", m->err.msg);
}

pim_status tu_run(tu_machine *m)
{
    pim_error_clear(&m->err);
    return pim_golden_run(m->g, 0, &m->err);
}

void tu_end(tu_machine *m)
{
    pim_golden_free(m->g);
    pim_program_free(m->prog);
    m->g = NULL;
    m->prog = NULL;
}

void tu_reg(tu_machine *m, uint32_t c, uint32_t r, uint32_t v)
{
    pim_golden_set_reg(m->g, c, r, v);
}

void tu_lmem(tu_machine *m, uint32_t c, uint32_t addr, const void *bytes, size_t n)
{
    ck_assert_uint_le(addr + n, m->cfg.local_mem_size);
    memcpy(pim_golden_lmem(m->g, c) + addr, bytes, n);
}

void tu_gmem(tu_machine *m, uint32_t addr, const void *bytes, size_t n)
{
    ck_assert_uint_le(addr + n, m->cfg.global_mem_size);
    memcpy(pim_golden_gmem(m->g) + addr, bytes, n);
}

void tu_lmem_elems(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw, const int64_t *v,
                   size_t n)
{
    uint8_t *p = pim_golden_lmem(m->g, c) + addr;
    ck_assert_uint_le(addr + n * byw, m->cfg.local_mem_size);
    for (size_t i = 0; i < n; i++)
        for (uint32_t b = 0; b < byw; b++)
            p[i * byw + b] = (uint8_t)((uint64_t)v[i] >> (8u * b));
}

int64_t tu_lmem_elem(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw)
{
    const uint8_t *p = pim_golden_lmem(m->g, c) + addr;
    uint64_t u = 0;
    for (uint32_t b = 0; b < byw; b++)
        u |= (uint64_t)p[b] << (8u * b);
    if (byw < 8 && (u >> (8u * byw - 1u)) & 1u)
        u |= ~(uint64_t)0 << (8u * byw);
    return (int64_t)u;
}

void tu_check_lmem(tu_machine *m, uint32_t c, uint32_t addr, const uint8_t *bytes, size_t n)
{
    const uint8_t *p = pim_golden_lmem(m->g, c) + addr;
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(p[i] == bytes[i], "core %u LMem[0x%zx] = 0x%02x, expected 0x%02x",
                      (unsigned)c, (size_t)addr + i, p[i], bytes[i]);
}

pim_insn tu_i(unsigned op)
{
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    return in;
}

pim_insn tu_rrr(unsigned op, unsigned rd, unsigned rs1, unsigned rs2)
{
    pim_insn in = tu_i(op);
    in.rd = (uint8_t)rd;
    in.rs1 = (uint8_t)rs1;
    in.rs2 = (uint8_t)rs2;
    return in;
}

pim_insn tu_rri(unsigned op, unsigned rd, unsigned rs1, uint32_t imm)
{
    pim_insn in = tu_i(op);
    in.rd = (uint8_t)rd;
    in.rs1 = (uint8_t)rs1;
    in.imm = imm;
    return in;
}

pim_insn tu_vec(unsigned op, unsigned rd, unsigned rs1, unsigned rs2, uint32_t len,
                unsigned sel, int32_t off)
{
    pim_insn in = tu_rrr(op, rd, rs1, rs2);
    in.len = len;
    in.offset_select = (uint8_t)sel;
    in.offset = off;
    return in;
}

pim_insn tu_setbw(unsigned ibiw, unsigned obiw)
{
    pim_insn in = tu_i(PIM_OP_SETBW);
    in.ibiw = (uint8_t)ibiw;
    in.obiw = (uint8_t)obiw;
    return in;
}

pim_insn tu_xfer(unsigned op, unsigned rd, unsigned rs1, uint32_t size, unsigned sel,
                 int32_t off)
{
    pim_insn in = tu_rrr(op, rd, rs1, 0);
    in.len = size;
    in.offset_select = (uint8_t)sel;
    in.offset = off;
    return in;
}

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void tu_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    const size_t n = strlen(text);
    ck_assert_uint_eq(fwrite(text, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}
