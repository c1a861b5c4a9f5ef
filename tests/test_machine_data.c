/*
 * test_machine_data.c - the golden machine (golden/machine.c) around the results of its
 * instructions: the write observer (one core and across cores), the memory hash
 * (pim_hash_bytes), the pimcomp dialect's global addresses (one register), and seeded loads
 * of global memory and weights (--input-bits, --weight-bits).
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"); the hash and the seeded bytes from their
 * definitions in docs/isa.md 7a, as each test says. Machines have 4 KiB of local and 64 KiB
 * of global memory (testutil.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "testutil.h"

/* ------------------------------------------------------------------ observer */

typedef struct rec {
    pim_write w;
    uint8_t data[16];
} rec;
static rec recs[32];
static int n_recs;

static void record(void *ud, const pim_write *w)
{
    (void)ud;
    ck_assert_int_lt(n_recs, 32);
    recs[n_recs].w = *w;
    memcpy(recs[n_recs].data, w->data, w->len < 16 ? w->len : 16);
    recs[n_recs].w.data = NULL;
    n_recs++;
}

START_TEST(test_observer)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_setbw(16, 16));
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 5, 0, 0x11223344u));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 3, 0, 0));
    tu_emit(&m, 0, tu_xfer(PIM_OP_ST, 6, 1, 2, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, TU_DST);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 3, TU_SRCB);
    tu_reg(&m, 0, 7, 0x800);
    /* [1, -2, 300] + [2, 3, -400] = [3, 1, -100] = 03 00 01 00 9C FF */
    const int64_t a[3] = {1, -2, 300}, b[3] = {2, 3, -400};
    tu_lmem_elems(&m, 0, TU_SRCA, 2, a, 3);
    tu_lmem_elems(&m, 0, TU_SRCB, 2, b, 3);
    n_recs = 0;
    pim_golden_set_observer(m.g, record, NULL);
    tu_run_ok(&m);
    ck_assert_int_eq(n_recs, 4);

    ck_assert_uint_eq(recs[0].w.space, PIM_SPACE_BW);
    ck_assert_uint_eq(recs[0].w.index, 0);
    ck_assert_uint_eq(recs[0].w.op, PIM_OP_SETBW);
    ck_assert_uint_ge(recs[0].w.len, 2);
    ck_assert_uint_eq(recs[0].data[0], 16);
    ck_assert_uint_eq(recs[0].data[1], 16);

    static const uint8_t reg5[4] = {0x44, 0x33, 0x22, 0x11};
    ck_assert_uint_eq(recs[1].w.space, PIM_SPACE_REG);
    ck_assert_uint_eq(recs[1].w.core, 0);
    ck_assert_uint_eq(recs[1].w.owner, 0);
    ck_assert_uint_eq(recs[1].w.index, 1);
    ck_assert_uint_eq(recs[1].w.op, PIM_OP_SLDI);
    ck_assert_uint_eq(recs[1].w.addr, 5);
    ck_assert_uint_eq(recs[1].w.len, 4);
    ck_assert_uint_eq(recs[1].w.elem_bytes, 4);
    ck_assert_mem_eq(recs[1].data, reg5, 4);

    static const uint8_t sum[6] = {0x03, 0x00, 0x01, 0x00, 0x9C, 0xFF};
    ck_assert_uint_eq(recs[2].w.space, PIM_SPACE_LMEM);
    ck_assert_uint_eq(recs[2].w.core, 0);
    ck_assert_uint_eq(recs[2].w.owner, 0);
    ck_assert_uint_eq(recs[2].w.index, 2);
    ck_assert_uint_eq(recs[2].w.op, PIM_OP_VVADD);
    ck_assert_uint_eq(recs[2].w.addr, TU_DST);
    ck_assert_uint_eq(recs[2].w.len, 6);
    ck_assert_uint_eq(recs[2].w.elem_bytes, 2);
    ck_assert_mem_eq(recs[2].data, sum, 6);

    ck_assert_uint_eq(recs[3].w.space, PIM_SPACE_GMEM);
    ck_assert_uint_eq(recs[3].w.index, 3);
    ck_assert_uint_eq(recs[3].w.op, PIM_OP_ST);
    ck_assert_uint_eq(recs[3].w.addr, 0x800);
    ck_assert_uint_eq(recs[3].w.len, 2);
    ck_assert_uint_eq(recs[3].w.elem_bytes, 1);
    ck_assert_mem_eq(recs[3].data, sum, 2);
    tu_end(&m);
}
END_TEST

/* Writes to another core: sync writes the target's event register (owner 1, by core 0);
 * wait resets it (owner 1, by core 1); recv's LMem write belongs to the recv. */
