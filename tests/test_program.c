/*
 * test_program.c - golden/program.c's pim_program_restrict (--cores): the kept cores run,
 * transfers with the other cores become nops, the other cores' groups are dropped.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Machines have 4 KiB of local and 64 KiB of
 * global memory (testutil.h).
 */
#include <stdint.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "testutil.h"

/* --cores: the kept cores run, transfers with the others are cut to nops, the others' groups
 * are dropped, indices stay. */
START_TEST(test_restrict)
{
    tu_machine m;
    pim_config cfg = tu_config(3);
    tu_begin(&m, &cfg);
    /* core 0: send 4 bytes to 1, then to 2; core 1: recv from 0, recv from 2; core 2: send
     * to 1, recv from 0 */
    tu_emit(&m, 0, tu_send(1, 1, 4, 0));
    tu_emit(&m, 0, tu_send(1, 2, 4, 0));
    pim_insn r = tu_i(PIM_OP_RECV);
    r.rd = 2;
    r.core = 0;
    r.len = 4;
    tu_emit(&m, 1, r);
    r.core = 2;
    r.offset = 8;
    tu_emit(&m, 1, r);
    tu_emit(&m, 2, tu_send(1, 1, 4, 0));
    r.core = 0;
    r.offset = 0;
    tu_emit(&m, 2, r);
    static const int32_t w[4] = {1, 2, 3, 4};
    tu_group(&m, 1, 0, 4, 2, 2, w);
    tu_group(&m, 2, 0, 4, 2, 2, w);
    const uint8_t keep[3] = {1, 1, 0};
    uint64_t cut = 99;
    pim_program_restrict(m.prog, keep, &cut);
    ck_assert_uint_eq(cut, 2); /* core 0's send to 2, core 1's recv from 2 */
    ck_assert_uint_eq(m.prog->n_insns[0], 2);
    ck_assert_uint_eq(m.prog->n_insns[1], 2);
    ck_assert_uint_eq(m.prog->n_insns[2], 0);
    ck_assert_int_eq(m.prog->insns[0][0].op, PIM_OP_SEND);
    ck_assert_int_eq(m.prog->insns[0][1].op, PIM_OP_NOP);
    ck_assert_int_eq(m.prog->insns[1][0].op, PIM_OP_RECV);
    ck_assert_int_eq(m.prog->insns[1][1].op, PIM_OP_NOP);
    ck_assert_uint_eq(m.prog->n_groups, 1);
    ck_assert_uint_eq(m.prog->groups[0].core, 1);
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x40);
    tu_reg(&m, 1, 2, 0x80);
    const uint8_t data[4] = {9, 8, 7, 6};
    tu_lmem(&m, 0, 0x40, data, 4);
    tu_run_ok(&m);
    ck_assert_mem_eq(pim_golden_lmem(m.g, 1) + 0x80, data, 4);
    const uint8_t zero[4] = {0};
    ck_assert_mem_eq(pim_golden_lmem(m.g, 1) + 0x88, zero, 4); /* the cut recv wrote nothing */
    ck_assert_uint_eq(pim_golden_get_stats(m.g)->executed, 4);
    tu_end(&m);
}
END_TEST

static Suite *program_suite(void)
{
    Suite *s = suite_create("program");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_restrict);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run_suite(program_suite());
}
