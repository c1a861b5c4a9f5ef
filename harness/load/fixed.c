/*
 * fixed.c - the pimcomp dialect's fixed-point constants (docs/dialects.md, rule 9), and the
 * walk that follows a core's registers as known constants (shared with the input region,
 * pass2.c).
 *
 * PIMCOMP-NN averages a pooling window in three steps: vvadd sums it, lldi fills a vector
 * with 1.0 / window (a fraction), vvmul multiplies the sum by it. Integer hardware holds the
 * fraction f as q * 2^-F: the lldi fills the byte q = round(f * 2^F), F the largest in
 * 0..PIM_FIXED_MAX_F with |q| <= 2^(ibiw-1) - 1 at the vvmul's ibiw, and the vvmul that reads
 * it scales each product by 2^-F, rounded to the nearest integer, ties away from zero, before
 * it saturates. Which vvmul that is, is decided here, once, from the program text.
 */
#include "load_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void pim_regs_init(pim_regs_walk *w)
{
    memset(w->val, 0, sizeof w->val);
    w->known = UINT32_MAX;
}

int pim_regs_step(pim_regs_walk *w, const pim_insn *in)
{
#define KNOWN(r) ((w->known >> (r)) & 1u)
#define SET(k) (w->known = (k) ? w->known | 1u << in->rd : w->known & ~(1u << in->rd))
    const uint32_t a = w->val[in->rs1], b = w->val[in->rs2];
    switch (in->op) {
    case PIM_OP_NOP: return 1;
    case PIM_OP_SLDI: w->val[in->rd] = in->imm; SET(1); return 1;
    case PIM_OP_SADD: w->val[in->rd] = a + b; SET(KNOWN(in->rs1) && KNOWN(in->rs2)); return 1;
    case PIM_OP_SSUB: w->val[in->rd] = a - b; SET(KNOWN(in->rs1) && KNOWN(in->rs2)); return 1;
    case PIM_OP_SMUL: w->val[in->rd] = a * b; SET(KNOWN(in->rs1) && KNOWN(in->rs2)); return 1;
    case PIM_OP_SADDI: w->val[in->rd] = a + in->imm; SET(KNOWN(in->rs1)); return 1;
    case PIM_OP_SMULI: w->val[in->rd] = a * in->imm; SET(KNOWN(in->rs1)); return 1;
    default: return 0;
    }
#undef SET
#undef KNOWN
}

/* q = round(f * 2^F), ties away from zero, and F, for a constant read at ibiw bits. */
static void fixed_of(double f, uint32_t ibiw, int32_t *q, uint32_t *F)
{
    const double lim = (double)((1u << (ibiw - 1)) - 1u);
    *F = 0;
    *q = (int32_t)round(f); /* round(): halves away from zero */
    for (uint32_t s = 1; s <= PIM_FIXED_MAX_F; s++) {
        const double t = round(ldexp(f, (int)s));
        if (fabs(t) > lim)
            break;
        *q = (int32_t)t;
        *F = s;
    }
}

static pim_status fixed_error(pim_reader *r, long core, size_t index, const char *op,
                              const char *field, const char *msg)
{
    pim_error_set(r->err, PIM_E_INPUT, core, (long)index, field, "%s", msg);
    pim_error_set_file(r->err, r->path);
    pim_error_set_op(r->err, op);
    return PIM_E_INPUT;
}

/* [lo, hi) of a vvmul operand at register reg, offset select bit `bit`, as the golden model
 * reads it; 0 when the register is not a known constant. */
static int operand_range(const pim_regs_walk *w, const pim_insn *in, unsigned reg, unsigned bit,
                         uint32_t ibyw, int64_t *lo, int64_t *hi)
{
    if (!((w->known >> reg) & 1u))
        return 0;
    *lo = (int64_t)w->val[reg] + ((in->offset_select & bit) ? (int64_t)in->offset * ibyw : 0);
    *hi = *lo + (int64_t)in->len * ibyw;
    return 1;
}