START_TEST(test_observer_cross_core)
{
    tu_machine m;
    pim_config cfg = tu_config(2);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_sync(3, 1));
    tu_emit(&m, 0, tu_send(1, 1, 2, 0));
    tu_emit(&m, 1, tu_wait(3, 1));
    tu_emit(&m, 1, tu_recv(1, 0, 2, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x10);
    tu_reg(&m, 1, 1, 0x20);
    static const uint8_t d[2] = {0xC0, 0xDE};
    tu_lmem(&m, 0, 0x10, d, 2);
    n_recs = 0;
    pim_golden_set_observer(m.g, record, NULL);
    tu_run_ok(&m);
    int found_sync = 0, found_wait = 0, found_recv = 0;
    for (int i = 0; i < n_recs; i++) {
        const pim_write *w = &recs[i].w;
        if (w->op == PIM_OP_SYNC) {
            found_sync++;
            ck_assert_uint_eq(w->space, PIM_SPACE_EVENT);
            ck_assert_uint_eq(w->core, 0);
            ck_assert_uint_eq(w->owner, 1);
            ck_assert_uint_eq(w->addr, 3);
            ck_assert_uint_eq(w->len, 4);
            ck_assert_uint_eq(recs[i].data[0], 1);
        } else if (w->op == PIM_OP_WAIT) {
            found_wait++;
            ck_assert_uint_eq(w->space, PIM_SPACE_EVENT);
            ck_assert_uint_eq(w->core, 1);
            ck_assert_uint_eq(w->owner, 1);
            ck_assert_uint_eq(w->addr, 3);
            ck_assert_uint_eq(recs[i].data[0], 0);
        } else if (w->op == PIM_OP_RECV) {
            found_recv++;
            ck_assert_uint_eq(w->space, PIM_SPACE_LMEM);
            ck_assert_uint_eq(w->core, 1);
            ck_assert_uint_eq(w->owner, 1);
            ck_assert_uint_eq(w->index, 1);
            ck_assert_uint_eq(w->addr, 0x20);
            ck_assert_uint_eq(w->len, 2);
            ck_assert_mem_eq(recs[i].data, d, 2);
        } else {
            ck_abort_msg("unexpected write by op %u", (unsigned)w->op);
        }
    }
    ck_assert_int_eq(found_sync, 1);
    ck_assert_int_eq(found_wait, 1);
    ck_assert_int_eq(found_recv, 1);
    tu_end(&m);
}
END_TEST

/* The memory hash of docs/isa.md, values worked from its definition (FNV-1a over 64-bit
 * little-endian words, a partial last word zero-padded, then h ^= n and fmix64). */
