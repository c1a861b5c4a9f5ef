/*
 * cover.c - functional coverage of conformance vectors, and RTL code coverage beside it
 * (pim_cover.h).
 *
 * Functional: each vector runs on the golden model with two hooks that change nothing it
 * computes. The compute units (pim_units) call the golden ones (pim_vec_compute,
 * pim_xbar_mvmul) and recompute each result without saturation to see which edge it hit;
 * the step function (pim_golden_run_with) looks at each instruction and its registers
 * before pim_golden_step runs it, and counts its classes once it completed.
 *
 * RTL (--rtl DIR): every vector also runs in lockstep on models built with Verilator
 * --coverage (build/rtl/<unit>-<key>+cov.so); each model writes its data into
 * $PIMCOSIM_COVERAGE_DIR when closed, and verilator_coverage merges and annotates them.
 */
#include "pim_cover.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pim_arith.h"
#include "pim_cli.h"
#include "pim_golden.h"
#include "pim_harness.h"
#include "pim_isa.h"
#include "pim_load.h"
#include "pim_xbar.h"

/* ------------------------------------------------------------------ the classes */

/* X(ENUM, "name", required, "meaning"). Saturation: vvadd/vvsub saturate to ibiw, the others
 * to obiw; vsigm's result is never negative, so it has no low edge. */