pim_status pim_fixed_point(pim_reader *r, long core, pim_insn *v, size_t n,
                           const pim_frac_imm *fr, size_t n_fr)
{
    pim_regs_walk w;
    pim_regs_init(&w);
    uint32_t ibiw = 8; /* setbw's reset width */
    size_t k = 0;      /* next fractional lldi */
    char m[240];
    for (size_t i = 0; i < n && k < n_fr; i++) {
        pim_insn *in = &v[i];
        if (pim_regs_step(&w, in))
            continue;
        if (in->op == PIM_OP_SLD) {
            w.known &= ~(1u << in->rd);
            continue;
        }
        if (in->op == PIM_OP_SETBW) {
            ibiw = in->ibiw;
            continue;
        }
        if (i != fr[k].index)
            continue;
        /* the fractional lldi: its range, then its consumer */
        const size_t li = i;
        const double f = fr[k++].value;
        if (!((w.known >> in->rd) & 1u)) {
            snprintf(m, sizeof m, "%g: the address of a fractional constant must be a known "
                     "constant (rd %u is loaded by sld)", f, in->rd);
            return fixed_error(r, core, li, "lldi", PIM_KEY(IMM), m);
        }
        const int64_t lo = (int64_t)w.val[in->rd] + in->offset, hi = lo + (int64_t)in->len;
        size_t j = i + 1;
        while (j < n) {
            if (pim_regs_step(&w, &v[j])) {
                j++;
            } else if (v[j].op == PIM_OP_SLD) {
                w.known &= ~(1u << v[j].rd);
                j++;
            } else if (v[j].op == PIM_OP_SETBW) {
                ibiw = v[j].ibiw;
                j++;
            } else {
                break;
            }
        }
        if (j == n || v[j].op != PIM_OP_VVMUL) {
            if (j == n)
                snprintf(m, sizeof m, "%g: a fractional constant must be read by the next vector "
                         "instruction, a vvmul, but the core ends first", f);
            else
                snprintf(m, sizeof m, "%g: a fractional constant must be read by the next vector "
                         "instruction, a vvmul, but instruction %zu is %s", f, j,
                         pim_op_name(v[j].op));
            return fixed_error(r, core, li, "lldi", PIM_KEY(IMM), m);
        }
        pim_insn *mul = &v[j];
        const uint32_t ibyw = (ibiw + 7) / 8;
        int64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
        const int ka = operand_range(&w, mul, mul->rs1, 2u, ibyw, &a0, &a1);
        const int kb = operand_range(&w, mul, mul->rs2, 4u, ibyw, &b0, &b1);
        const int ina = ka && a0 >= lo && a1 <= hi && a1 > a0;
        const int inb = kb && b0 >= lo && b1 <= hi && b1 > b0;
        const int overa = !ka || (a0 < hi && lo < a1), overb = !kb || (b0 < hi && lo < b1);
        const char *why = NULL;
        if (ina && inb)
            why = "both operands read it";
        else if (!ina && !inb)
            why = "neither operand lies within the lldi's bytes";
        else if ((ina && overb) || (inb && overa))
            why = "the other operand overlaps it too";
        else if (ibiw > 8 || ibiw < 2)
            why = "it runs at an ibiw outside 2..8 (the constant is one byte)";
        if (why) {
            snprintf(m, sizeof m, "reads the fractional constant of instruction %zu (lldi %g, "
                     "bytes %lld..%lld), but %s (ibiw %u)", li, f, (long long)lo,
                     (long long)hi - 1, why, ibiw);
            return fixed_error(r, core, j, "vvmul", ina || !inb ? PIM_KEY(RS1) : PIM_KEY(RS2),
                               m);
        }
        int32_t q;
        uint32_t F;
        fixed_of(f, ibiw, &q, &F);
        const int32_t lim = (int32_t)((1u << (ibiw - 1)) - 1u);
        if (q > lim || q < -lim) {
            snprintf(m, sizeof m, "%g does not fit a fixed-point byte at ibiw %u (at most %d "
                     "in magnitude)", f, ibiw, lim);
            return fixed_error(r, core, li, "lldi", PIM_KEY(IMM), m);
        }
        in->imm = (uint32_t)q & 0xffu;
        in->frac = (uint8_t)F;
        mul->frac = (uint8_t)F;
        i = j; /* the vvmul is done */
    }
    return PIM_OK;
}