START_TEST(test_hash_bytes)
{
    static const uint8_t zeros[8] = {0};
    static const uint8_t nine[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const uint8_t eight_pad[9] = {1, 2, 3, 4, 5, 6, 7, 8, 0};
    ck_assert_uint_eq(pim_hash_bytes(zeros, 0), 0xefd01f60ba992926ull);
    ck_assert_uint_eq(pim_hash_bytes(zeros, 8), 0x9bc195f9cf0d48a7ull);
    ck_assert_uint_eq(pim_hash_bytes(nine, 9), 0xf44baa594125c6beull);
    /* the same words, another byte count: n is part of the hash */
    ck_assert_uint_eq(pim_hash_bytes(eight_pad, 9), 0x04bda3d2104c5954ull);
    ck_assert_uint_ne(pim_hash_bytes(eight_pad, 8), pim_hash_bytes(eight_pad, 9));
    tu_machine m;
    pim_config cfg1 = tu_config(1);
    tu_begin(&m, &cfg1);
    tu_load(&m);
    uint8_t *z = calloc(1, TU_LMEM);
    ck_assert_ptr_nonnull(z);
    ck_assert_uint_eq(pim_golden_hash_lmem(m.g, 0), pim_hash_bytes(z, TU_LMEM));
    pim_golden_lmem(m.g, 0)[TU_LMEM - 1] = 1; /* the last byte counts */
    ck_assert_uint_ne(pim_golden_hash_lmem(m.g, 0), pim_hash_bytes(z, TU_LMEM));
    free(z);
    tu_end(&m);
}
END_TEST

/* The pimcomp dialect: ld, sld and st take the global address from one 32-bit register. */
START_TEST(test_pimcomp_addressing)
{
    for (int dialect = 0; dialect < 2; dialect++) {
        tu_machine m;
        pim_config cfg1 = tu_config(1);
        tu_begin(&m, &cfg1);
        m.prog->dialect = dialect ? PIM_DIALECT_PIMCOMP : PIM_DIALECT_STRICT;
        pim_insn ld = tu_i(PIM_OP_LD); /* LMem[r0] = GMem[r2 (pimcomp) / r2:r3 (strict)], 4 bytes */
        ld.rd = 0;
        ld.rs1 = 2;
        ld.len = 4;
        tu_emit(&m, 0, ld);
        pim_insn sld = tu_i(PIM_OP_SLD); /* r5 = GMem[r2 + 4] (pimcomp) / GMem[r2:r3 + 4] */
        sld.rd = 5;
        sld.rs1 = 2;
        sld.offset = 4;
        tu_emit(&m, 0, sld);
        pim_insn st = tu_i(PIM_OP_ST); /* GMem[r3 (pimcomp) / r2:r3] = LMem[r0], 4 bytes */
        st.rd = dialect ? 3 : 2;
        st.rs1 = 0;
        st.len = 4;
        tu_emit(&m, 0, st);
        tu_load(&m);
        tu_reg(&m, 0, 2, 0x10);  /* strict: high word 0x10 -> address 2^36 + r3: out of range */
        tu_reg(&m, 0, 3, 0x100);
        const uint8_t src[8] = {0xa1, 0xa2, 0xa3, 0xa4, 0x11, 0x22, 0x33, 0x44};
        tu_gmem(&m, 0x10, src, 8);
        const pim_status st_ = tu_run(&m);
        if (!dialect) {
            ck_assert_int_eq(st_, PIM_E_EXEC);
            ck_assert_int_eq(m.err.index, 0);
            ck_assert_str_eq(m.err.field, "rs1");
        } else {
            ck_assert_msg(st_ == PIM_OK, "%s", m.err.msg);
            ck_assert_mem_eq(pim_golden_lmem(m.g, 0), src, 4);
            ck_assert_uint_eq(pim_golden_reg(m.g, 0, 5), 0x44332211u);
            ck_assert_mem_eq(pim_golden_gmem(m.g) + 0x100, src, 4);
        }
        tu_end(&m);
    }
}
END_TEST

/* A seeded load fills GMem[0, gmem_input_end) and nothing above it. The bytes: splitmix64
 * from state seed ^ 0x676d656d ("gmem"), each output little-endian (worked in Python from
 * the definition: seed 5 gives b9 a6 fa 97 42 4e a3 03 | ef 97 0d 1e 38 e2 4c e3 | 69 06 b4 c3). */
START_TEST(test_seed_fill_region)
{
    static const uint8_t want[20] = {185, 166, 250, 151, 66, 78, 163, 3, 239, 151,
                                     13, 30, 56, 226, 76, 227, 105, 6, 180, 195};
    tu_machine m;
    pim_config cfg1 = tu_config(1);
    tu_begin(&m, &cfg1);
    m.prog->gmem_input_end = 20;
    pim_status st = pim_golden_new(&m.prog->cfg, &m.g, &m.err);
    ck_assert_int_eq(st, PIM_OK);
    st = pim_golden_load(m.g, m.prog, 5, 1, &m.err);
    ck_assert_int_eq(st, PIM_OK);
    ck_assert_mem_eq(pim_golden_gmem(m.g), want, 20);
    for (uint32_t a = 20; a < TU_GMEM; a++)
        ck_assert_msg(pim_golden_gmem(m.g)[a] == 0, "GMem[%u] is not 0", a);
    /* --input-bits 1: the same bytes, each keeping bit 0 only */
    m.prog->fill_input_bits = 1;
    st = pim_golden_load(m.g, m.prog, 5, 1, &m.err);
    ck_assert_int_eq(st, PIM_OK);
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq(pim_golden_gmem(m.g)[i], want[i] & 1u);
    tu_end(&m);
}
END_TEST

/* Seeded weights and --weight-bits: a 1x1 group filled from the seed, read back through
 * mvmul with x = [1]. The weight is the first splitmix64 output of state seed ^ 0x77, low
 * mbiw (8) bits sign-extended, or its low B bits with weight_bits B (worked in Python:
 * seed 2 -> 0xbe.. low byte -66, low 2 bits -2, low 3 bits -2; seed 4 -> 108, 0, -4). */
START_TEST(test_seed_weights)
{
    static const struct { uint64_t seed; uint8_t bits; int64_t w; } cases[] = {
        {2, 0, -66}, {2, 2, -2}, {2, 3, -2}, {4, 0, 108}, {4, 2, 0}, {4, 3, -4}, {4, 8, 108},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tu_machine m;
        pim_config cfg1 = tu_config(1);
        tu_begin(&m, &cfg1);
        pim_group g = {0, 0, 8, 1, 1, NULL};
        ck_assert_int_eq(pim_program_add_group(m.prog, &g, &m.err), PIM_OK);
        m.prog->fill_weight_bits = cases[k].bits;
        tu_emit(&m, 0, tu_mvmul(1, 2, 8, 0, 0));
        ck_assert_int_eq(pim_golden_new(&m.prog->cfg, &m.g, &m.err), PIM_OK);
        ck_assert_int_eq(pim_golden_load(m.g, m.prog, cases[k].seed, 0, &m.err), PIM_OK);
        tu_reg(&m, 0, 1, TU_DST);
        tu_reg(&m, 0, 2, TU_SRCA);
        const uint8_t one = 1;
        tu_lmem(&m, 0, TU_SRCA, &one, 1);
        tu_run_ok(&m);
        ck_assert_int_eq(tu_lmem_elem(&m, 0, TU_DST, 1), cases[k].w);
        tu_end(&m);
    }
}
END_TEST

static Suite *machine_data_suite(void)
{
    Suite *s = suite_create("machine_data");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_observer);
    tcase_add_test(core, test_observer_cross_core);
    tcase_add_test(core, test_hash_bytes);
    tcase_add_test(core, test_pimcomp_addressing);
    tcase_add_test(core, test_seed_fill_region);
    tcase_add_test(core, test_seed_weights);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run_suite(machine_data_suite());
}
