/* testutil.c - see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_load.h"

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

/* ---------------------------------------------------------------- golden machine tests */

void tu_fill_bytes(tu_machine *m, uint32_t c, uint32_t addr, uint8_t b, size_t n)
{
    memset(pim_golden_lmem(m->g, c) + addr, b, n);
}

void tu_expect_elems(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw,
                     const int64_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const int64_t got = tu_lmem_elem(m, c, addr + (uint32_t)(i * byw), byw);
        ck_assert_msg(got == want[i], "core %u element %zu at 0x%x: %lld, expected %lld",
                      (unsigned)c, i, (unsigned)(addr + i * byw), (long long)got,
                      (long long)want[i]);
    }
}

void tu_run_ok(tu_machine *m)
{
    const pim_status st = tu_run(m);
    ck_assert_msg(st == PIM_OK, "run: status %d: %s", (int)st, m->err.msg);
    ck_assert_int_eq(pim_golden_done(m->g), 1);
}

pim_insn tu_send(unsigned rs1, uint32_t core, uint32_t size, int32_t off)
{
    pim_insn in = tu_i(PIM_OP_SEND);
    in.rs1 = (uint8_t)rs1;
    in.core = core;
    in.len = size;
    in.offset = off;
    return in;
}

pim_insn tu_recv(unsigned rd, uint32_t core, uint32_t size, int32_t off)
{
    pim_insn in = tu_i(PIM_OP_RECV);
    in.rd = (uint8_t)rd;
    in.core = core;
    in.len = size;
    in.offset = off;
    return in;
}

pim_insn tu_sync(unsigned ev, uint32_t core)
{
    pim_insn in = tu_i(PIM_OP_SYNC);
    in.ev = (uint8_t)ev;
    in.core = core;
    return in;
}

pim_insn tu_wait(unsigned ev, uint32_t val)
{
    pim_insn in = tu_i(PIM_OP_WAIT);
    in.ev = (uint8_t)ev;
    in.imm = val;
    return in;
}

pim_insn tu_lldi(unsigned rd, uint8_t byte, uint32_t size, int32_t off)
{
    pim_insn in = tu_i(PIM_OP_LLDI);
    in.rd = (uint8_t)rd;
    in.imm = byte;
    in.len = size;
    in.offset = off;
    return in;
}

pim_insn tu_mvmul(unsigned rd, unsigned rs1, unsigned mbiw, unsigned group, unsigned relu)
{
    pim_insn in = tu_i(PIM_OP_MVMUL);
    in.rd = (uint8_t)rd;
    in.rs1 = (uint8_t)rs1;
    in.mbiw = (uint8_t)mbiw;
    in.group = (uint16_t)group;
    in.relu = (uint8_t)relu;
    return in;
}

pim_insn tu_sld(unsigned rd, unsigned rs1, int32_t off)
{
    pim_insn in = tu_rrr(PIM_OP_SLD, rd, rs1, 0);
    in.offset = off;
    return in;
}

/* ---------------------------------------------------------------- loader tests */

pim_config tu_cfg_cores(uint32_t n)
{
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.core_cnt = n;
    return cfg;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void tu_check_message(const pim_error *e, const char *path, long core, long index,
                      const char *field)
{
    char buf[PIM_ERROR_MSG_MAX + 512];
    pim_error_format(e, buf, sizeof buf);
    ck_assert_msg(strchr(buf, '\n') == NULL, "message is not one line: %s", buf);
    ck_assert_msg(strstr(buf, base_name(path)) != NULL, "message does not name %s: %s", path, buf);
    ck_assert_msg(strstr(e->file, base_name(path)) != NULL, "err.file '%s' is not %s", e->file,
                  path);
    char want[64];
    if (core >= 0) {
        snprintf(want, sizeof want, "core %ld", core);
        ck_assert_msg(strstr(buf, want) != NULL, "message lacks '%s': %s", want, buf);
    }
    if (index >= 0) {
        snprintf(want, sizeof want, "instruction %ld", index);
        ck_assert_msg(strstr(buf, want) != NULL, "message lacks '%s': %s", want, buf);
    }
    if (field != NULL && field[0] != '\0')
        ck_assert_msg(strstr(buf, field) != NULL, "message lacks field %s: %s", field, buf);
}

pim_status tu_load_with(const char *path, uint32_t cores, pim_dialect d, int detect,
                        int threads, pim_program **p, pim_error *e, char *notice)
{
    pim_config cfg = tu_cfg_cores(cores);
    pim_load_opts o;
    memset(&o, 0, sizeof o);
    o.dialect = d;
    o.detect = detect;
    o.threads = threads;
    strcpy(o.notice, "stale");
    pim_error_clear(e);
    *p = NULL;
    const pim_status st = pim_load_stream_file_opts(path, &cfg, &o, p, e);
    if (notice)
        snprintf(notice, 320, "%s", o.notice);
    return st;
}

void tu_tmp_stream(tu_tmp_file *t, const char *text)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/pimcosim_test_dialect_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/s.json", t->dir);
    tu_write_text(t->path, text);
}

void tu_tmp_done(tu_tmp_file *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

pim_status tu_load_text(const char *text, uint32_t cores, pim_dialect d, pim_program **p,
                        char *line, size_t n)
{
    tu_tmp_file t;
    tu_tmp_stream(&t, text);
    pim_error e;
    const pim_status st = tu_load_with(t.path, cores, d, 0, 0, p, &e, NULL);
    char buf[PIM_ERROR_MSG_MAX + 512];
    pim_error_format(&e, buf, sizeof buf);
    /* without the directory part, which is random */
    const char *s = strstr(buf, "s.json");
    const char *got = st == PIM_OK ? "" : s ? s : buf;
    const size_t k = strlen(got) < n ? strlen(got) : n - 1;
    memcpy(line, got, k);
    line[k] = '\0';
    tu_tmp_done(&t);
    return st;
}