#define SAT2(OP, op)                                                                   \
    X(SAT_HI_##OP, "sat_high." op, 1, "result elements whose exact value is above the max") \
    X(SAT_LO_##OP, "sat_low." op, 1, "result elements whose exact value is below the min")
#define BITW(W, w)                                                                     \
    X(W##_1, w ".1", 1, "instructions with that width")                                \
    X(W##_2_7, w ".2-7", 1, "")                                                        \
    X(W##_8, w ".8", 1, "")                                                            \
    X(W##_9_15, w ".9-15", 1, "")                                                      \
    X(W##_16, w ".16", 1, "")                                                          \
    X(W##_17_31, w ".17-31", 1, "")                                                    \
    X(W##_32, w ".32", 1, "")
#define BYTEW(W, w)                                                                    \
    X(W##_1, w ".1", 1, "instructions with that byte width")                           \
    X(W##_2, w ".2", 1, "")                                                            \
    X(W##_3, w ".3", 1, "")                                                            \
    X(W##_4, w ".4", 1, "")

#define COVER_CLASSES(X)                                                                   \
    SAT2(VVADD, "vvadd")                                                                   \
    SAT2(VVSUB, "vvsub")                                                                   \
    SAT2(VVMUL, "vvmul")                                                                   \
    SAT2(VVDMUL, "vvdmul")                                                                 \
    SAT2(VVSLL, "vvsll")                                                                   \
    SAT2(VVSRA, "vvsra")                                                                   \
    SAT2(VAVG, "vavg")                                                                     \
    SAT2(VTANH, "vtanh")                                                                   \
    X(SAT_HI_VSIGM, "sat_high.vsigm", 1, "result elements whose exact value is above the max") \
    SAT2(VRSU, "vrsu")                                                                     \
    SAT2(VRSL, "vrsl")                                                                     \
    SAT2(MVMUL, "mvmul")                                                                   \
    X(ADC_CLIP_HIT, "adc.clip_hit", 1, "mvmuls whose ADC clipped at least one sum")        \
    X(ADC_CLIP_SUMS, "adc.clip_sums", 0, "(step, slice, column) sums the ADC clipped")     \
    X(ADC_CLIP_OFF, "adc.clip_off", 1, "mvmuls on an ideal ADC (adc_clip false)")          \
    X(RELU_ON, "relu.on", 1, "mvmuls with relu 1")                                         \
    X(RELU_OFF, "relu.off", 1, "mvmuls with relu 0")                                       \
    X(OFFSEL_RD_VEC, "offset_select.rd.vector", 1, "vector ops applying offset to rd")     \
    X(OFFSEL_RS1_VEC, "offset_select.rs1.vector", 1, "vector ops applying offset to rs1")  \
    X(OFFSEL_RS2_VEC, "offset_select.rs2.vector", 1, "vector ops applying offset to rs2")  \
    X(OFFSEL_RD_XFER, "offset_select.rd.transfer", 1, "ld/st/lmv applying offset to rd")   \
    X(OFFSEL_RS1_XFER, "offset_select.rs1.transfer", 1, "ld/st/lmv applying offset to rs1") \
    BITW(IBIW, "ibiw")                                                                     \
    BYTEW(IBYW, "ibyw")                                                                    \
    BITW(OBIW, "obiw")                                                                     \
    BYTEW(OBYW, "obyw")                                                                    \
    X(WIDTH_3, "width.3", 1, "instructions with ibiw or obiw 3")                           \
    X(WIDTH_10, "width.10", 1, "instructions with ibiw or obiw 10")                        \
    X(WIDTH_17, "width.17", 1, "instructions with ibiw or obiw 17")                        \
    X(STRIDE_GT1_VAVG, "stride.gt1.vavg", 1, "vavg with $rs2 > 1")                         \
    X(STRIDE_NEG_VAVG, "stride.neg.vavg", 1, "vavg with $rs2 < 0")                         \
    X(STRIDE_0_VAVG, "stride.0.vavg", 1, "vavg with $rs2 == 0")                            \
    X(STRIDE_GT1_VMV, "stride.gt1.vmv", 1, "vmv with $rs2 > 1")                            \
    X(STRIDE_NEG_VMV, "stride.neg.vmv", 1, "vmv with $rs2 < 0")                            \
    X(STRIDE_0_VMV, "stride.0.vmv", 1, "vmv with $rs2 == 0")                               \
    X(LEN0_VEC, "len.0.vector", 1, "vector ops with len 0")                                \
    X(LENMAX_VEC, "len.2047.vector", 1, "vector ops with len 2047")                        \
    X(SIZE0_XFER, "size.0.transfer", 1, "transfers with size 0")                           \
    X(SIZEMAX_XFER, "size.2047.transfer", 1, "transfers with size 2047")                   \
    X(SEND_RECV, "multicore.send_recv", 1, "send/recv pairs that met")                     \
    X(SYNC_WAIT, "multicore.sync_wait", 1, "waits released by a sync")                     \
    X(BARRIER, "multicore.barrier", 1, "waits that blocked before they completed")         \
    X(DEADLOCK, "multicore.deadlock", 1, "runs that ended in deadlock")                    \
    X(ERR_RANGE_RS1, "error.range.rs1", 1, "runs ending: rs1 address out of range")        \
    X(ERR_RANGE_RS2, "error.range.rs2", 1, "runs ending: rs2 address out of range")        \
    X(ERR_RANGE_RD, "error.range.rd", 1, "runs ending: rd address out of range")           \
    X(ERR_OVERLAP, "error.overlap", 1, "runs ending: undefined overlap")                   \
    X(ERR_LEN, "error.len", 1, "runs ending: vavg of 0 elements")                          \
    X(ERR_GROUP, "error.group", 1, "runs ending: missing array group")                     \
    X(ERR_MBIW, "error.mbiw", 1, "runs ending: mbiw differs from the group's")             \
    X(ERR_SIZE, "error.size", 1, "runs ending: send/recv size mismatch")                   \
    X(ERR_OTHER, "error.other", 0, "runs ending in another execution error")               \
    X(REFUSED, "error.input", 1, "vectors refused at load")                                \
    X(REFUSED_NO_OP, "error.input.no_op", 0, "refusals that name no op")

enum {
#define X(E, N, R, M) K_##E,
    COVER_CLASSES(X)
#undef X
    K_COUNT
};

static const struct {
    const char *name;
    int required;
    const char *meaning;
} k_classes[K_COUNT] = {
#define X(E, N, R, M) {N, R, M},
    COVER_CLASSES(X)
#undef X
};

#define MAX_KNOB 16 /* cell_precision and dac_resolution are 1..16 */

struct pim_cover {
    uint64_t vectors, refused;
    uint64_t op_exec[PIM_OP_COUNT], op_vectors[PIM_OP_COUNT], op_errors[PIM_OP_COUNT],
        op_refused[PIM_OP_COUNT], op_len0[PIM_OP_COUNT], op_lenmax[PIM_OP_COUNT];
    uint64_t k[K_COUNT];
    uint64_t cell_precision[MAX_KNOB + 1], dac_resolution[MAX_KNOB + 1];
    uint64_t adc_resolution[33];
};

pim_cover *pim_cover_new(void) { return calloc(1, sizeof(pim_cover)); }
void pim_cover_free(pim_cover *cv) { free(cv); }

uint64_t pim_cover_vectors(const pim_cover *cv) { return cv->vectors; }
uint64_t pim_cover_refused(const pim_cover *cv) { return cv->refused; }
uint64_t pim_cover_op_executed(const pim_cover *cv, unsigned op)
{
    return op < PIM_OP_COUNT ? cv->op_exec[op] : 0;
}
uint64_t pim_cover_op_vectors(const pim_cover *cv, unsigned op)
{
    return op < PIM_OP_COUNT ? cv->op_vectors[op] : 0;
}
uint64_t pim_cover_op_errors(const pim_cover *cv, unsigned op)
{
    return op < PIM_OP_COUNT ? cv->op_errors[op] : 0;
}
uint64_t pim_cover_op_refused(const pim_cover *cv, unsigned op)
{
    return op < PIM_OP_COUNT ? cv->op_refused[op] : 0;
}

size_t pim_cover_class_total(void) { return K_COUNT; }
const char *pim_cover_class_name(size_t i) { return i < K_COUNT ? k_classes[i].name : NULL; }
const char *pim_cover_class_meaning(size_t i)
{
    if (i >= K_COUNT)
        return NULL;
    while (i > 0 && !k_classes[i].meaning[0]) /* a width row shares its group's meaning */
        i--;
    return k_classes[i].meaning;
}
int pim_cover_class_required(size_t i) { return i < K_COUNT && k_classes[i].required; }

uint64_t pim_cover_count(const pim_cover *cv, const char *name)
{
    for (size_t i = 0; i < K_COUNT; i++)
        if (strcmp(k_classes[i].name, name) == 0)
            return cv->k[i];
    return UINT64_MAX;
}

size_t pim_cover_gaps(const pim_cover *cv, const char **names, size_t max)
{
    size_t n = 0;
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        if (!cv->op_exec[op]) {
            if (n < max)
                names[n] = pim_op_name(op);
            n++;
        }
    for (size_t i = 0; i < K_COUNT; i++)
        if (k_classes[i].required && !cv->k[i]) {
            if (n < max)
                names[n] = k_classes[i].name;
            n++;
        }
    return n;
}

/* ------------------------------------------------------------------ classifying */

/* The saturation classes of an op (-1: it does not saturate). */
static int sat_hi(unsigned op)
{
    switch (op) {
    case PIM_OP_VVADD: return K_SAT_HI_VVADD;
    case PIM_OP_VVSUB: return K_SAT_HI_VVSUB;
    case PIM_OP_VVMUL: return K_SAT_HI_VVMUL;
    case PIM_OP_VVDMUL: return K_SAT_HI_VVDMUL;
    case PIM_OP_VVSLL: return K_SAT_HI_VVSLL;
    case PIM_OP_VVSRA: return K_SAT_HI_VVSRA;
    case PIM_OP_VAVG: return K_SAT_HI_VAVG;
    case PIM_OP_VTANH: return K_SAT_HI_VTANH;
    case PIM_OP_VSIGM: return K_SAT_HI_VSIGM;
    case PIM_OP_VRSU: return K_SAT_HI_VRSU;
    case PIM_OP_VRSL: return K_SAT_HI_VRSL;
    case PIM_OP_MVMUL: return K_SAT_HI_MVMUL;
    default: return -1;
    }
}
static int sat_lo(unsigned op)
{
    switch (op) {
    case PIM_OP_VVADD: return K_SAT_LO_VVADD;
    case PIM_OP_VVSUB: return K_SAT_LO_VVSUB;
    case PIM_OP_VVMUL: return K_SAT_LO_VVMUL;
    case PIM_OP_VVDMUL: return K_SAT_LO_VVDMUL;
    case PIM_OP_VVSLL: return K_SAT_LO_VVSLL;
    case PIM_OP_VVSRA: return K_SAT_LO_VVSRA;
    case PIM_OP_VAVG: return K_SAT_LO_VAVG;
    case PIM_OP_VTANH: return K_SAT_LO_VTANH;
    case PIM_OP_VRSU: return K_SAT_LO_VRSU;
    case PIM_OP_VRSL: return K_SAT_LO_VRSL;
    case PIM_OP_MVMUL: return K_SAT_LO_MVMUL;
    default: return -1; /* vsigm: never below 0 */
    }
}

/* Ops whose result width is obiw (the others write ibiw-wide elements). */
static int uses_obiw(unsigned op)
{
    switch (op) {
    case PIM_OP_MVMUL: case PIM_OP_VVMUL: case PIM_OP_VVDMUL: case PIM_OP_VVSLL:
    case PIM_OP_VVSRA: case PIM_OP_VAVG: case PIM_OP_VTANH: case PIM_OP_VSIGM:
    case PIM_OP_VRSU: case PIM_OP_VRSL:
        return 1;
    default:
        return 0;
    }
}

/* Whether the executor applies offset_select bit b (0 rd, 1 rs1, 2 rs2) for op
 * (golden/machine.c exec_vector, exec_transfer): reductions write one element at $rd
 * unshifted, and only the two-vector ops read a vector at $rs2. */
static int uses_sel(unsigned op, unsigned b)
{
    const uint32_t f = pim_op_fields(op);
    if (!(f & PIM_F_OFFSEL))
        return 0;
    const int two_vec = op == PIM_OP_VVADD || op == PIM_OP_VVSUB || op == PIM_OP_VVMUL ||
                        op == PIM_OP_VVMAX || op == PIM_OP_VVSLL || op == PIM_OP_VVSRA ||
                        op == PIM_OP_VVDMUL;
    switch (b) {
    case 0: return op != PIM_OP_VVDMUL;
    case 1: return 1;
    default: return two_vec;
    }
}

static int bitw_class(uint32_t w)
{
    return w == 1 ? 0 : w < 8 ? 1 : w == 8 ? 2 : w < 16 ? 3 : w == 16 ? 4 : w < 32 ? 5 : 6;
}

static void count_sat(pim_cover *cv, unsigned op, pim_i128 exact, uint32_t w, int64_t got)
{
    const int64_t lo = pim_min_of(w), hi = pim_max_of(w);
    const int64_t want = exact < (pim_i128)lo ? lo : exact > (pim_i128)hi ? hi : (int64_t)exact;
    (void)got;
    assert(got == want); /* the recomputation agrees with the golden unit */
    (void)want;
    if (exact > (pim_i128)hi)
        cv->k[sat_hi(op)]++;
    else if (exact < (pim_i128)lo && sat_lo(op) >= 0)
        cv->k[sat_lo(op)]++;
}

/* ------------------------------------------------------------------ one run */

typedef struct run_ctx {
    pim_cover *cv;
    pim_golden *g;
    const pim_program *p;
    const pim_config *cfg;
    uint8_t *wait_blocked; /* per core: its current wait has blocked */
    uint8_t *synced;       /* per core and event: raised by a sync since the last wait */
    int64_t *raw;          /* mvmul results without saturation */
    size_t raw_cap;
} run_ctx;

static pim_status cover_vector(void *ud, uint32_t core, unsigned op, uint32_t ibiw,
                               uint32_t obiw, int64_t scalar, const int64_t *a, const int64_t *b,
                               uint64_t n, int64_t *y, pim_error *err)
{
    run_ctx *x = ud;
    pim_cover *cv = x->cv;
    const uint32_t f = x->cfg->activation_frac_bits;
    (void)core;
    (void)err;
    pim_vec_compute(op, ibiw, obiw, f, scalar, a, b, n, y);
    if (op == PIM_OP_VVDMUL) {
        pim_i128 s = 0;
        for (uint64_t i = 0; i < n; i++)
            s += (pim_i128)a[i] * b[i];
        count_sat(cv, op, s, obiw, y[0]);
        return PIM_OK;
    }
    if (op == PIM_OP_VAVG) {
        int64_t s = 0;
        for (uint64_t i = 0; i < n; i++)
            s += a[i];
        count_sat(cv, op, pim_floor_div(s, scalar), obiw, y[0]);
        return PIM_OK;
    }
    if (sat_hi(op) < 0)
        return PIM_OK;
    for (uint64_t i = 0; i < n; i++) {
        const int64_t v = a[i];
        const int64_t sh = b ? (b[i] < 0 ? 0 : b[i] > 31 ? 31 : b[i]) : 0; /* vvsll, vvsra */
        pim_i128 e;
        uint32_t w = obiw;
        switch (op) {
        case PIM_OP_VVADD: e = (pim_i128)v + b[i]; w = ibiw; break;
        case PIM_OP_VVSUB: e = (pim_i128)v - b[i]; w = ibiw; break;
        case PIM_OP_VVMUL: e = (pim_i128)v * b[i]; break;
        case PIM_OP_VVSLL: e = (pim_i128)v * ((pim_i128)1 << sh); break;
        case PIM_OP_VVSRA: e = pim_asr(v, (uint32_t)sh); break;
        case PIM_OP_VTANH: e = pim_plan_tanh(v, f); break;
        case PIM_OP_VSIGM: e = pim_plan_sigm(v, f); break;
        case PIM_OP_VRSU: e = v < scalar ? v : scalar; break;
        default: e = v > scalar ? v : scalar; break; /* vrsl */
        }
        count_sat(cv, op, e, w, y[i]);
    }
    return PIM_OK;
}

static pim_status cover_mvmul(void *ud, uint32_t core, uint32_t group,
                              const struct pim_xbar_group *xg, uint32_t ibiw, const int64_t *xs,
                              uint32_t relu, uint32_t obiw, int64_t *y, uint64_t *clips,
                              pim_error *err)
{
    run_ctx *x = ud;
    pim_cover *cv = x->cv;
    (void)core;
    (void)group;
    const uint32_t cols = pim_xbar_group_cols(xg);
    *clips = pim_xbar_mvmul(xg, x->cfg, ibiw, xs, relu, obiw, y);
    if (cols > x->raw_cap) {
        int64_t *q = realloc(x->raw, cols * sizeof *q);
        if (!q)
            return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        x->raw = q;
        x->raw_cap = cols;
    }
    /* obiw 64: the same sums, relu applied, nothing saturated */
    pim_xbar_mvmul(xg, x->cfg, ibiw, xs, relu, 64, x->raw);
    for (uint32_t j = 0; j < cols; j++)
        count_sat(cv, PIM_OP_MVMUL, x->raw[j], obiw, y[j]);
    if (*clips) {
        cv->k[K_ADC_CLIP_HIT]++;
        cv->k[K_ADC_CLIP_SUMS] += *clips;
    }
    return PIM_OK;
}

/* Classes of an instruction that completed; ibiw/obiw/stride as they were before it ran. */
static void count_insn(pim_cover *cv, const pim_config *cfg, const pim_insn *in, uint32_t ibiw,
                       uint32_t obiw, int32_t stride)
{
    const unsigned op = in->op;
    const uint32_t f = pim_op_fields(op);
    const int vec = pim_op_class(op) == PIM_CLASS_VECTOR;
    if (f & PIM_F_LEN) {
        if (in->len == 0)
            cv->op_len0[op]++, cv->k[K_LEN0_VEC]++;
        if (in->len == 2047)
            cv->op_lenmax[op]++, cv->k[K_LENMAX_VEC]++;
    }
    if (f & PIM_F_SIZE) {
        if (in->len == 0)
            cv->op_len0[op]++, cv->k[K_SIZE0_XFER]++;
        if (in->len == 2047)
            cv->op_lenmax[op]++, cv->k[K_SIZEMAX_XFER]++;
    }
    static const int sel_vec[3] = {K_OFFSEL_RD_VEC, K_OFFSEL_RS1_VEC, K_OFFSEL_RS2_VEC};
    static const int sel_xfer[3] = {K_OFFSEL_RD_XFER, K_OFFSEL_RS1_XFER, -1};
    for (unsigned b = 0; b < 3; b++)
        if ((in->offset_select >> b & 1u) && uses_sel(op, b)) {
            const int k = vec ? sel_vec[b] : sel_xfer[b];
            if (k >= 0)
                cv->k[k]++;
        }
    if (vec || op == PIM_OP_MVMUL) {
        cv->k[K_IBIW_1 + bitw_class(ibiw)]++;
        cv->k[K_IBYW_1 + pim_byw(ibiw) - 1]++;
        const int ob = uses_obiw(op);
        if (ob) {
            cv->k[K_OBIW_1 + bitw_class(obiw)]++;
            cv->k[K_OBYW_1 + pim_byw(obiw) - 1]++;
        }
        if (ibiw == 3 || (ob && obiw == 3))
            cv->k[K_WIDTH_3]++;
        if (ibiw == 10 || (ob && obiw == 10))
            cv->k[K_WIDTH_10]++;
        if (ibiw == 17 || (ob && obiw == 17))
            cv->k[K_WIDTH_17]++;
    }
    if (op == PIM_OP_VAVG || op == PIM_OP_VMV) {
        const int avg = op == PIM_OP_VAVG;
        if (stride > 1)
            cv->k[avg ? K_STRIDE_GT1_VAVG : K_STRIDE_GT1_VMV]++;
        else if (stride < 0)
            cv->k[avg ? K_STRIDE_NEG_VAVG : K_STRIDE_NEG_VMV]++;
        else if (stride == 0)
            cv->k[avg ? K_STRIDE_0_VAVG : K_STRIDE_0_VMV]++;
    }
    if (op == PIM_OP_MVMUL) {
        cv->k[in->relu ? K_RELU_ON : K_RELU_OFF]++;
        if (!cfg->adc_clip)
            cv->k[K_ADC_CLIP_OFF]++;
        if (cfg->cell_precision <= MAX_KNOB)
            cv->cell_precision[cfg->cell_precision]++;
        if (cfg->dac_resolution <= MAX_KNOB)
            cv->dac_resolution[cfg->dac_resolution]++;
        if (cfg->adc_resolution <= 32)
            cv->adc_resolution[cfg->adc_resolution]++;
    }
}

static const pim_insn *insn_at(const run_ctx *x, uint32_t c)
{
    const uint64_t pc = pim_golden_pc(x->g, c);
    return pc < x->p->n_insns[c] ? &x->p->insns[c][pc] : NULL;
}

/* pim_step_fn: looks at the instruction, then lets pim_golden_step run it. */
static pim_status cover_step(void *ud, uint32_t c, pim_step_result *result, pim_error *err)
{
    run_ctx *x = ud;
    const pim_insn *in = insn_at(x, c);
    if (!in)
        return pim_golden_step(x->g, c, result, err);
    const uint32_t ibiw = pim_golden_ibiw(x->g, c), obiw = pim_golden_obiw(x->g, c);
    const int32_t stride = (int32_t)pim_golden_reg(x->g, c, in->rs2);
    const pim_insn *peer = NULL; /* a send's recv, a recv's send: both complete at once */
    if ((in->op == PIM_OP_SEND || in->op == PIM_OP_RECV) && in->core < x->p->n_cores)
        peer = insn_at(x, in->core);
    pim_status st = pim_golden_step(x->g, c, result, err);
    if (st != PIM_OK)
        return st;
    if (*result == PIM_STEP_BLOCKED && in->op == PIM_OP_WAIT)
        x->wait_blocked[c] = 1;
    if (*result != PIM_STEP_EXECUTED)
        return PIM_OK;
    count_insn(x->cv, x->cfg, in, ibiw, obiw, stride);
    switch (in->op) {
    case PIM_OP_SEND:
    case PIM_OP_RECV:
        assert(peer);
        count_insn(x->cv, x->cfg, peer, ibiw, obiw, 0);
        x->cv->k[K_SEND_RECV]++;
        break;
    case PIM_OP_WAIT:
        if (x->wait_blocked[c])
            x->cv->k[K_BARRIER]++;
        if (x->synced[(size_t)c * PIM_NEVENTS + in->ev])
            x->cv->k[K_SYNC_WAIT]++;
        x->wait_blocked[c] = 0;
        x->synced[(size_t)c * PIM_NEVENTS + in->ev] = 0;
        break;
    case PIM_OP_SYNC:
        x->synced[(size_t)in->core * PIM_NEVENTS + in->ev] = 1;
        break;
    default:
        break;
    }
    return PIM_OK;
}

/* The class of an execution error (golden/machine.c's fields and messages). */
static int error_class(const pim_error *e)
{
    const char *f = e->field;
    if (strstr(e->msg, "overlap"))
        return K_ERR_OVERLAP;
    if (strcmp(f, "rs1") == 0)
        return K_ERR_RANGE_RS1;
    if (strcmp(f, "rs2") == 0)
        return K_ERR_RANGE_RS2;
    if (strcmp(f, "rd") == 0)
        return K_ERR_RANGE_RD;
    if (strcmp(f, "len") == 0)
        return K_ERR_LEN;
    if (strcmp(f, "group") == 0)
        return K_ERR_GROUP;
    if (strcmp(f, "mbiw") == 0)
        return K_ERR_MBIW;
    if (strcmp(f, "size") == 0)
        return K_ERR_SIZE;
    return K_ERR_OTHER;
}

pim_status pim_cover_add_program(pim_cover *cv, const pim_program *p, pim_error *err)
{
    if (p->refused) {
        cv->vectors++;
        cv->refused++;
        cv->k[K_REFUSED]++;
        const int op = p->refusal.op[0] ? pim_op_from_name(p->refusal.op) : -1;
        if (op >= 0)
            cv->op_refused[op]++;
        else
            cv->k[K_REFUSED_NO_OP]++;
        return PIM_OK;
    }
    run_ctx x;
    memset(&x, 0, sizeof x);
    pim_cover scratch = *cv; /* counts go here; copied back when the run is usable */
    x.cv = &scratch;
    x.p = p;
    pim_status st = pim_golden_new(&p->cfg, &x.g, err);
    if (st == PIM_OK)
        st = pim_golden_load(x.g, p, 1, 0, err);
    if (st != PIM_OK) {
        if (p->path)
            pim_error_set_file(err, p->path);
        goto out;
    }
    x.cfg = pim_golden_config(x.g);
    x.wait_blocked = calloc(p->n_cores, 1);
    x.synced = calloc((size_t)p->n_cores * PIM_NEVENTS, 1);
    if (!x.wait_blocked || !x.synced) {
        st = pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        goto out;
    }
    const pim_units u = {&x, cover_mvmul, cover_vector};
    pim_golden_set_units(x.g, &u);
    pim_error rerr;
    pim_error_clear(&rerr);
    st = pim_golden_run_with(x.g, cover_step, &x, 0, &rerr);
    if (st == PIM_E_EXEC) {
        scratch.k[error_class(&rerr)]++;
        const int op = pim_op_from_name(rerr.op);
        if (op >= 0)
            scratch.op_errors[op]++;
    } else if (st == PIM_E_DEADLOCK) {
        scratch.k[K_DEADLOCK]++;
    } else if (st != PIM_OK) {
        *err = rerr;
        goto out;
    }
    const pim_golden_stats *s = pim_golden_get_stats(x.g);
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        scratch.op_exec[op] += s->per_op[op];
        scratch.op_vectors[op] += s->per_op[op] != 0;
    }
    scratch.vectors++;
    *cv = scratch;
    st = PIM_OK;
out:
    pim_golden_free(x.g);
    free(x.wait_blocked);
    free(x.synced);
    free(x.raw);
    return st;
}

pim_status pim_cover_add_file(pim_cover *cv, const char *path, pim_error *err)
{
    pim_program *p = NULL;
    pim_status st = pim_load_vector_file(path, &p, err);
    if (st == PIM_OK)
        st = pim_cover_add_program(cv, p, err);
    pim_program_free(p);
    return st;
}

/* ------------------------------------------------------------------ reports */

static void print_knob(FILE *out, const char *name, const uint64_t *v, unsigned max)
{
    fprintf(out, "  %-26s", name);
    int any = 0;
    for (unsigned i = 0; i <= max; i++)
        if (v[i]) {
            fprintf(out, "%s%u: %" PRIu64, any ? ", " : "", i, v[i]);
            any = 1;
        }
    fprintf(out, "%s\n", any ? "" : "(no mvmul)");
}

void pim_cover_print(const pim_cover *cv, FILE *out)
{
    fprintf(out, "%" PRIu64 " vectors (%" PRIu64 " refused at load)\n\n", cv->vectors,
            cv->refused);
    fprintf(out, "%-8s %10s %8s %7s %8s %6s %9s\n", "op", "executed", "vectors", "errors",
            "refused", "len=0", "len=2047");
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        fprintf(out, "%-8s %10" PRIu64 " %8" PRIu64 " %7" PRIu64 " %8" PRIu64 " %6" PRIu64
                     " %9" PRIu64 "%s\n",
                pim_op_name(op), cv->op_exec[op], cv->op_vectors[op], cv->op_errors[op],
                cv->op_refused[op], cv->op_len0[op], cv->op_lenmax[op],
                cv->op_exec[op] ? "" : "   <- gap");
    fprintf(out, "\n%-27s %10s  %s\n", "class", "count", "meaning");
    for (size_t i = 0; i < K_COUNT; i++)
        fprintf(out, "%-27s %10" PRIu64 "  %s%s\n", k_classes[i].name, cv->k[i],
                pim_cover_class_meaning(i),
                k_classes[i].required && !cv->k[i] ? "   <- gap" : "");
    fprintf(out, "\nmvmul knobs seen (value: mvmuls):\n");
    print_knob(out, "cell_precision", cv->cell_precision, MAX_KNOB);
    print_knob(out, "dac_resolution", cv->dac_resolution, MAX_KNOB);
    print_knob(out, "adc_resolution", cv->adc_resolution, 32);
}

static void print_gaps(const pim_cover *cv, FILE *out)
{
    const char *names[PIM_OP_COUNT + K_COUNT];
    const size_t n = pim_cover_gaps(cv, names, sizeof names / sizeof names[0]);
    if (!n) {
        fprintf(out, "gaps: none\n");
        return;
    }
    fprintf(out, "gaps (%zu):", n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s %s", i ? "," : "", names[i]);
    fprintf(out, "\n");
}

static cJSON *knob_json(const uint64_t *v, unsigned max)
{
    cJSON *o = cJSON_CreateObject();
    for (unsigned i = 0; o && i <= max; i++)
        if (v[i]) {
            char key[8];
            snprintf(key, sizeof key, "%u", i);
            cJSON_AddNumberToObject(o, key, (double)v[i]);
        }
    return o;
}

pim_status pim_cover_write_json(const pim_cover *cv, const char *path, void *extra,
                                pim_error *err)
{
    cJSON *root = cJSON_CreateObject(), *ops = cJSON_CreateObject(),
          *cls = cJSON_CreateObject(), *gaps = cJSON_CreateArray(),
          *knobs = cJSON_CreateObject();
    pim_status st = PIM_OK;
    if (!root || !ops || !cls || !gaps || !knobs) {
        cJSON_Delete(ops);
        cJSON_Delete(cls);
        cJSON_Delete(gaps);
        cJSON_Delete(knobs);
        cJSON_Delete(extra);
        st = pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        goto out;
    }
    cJSON_AddNumberToObject(root, "vectors", (double)cv->vectors);
    cJSON_AddNumberToObject(root, "refused", (double)cv->refused);
    cJSON_AddItemToObject(root, "ops", ops);
    cJSON_AddItemToObject(root, "classes", cls);
    cJSON_AddItemToObject(root, "mvmul_knobs", knobs);
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        cJSON *o = cJSON_AddObjectToObject(ops, pim_op_name(op));
        cJSON_AddNumberToObject(o, "executed", (double)cv->op_exec[op]);
        cJSON_AddNumberToObject(o, "vectors", (double)cv->op_vectors[op]);
        cJSON_AddNumberToObject(o, "errors", (double)cv->op_errors[op]);
        cJSON_AddNumberToObject(o, "refused", (double)cv->op_refused[op]);
        cJSON_AddNumberToObject(o, "len0", (double)cv->op_len0[op]);
        cJSON_AddNumberToObject(o, "len2047", (double)cv->op_lenmax[op]);
    }
    for (size_t i = 0; i < K_COUNT; i++) {
        cJSON *o = cJSON_AddObjectToObject(cls, k_classes[i].name);
        cJSON_AddNumberToObject(o, "count", (double)cv->k[i]);
        cJSON_AddBoolToObject(o, "required", k_classes[i].required);
        cJSON_AddStringToObject(o, "meaning", pim_cover_class_meaning(i));
    }
    cJSON_AddItemToObject(knobs, "cell_precision", knob_json(cv->cell_precision, MAX_KNOB));
    cJSON_AddItemToObject(knobs, "dac_resolution", knob_json(cv->dac_resolution, MAX_KNOB));
    cJSON_AddItemToObject(knobs, "adc_resolution", knob_json(cv->adc_resolution, 32));
    const char *names[PIM_OP_COUNT + K_COUNT];
    const size_t n = pim_cover_gaps(cv, names, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(gaps, cJSON_CreateString(names[i]));
    cJSON_AddItemToObject(root, "gaps", gaps);
    if (extra)
        cJSON_AddItemToObject(root, "rtl", extra);
    char *text = cJSON_Print(root);
    if (!text) {
        st = pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        goto out;
    }
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF) {
        st = pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot write %s: %s", path,
                           strerror(errno));
    }
    if (f && fclose(f) != 0 && st == PIM_OK)
        st = pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot write %s", path);
    free(text);
out:
    cJSON_Delete(root);
    return st;
}

/* ------------------------------------------------------------------ RTL code coverage */

#define RTL_CACHE_MAX 32

static int ends_with(const char *s, const char *suffix)
{
    const size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Runs a command (argv[0] looked up in PATH), its stdout into `out` (NULL: inherited).
 * Returns its exit status, or -1. */
static int run_cmd(char *const argv[], const char *out)
{
    fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (out && !freopen(out, "w", stdout))
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* Per source file and coverage type (line, toggle, branch, ...): points and points hit,
 * from a verilator_coverage data file ("C '<keys>' count", keys \001key\002value). */
typedef struct cov_row {
    char file[128], type[24];
    uint64_t points, hit;
} cov_row;

static int cov_value(const char *rec, const char *key, char *out, size_t n)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\001%s\002", key);
    const char *s = strstr(rec, pat);
    if (!s)
        return -1;
    s += strlen(pat);
    size_t k = 0;
    while (s[k] && s[k] != '\001' && s[k] != '\'' && k + 1 < n) {
        out[k] = s[k];
        k++;
    }
    out[k] = '\0';
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    const cov_row *x = a, *y = b;
    const int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->type, y->type);
}

static size_t cov_summary(const char *dat, cov_row *rows, size_t max)
{
    FILE *f = fopen(dat, "r");
    if (!f)
        return 0;
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (line[0] != 'C' || line[1] != ' ')
            continue;
        char file[512], page[128];
        if (cov_value(line, "f", file, sizeof file) || cov_value(line, "page", page, sizeof page))
            continue;
        const char *q = strrchr(line, '\'');
        const uint64_t count = q ? strtoull(q + 1, NULL, 10) : 0;
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        /* page "v_line/pim_xbar_tile": the type is between "v_" and "/" */
        const char *t = strncmp(page, "v_", 2) == 0 ? page + 2 : page;
        char type[24];
        snprintf(type, sizeof type, "%.*s", (int)strcspn(t, "/"), t);
        size_t i = 0;
        while (i < n && !(strcmp(rows[i].file, base) == 0 && strcmp(rows[i].type, type) == 0))
            i++;
        if (i == n) {
            if (n == max)
                continue;
            memset(&rows[n], 0, sizeof rows[n]);
            snprintf(rows[n].file, sizeof rows[n].file, "%.120s", base);
            snprintf(rows[n].type, sizeof rows[n].type, "%s", type);
            n++;
        }
        rows[i].points++;
        rows[i].hit += count > 0;
    }
    free(line);
    fclose(f);
    qsort(rows, n, sizeof *rows, cmp_row);
    return n;
}

static int mkdir_p(const char *path)
{
    char buf[1200];
    snprintf(buf, sizeof buf, "%.1100s", path);
    for (char *s = buf + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* Runs every vector in lockstep on the coverage models and merges their coverage into dir.
 * Returns the exit code (0, 1 a divergence, 2 trouble) and fills *json (the "rtl" object). */
static int rtl_coverage(const pim_paths *paths, const char *dir, int build, cJSON **json)
{
    char raw[1100], merged[1100], annotated[1100], root[1024];
    snprintf(raw, sizeof raw, "%s/raw", dir);
    snprintf(merged, sizeof merged, "%s/merged.dat", dir);
    snprintf(annotated, sizeof annotated, "%s/annotated", dir);
    if (mkdir_p(raw) != 0) {
        fprintf(stderr, "pimcosim cover: cannot create %s: %s\n", raw, strerror(errno));
        return PIM_EXIT_BAD_INPUT;
    }
    /* this run's data only: the files an earlier run left go */
    DIR *d = opendir(raw);
    for (struct dirent *e; d && (e = readdir(d));)
        if (ends_with(e->d_name, ".dat")) {
            char f[1400];
            snprintf(f, sizeof f, "%s/%s", raw, e->d_name);
            unlink(f);
        }
    if (d)
        closedir(d);
    if (setenv("PIMCOSIM_COVERAGE_DIR", raw, 1) != 0)
        return PIM_EXIT_BAD_INPUT;

    pim_rtl_opts ro;
    memset(&ro, 0, sizeof ro);
    pim_project_root(root, sizeof root);
    ro.root = root;
    ro.seed = 1;
    ro.build = build;
    ro.coverage = 1;
    /* every parameter set stays open to the end: each writes its coverage when closed */
    pim_rtl_set *rs = pim_rtl_set_new(&ro, RTL_CACHE_MAX);
    if (!rs)
        return PIM_EXIT_BAD_INPUT;
    int rc = PIM_EXIT_PASS;
    uint64_t runs = 0, insns = 0, cycles = 0, diverged = 0;
    for (size_t i = 0; i < paths->n && rc != PIM_EXIT_BAD_INPUT; i++) {
        pim_program *p = NULL;
        pim_golden *g = NULL;
        pim_error err;
        pim_error_clear(&err);
        char msg[PIM_ERROR_MSG_MAX * 2];
        pim_status st = pim_load_vector_file(paths->v[i], &p, &err);
        if (st == PIM_OK && !p->refused) {
            pim_rtl *rtl;
            pim_lockstep_report rep;
            memset(&rep, 0, sizeof rep);
            st = pim_rtl_set_get(rs, &p->cfg, &rtl, &err);
            if (st != PIM_OK) {
                fprintf(stderr, "pimcosim cover: %s\n", pim_error_format(&err, msg, sizeof msg));
                rc = PIM_EXIT_BAD_INPUT;
            } else {
                st = pim_lockstep_run(p, rtl, 0, &rep, &g, &err);
                runs++;
                insns += rep.insns;
                cycles += rep.tile_cycles + rep.vu_cycles;
                if (st == PIM_E_MISMATCH) {
                    diverged++;
                    rc = PIM_EXIT_MISMATCH;
                    fprintf(stderr, "pimcosim cover: %s diverged on the coverage models: %s\n",
                            p->id, pim_error_format(&err, msg, sizeof msg));
                }
            }
        }
        pim_golden_free(g);
        pim_program_free(p);
    }
    pim_rtl_set_free(rs); /* each model writes its coverage file now */
    unsetenv("PIMCOSIM_COVERAGE_DIR");
    if (rc == PIM_EXIT_BAD_INPUT)
        return rc;

    /* merge: verilator_coverage --write merged.dat RAW/<each>.dat */
    pim_paths args = {0};
    pim_paths_push(&args, "verilator_coverage");
    pim_paths_push(&args, "--write");
    pim_paths_push(&args, merged);
    if ((d = opendir(raw))) {
        pim_paths files = {0};
        for (struct dirent *e; (e = readdir(d));)
            if (ends_with(e->d_name, ".dat")) {
                char f[1400];
                snprintf(f, sizeof f, "%s/%s", raw, e->d_name);
                pim_paths_push(&files, f);
            }
        closedir(d);
        pim_paths_sort(&files);
        for (size_t i = 0; i < files.n; i++)
            pim_paths_push(&args, files.v[i]);
        pim_paths_free(&files);
    }
    const size_t nfiles = args.n - 3;
    char **argvv = nfiles ? malloc((args.n + 1) * sizeof *argvv) : NULL;
    if (!argvv) {
        fprintf(stderr, "pimcosim cover: no RTL coverage data was written into %s\n", raw);
        pim_paths_free(&args);
        return PIM_EXIT_BAD_INPUT;
    }
    memcpy(argvv, args.v, args.n * sizeof *argvv);
    argvv[args.n] = NULL;
    int x = run_cmd(argvv, "/dev/null");
    free(argvv);
    pim_paths_free(&args);
    char log[1200];
    snprintf(log, sizeof log, "%s/annotate.log", dir);
    if (x == 0) {
        char *ann[] = {"verilator_coverage", "--annotate", annotated, merged, NULL};
        x = run_cmd(ann, log);
    }
    if (x != 0) {
        fprintf(stderr, "pimcosim cover: verilator_coverage failed (exit %d)\n", x);
        return PIM_EXIT_BAD_INPUT;
    }
    char total[256] = "";
    FILE *lf = fopen(log, "r");
    if (lf) {
        char line[512];
        while (fgets(line, sizeof line, lf))
            if (strstr(line, "Total coverage")) {
                line[strcspn(line, "\n")] = '\0';
                snprintf(total, sizeof total, "%.200s", line);
            }
        fclose(lf);
    }
    cov_row rows[64];
    const size_t nr = cov_summary(merged, rows, 64);
    printf("\nRTL code coverage (%" PRIu64 " vectors in lockstep on the coverage models, %" PRIu64
           " instructions, %" PRIu64 " RTL cycles, %zu data files (one per model), %" PRIu64
           " diverged):\n", runs, insns, cycles, nfiles, diverged);
    printf("  %-22s %-8s %8s %8s %7s\n", "file", "type", "points", "hit", "%");
    cJSON *j = cJSON_CreateObject(), *units = cJSON_CreateArray();
    for (size_t i = 0; i < nr; i++) {
        const double pct = rows[i].points ? 100.0 * (double)rows[i].hit / (double)rows[i].points : 0;
        printf("  %-22s %-8s %8" PRIu64 " %8" PRIu64 " %6.1f%%\n", rows[i].file, rows[i].type,
               rows[i].points, rows[i].hit, pct);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", rows[i].file);
        cJSON_AddStringToObject(o, "type", rows[i].type);
        cJSON_AddNumberToObject(o, "points", (double)rows[i].points);
        cJSON_AddNumberToObject(o, "hit", (double)rows[i].hit);
        cJSON_AddItemToArray(units, o);
    }
    printf("  verilator_coverage: %s\n  merged: %s, annotated sources: %s/\n",
           total[0] ? total : "(no total)", merged, annotated);
    cJSON_AddNumberToObject(j, "vectors", (double)runs);
    cJSON_AddNumberToObject(j, "diverged", (double)diverged);
    cJSON_AddStringToObject(j, "merged", merged);
    cJSON_AddStringToObject(j, "annotated", annotated);
    cJSON_AddStringToObject(j, "total", total);
    cJSON_AddItemToObject(j, "units", units);
    *json = j;
    return rc;
}

/* ------------------------------------------------------------------ command */

static const char *k_usage =
    "usage: pimcosim cover [--json FILE] [--rtl DIR] [--no-build] [--fail-on-gaps] PATH...\n"
    "\n"
    "Functional coverage of conformance vectors: runs each on the golden model and counts how\n"
    "often the suite exercised each opcode and each corner class (saturation at either edge\n"
    "per op, ADC clipping, offset_select bits, width classes, strides, lengths, multi-core\n"
    "events, errors by kind). A PATH is a vector file or a directory searched recursively\n"
    "(directories named 'configs' are skipped). The last line lists the gaps.\n"
    "\n"
    "  --json FILE      also write the counts as JSON\n"
    "  --rtl DIR        also run every vector in lockstep on RTL models built with Verilator\n"
    "                   --coverage (build/rtl/*+cov.so, built on first use, ~30 s each) and\n"
    "                   merge their line/toggle coverage: DIR/merged.dat, DIR/annotated/\n"
    "  --no-build       fail instead of building a missing coverage model\n"
    "  --fail-on-gaps   exit 1 when a class was never hit\n"
    "\n"
    "Exit: 0, 1 gaps (with --fail-on-gaps) or an RTL divergence, 2 bad input.\n";

int pim_cover_main(int argc, char **argv)
{
    const char *json = NULL, *rtl_dir = NULL;
    int fail_on_gaps = 0, build = 1, rc = PIM_EXIT_PASS;
    pim_paths paths = {0};
    pim_cover *cv = NULL;
    cJSON *rtl_json = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(k_usage, stdout);
            goto done;
        } else if (strcmp(a, "--json") == 0 && i + 1 < argc) {
            json = argv[++i];
        } else if (strcmp(a, "--rtl") == 0 && i + 1 < argc) {
            rtl_dir = argv[++i];
        } else if (strcmp(a, "--fail-on-gaps") == 0) {
            fail_on_gaps = 1;
        } else if (strcmp(a, "--no-build") == 0) {
            build = 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "pimcosim cover: unknown option or missing value '%s' (see --help)\n",
                    a);
            rc = PIM_EXIT_BAD_INPUT;
            goto done;
        } else if (pim_collect_vectors(&paths, a) != 0) {
            rc = PIM_EXIT_BAD_INPUT;
            goto done;
        }
    }
    if (paths.n == 0) {
        fprintf(stderr, "pimcosim cover: no vector given (see --help)\n");
        rc = PIM_EXIT_BAD_INPUT;
        goto done;
    }
    pim_paths_sort(&paths);
    if (!(cv = pim_cover_new())) {
        fprintf(stderr, "pimcosim cover: out of memory\n");
        rc = PIM_EXIT_BAD_INPUT;
        goto done;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < paths.n; i++) {
        pim_error err;
        pim_error_clear(&err);
        if (pim_cover_add_file(cv, paths.v[i], &err) != PIM_OK) {
            char msg[PIM_ERROR_MSG_MAX * 2];
            if (!err.file[0])
                pim_error_set_file(&err, paths.v[i]);
            fprintf(stderr, "pimcosim cover: %s\n", pim_error_format(&err, msg, sizeof msg));
            rc = PIM_EXIT_BAD_INPUT;
            goto done;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pim_cover_print(cv, stdout);
    printf("functional coverage: %zu files in %.3f s\n", paths.n,
           (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    if (rtl_dir) {
        rc = rtl_coverage(&paths, rtl_dir, build, &rtl_json);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        printf("  RTL coverage in %.1f s\n",
               (double)(t0.tv_sec - t1.tv_sec) + 1e-9 * (double)(t0.tv_nsec - t1.tv_nsec));
        if (rc == PIM_EXIT_BAD_INPUT)
            goto done;
    }
    if (json) {
        pim_error err;
        pim_error_clear(&err);
        pim_status st = pim_cover_write_json(cv, json, rtl_json, &err);
        rtl_json = NULL; /* owned by the report now */
        if (st != PIM_OK) {
            char msg[PIM_ERROR_MSG_MAX * 2];
            fprintf(stderr, "pimcosim cover: %s\n", pim_error_format(&err, msg, sizeof msg));
            rc = PIM_EXIT_BAD_INPUT;
            goto done;
        }
    }
    print_gaps(cv, stdout);
    if (rc == PIM_EXIT_PASS && fail_on_gaps && pim_cover_gaps(cv, NULL, 0))
        rc = PIM_EXIT_MISMATCH;
done:
    cJSON_Delete(rtl_json);
    pim_cover_free(cv);
    pim_paths_free(&paths);
    return rc;
}
