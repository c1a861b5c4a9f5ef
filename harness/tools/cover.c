/*
 * cover.c - functional coverage of conformance vectors (pim_cover.h): each vector runs on the
 * golden model with two hooks that change nothing it computes. The compute units (pim_units)
 * call the golden ones (pim_vec_compute, pim_xbar_mvmul) and recompute each result without
 * saturation to see which edge it hit; the step function (pim_golden_run_with) looks at each
 * instruction and its registers before pim_golden_step runs it, and counts its classes once
 * it completed.
 */
#include "cover_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"
#include "pim_golden.h"
#include "pim_load.h"
#include "pim_xbar.h"

const pim_cover_class pim_cover_classes[K_COUNT] = {
#define X(E, N, R, M) {N, R, M},
    COVER_CLASSES(X)
#undef X
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
const char *pim_cover_class_name(size_t i) { return i < K_COUNT ? pim_cover_classes[i].name : NULL; }
const char *pim_cover_class_meaning(size_t i)
{
    if (i >= K_COUNT)
        return NULL;
    while (i > 0 && !pim_cover_classes[i].meaning[0]) /* a width row shares its group's meaning */
        i--;
    return pim_cover_classes[i].meaning;
}
int pim_cover_class_required(size_t i) { return i < K_COUNT && pim_cover_classes[i].required; }

uint64_t pim_cover_count(const pim_cover *cv, const char *name)
{
    for (size_t i = 0; i < K_COUNT; i++)
        if (strcmp(pim_cover_classes[i].name, name) == 0)
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
        if (pim_cover_classes[i].required && !cv->k[i]) {
            if (n < max)
                names[n] = pim_cover_classes[i].name;
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
        case PIM_OP_VVMUL: e = pim_round_shift(v * b[i], (uint32_t)scalar); break;
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

/* The classes of an mvmul's column sums and shape (pim_xbar_sum_stats). */
static void count_sums(pim_cover *cv, const pim_config *cfg, const struct pim_xbar_group *xg,
                       uint32_t ibiw, const int64_t *xs)
{
    const uint32_t rows = pim_xbar_group_rows(xg), cols = pim_xbar_group_cols(xg);
    const uint32_t mbiw = pim_xbar_group_mbiw(xg), p = cfg->cell_precision,
                   d = cfg->dac_resolution;
    if (ibiw % d)
        cv->k[K_DAC_SHORT]++;
    if (mbiw % p)
        cv->k[K_CELL_SHORT]++;
    if ((p > 1 && p % 2) || (d > 1 && d % 2))
        cv->k[K_KNOB_ODD]++;
    if (cfg->xbar_rows % 2 || cfg->xbar_cols % 2)
        cv->k[K_XBAR_ODD]++;
    if (rows > 1 && cols > 1 && rows % 2 && cols % 2)
        cv->k[K_GROUP_ODD]++;
    if (!cfg->adc_clip)
        return;
    pim_xbar_sums st;
    pim_xbar_sum_stats(xg, cfg, ibiw, xs, &st);
    const uint64_t fs = ((uint64_t)1 << cfg->adc_resolution) - 1u;
    if (st.at_full_scale)
        cv->k[K_ADC_AT_FS]++;
    if (st.one_over)
        cv->k[K_ADC_ONE_OVER]++;
    if (fs >= st.sum_bound)
        cv->k[K_ADC_NEVER]++;
    else if (2 * fs >= st.sum_bound)
        cv->k[K_ADC_NEAR_MAX]++;
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
    count_sums(cv, x->cfg, xg, ibiw, xs);
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
    if (strcmp(f, PIM_KEY(RS1)) == 0)
        return K_ERR_RANGE_RS1;
    if (strcmp(f, PIM_KEY(RS2)) == 0)
        return K_ERR_RANGE_RS2;
    if (strcmp(f, PIM_KEY(RD)) == 0)
        return K_ERR_RANGE_RD;
    if (strcmp(f, PIM_KEY(LEN)) == 0)
        return K_ERR_LEN;
    if (strcmp(f, PIM_KEY(GROUP)) == 0)
        return K_ERR_GROUP;
    if (strcmp(f, PIM_KEY(MBIW)) == 0)
        return K_ERR_MBIW;
    if (strcmp(f, PIM_KEY(SIZE)) == 0)
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

