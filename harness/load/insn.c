/*
 * insn.c - one instruction object of a stream -> pim_insn (load_internal.h): its members
 * looked up by name in the ISA's field table (pim_isa.h), each checked for the op and the
 * dialect (docs/dialects.md) and stored, then the rules that concern the whole instruction.
 */
#include "load_internal.h"
#include "pim_golden.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ name lookup */

/* Open addressing over PIM_NAME_SLOTS slots, by FNV-1a of the name: a lookup hashes the
 * name and compares it with about one entry. */
static unsigned slot_of(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h & (PIM_NAME_SLOTS - 1);
}

static void index_names(pim_name_index *x, const char *const *names, size_t n)
{
    memset(x, 0, sizeof *x);
    x->names = names;
    assert(n < PIM_NAME_SLOTS);
    for (size_t i = 0; i < n; i++) {
        unsigned h = slot_of(names[i]);
        while (x->slot[h])
            h = (h + 1) & (PIM_NAME_SLOTS - 1);
        x->slot[h] = (uint8_t)(i + 1);
    }
}

/* Index of s among the names, or -1. */
static int lookup(const pim_name_index *x, const char *s)
{
    for (unsigned h = slot_of(s); x->slot[h]; h = (h + 1) & (PIM_NAME_SLOTS - 1))
        if (strcmp(x->names[x->slot[h] - 1], s) == 0)
            return x->slot[h] - 1;
    return -1;
}

static const char k_offset[] = "offset";

static int nested(unsigned bit) { return strchr(pim_field_path(bit), '.') != NULL; }

/* The members an instruction object may have at its top level: the ISA's top-level fields in
 * the table's order (the order they are checked in, as tests/pyref does), then "op" and
 * "offset" (whose members are the fields with an "offset." path). */
void pim_insn_names_init(pim_insn_names *x)
{
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        x->ops[op] = pim_op_name(op);
    index_names(&x->op_ix, x->ops, PIM_OP_COUNT);
    int n = 0;
    for (unsigned b = 0; b < PIM_FIELD_COUNT; b++) {
        int dup = nested(b);
        for (int i = 0; i < n && !dup; i++)
            dup = strcmp(x->keys[i], pim_field_path(b)) == 0; /* another form of a key */
        if (!dup) {
            x->keys[n] = pim_field_path(b);
            x->flag[n++] = 1u << b;
        }
    }
    x->n_fields = n;
    x->k_op = n;
    x->keys[n++] = "op";
    x->k_offset = n;
    x->keys[n++] = k_offset;
    index_names(&x->key_ix, x->keys, (size_t)n);
}

/* ------------------------------------------------------------------ fields */

static pim_status insn_error(pim_insn_ctx *x, const char *op, const char *field, const char *fmt,
                             const char *detail)
{
    pim_error_set(x->r->err, PIM_E_INPUT, x->core, (long)x->index, field, fmt, detail);
    pim_error_set_file(x->r->err, x->r->path);
    pim_error_set_op(x->r->err, op ? op : "");
    return PIM_E_INPUT;
}

/* A strict refusal of a pimcomp form: the message gains the detection hint (streams only)
 * and r->form records the form for --dialect auto's notice. */
static pim_status form_error(pim_insn_ctx *x, const char *op, const char *field, const char *msg,
                             const char *form)
{
    char m[PIM_ERROR_MSG_MAX];
    snprintf(m, sizeof m, "%s%s", msg, x->r->hint ? pim_dialect_hint : "");
    snprintf(x->r->form, sizeof x->r->form, "%s", form);
    return insn_error(x, op, field, "%s", m);
}

/* The fields an op takes in a dialect. */
static uint32_t op_takes(unsigned op, pim_dialect d)
{
    uint32_t takes = pim_op_fields(op);
    if (op == PIM_OP_LLDI)
        takes |= PIM_F_IMM; /* lldi's imm is the byte (PIM_F_BYTE), same JSON key */
    if (d == PIM_DIALECT_PIMCOMP) {
        if (op == PIM_OP_LMV || op == PIM_OP_LLDI)
            takes |= PIM_F_LEN; /* the byte count, as "size" */
        if (op == PIM_OP_SEND)
            takes |= PIM_F_RD; /* the source register, as "rs1" */
    }
    return takes;
}

/* Range of a field's value: in the strict form every field fits its binary field; pimcomp
 * widens len/size to 32 bits and group to 16. */
static void field_range(uint32_t flag, unsigned op, pim_dialect d, int64_t *lo, int64_t *hi)
{
    const int pc = d == PIM_DIALECT_PIMCOMP;
    switch (flag) {
    case PIM_F_RD: case PIM_F_RS1: case PIM_F_RS2: *lo = 0; *hi = PIM_NREGS - 1; break;
    case PIM_F_IMM:
        if (op == PIM_OP_LLDI) {
            *lo = -128; *hi = 255;
        } else {
            *lo = -((int64_t)1 << 31); *hi = ((int64_t)1 << 32) - 1;
        }
        break;
    case PIM_F_LEN: case PIM_F_SIZE:
        *lo = 0; *hi = pc ? (int64_t)UINT32_MAX : (int64_t)PIM_MASK(PIM_SIZE_LEN); break;
    case PIM_F_CORE: *lo = 0; *hi = (int64_t)PIM_MASK(PIM_SIZE_CORE); break;
    case PIM_F_MBIW: case PIM_F_IBIW: case PIM_F_OBIW: *lo = 1; *hi = PIM_MAX_WIDTH; break;
    case PIM_F_GROUP: *lo = 0; *hi = pc ? 65535 : (int64_t)PIM_MASK(PIM_SIZE_GROUP); break;
    case PIM_F_RELU: *lo = 0; *hi = 1; break;
    case PIM_F_EV: *lo = 0; *hi = PIM_NEVENTS - 1; break;
    case PIM_F_WVAL: *lo = 0; *hi = (int64_t)PIM_MASK(PIM_SIZE_WVAL); break;
    case PIM_F_OFFSEL: *lo = 0; *hi = 7; break;
    default: *lo = PIM_OFFVAL_MIN; *hi = PIM_OFFVAL_MAX; break; /* offsets */
    }
}

static void store_field(pim_insn *in, uint32_t flag, int64_t v)
{
    switch (flag) {
    case PIM_F_RD: in->rd = (uint8_t)v; break;
    case PIM_F_RS1: in->rs1 = (uint8_t)v; break;
    case PIM_F_RS2: in->rs2 = (uint8_t)v; break;
    case PIM_F_IMM: in->imm = in->op == PIM_OP_LLDI ? (uint32_t)(v & 0xff) : (uint32_t)v; break;
    case PIM_F_LEN: case PIM_F_SIZE: in->len = (uint32_t)v; break;
    case PIM_F_CORE: in->core = (uint16_t)v; break;
    case PIM_F_MBIW: in->mbiw = (uint8_t)v; break;
    case PIM_F_GROUP: in->group = (uint16_t)v; break;
    case PIM_F_RELU: in->relu = (uint8_t)v; break;
    case PIM_F_IBIW: in->ibiw = (uint8_t)v; break;
    case PIM_F_OBIW: in->obiw = (uint8_t)v; break;
    case PIM_F_EV: in->ev = (uint8_t)v; break;
    case PIM_F_WVAL: in->imm = (uint32_t)v; break;
    case PIM_F_OFFSEL: in->offset_select = (uint8_t)v; break;
    default: in->offset = (int32_t)v; break; /* PIM_F_OFFVAL, PIM_F_SOFF */
    }
}

/* A finite JSON number with a fraction (0.25, not 0.0). */
static int frac_number(const cJSON *v)
{
    return cJSON_IsNumber(v) && v->valuedouble > -9.2e18 && v->valuedouble < 9.2e18 &&
           v->valuedouble != (double)(int64_t)v->valuedouble;
}

/* Whether the pimcomp dialect accepts v for this field of op (for the strict hint). */
static int pimcomp_accepts(unsigned op, uint32_t flag, const cJSON *v)
{
    int64_t lo, hi, val;
    pim_error scratch;
    if (!(op_takes(op, PIM_DIALECT_PIMCOMP) & flag))
        return 0;
    field_range(flag, op, PIM_DIALECT_PIMCOMP, &lo, &hi);
    return pim_json_int(v, "", lo, hi, 1, &val, &scratch) == PIM_OK;
}

/* One field value: checks it is taken by the op (else must be 0), its range, and stores it. */
static pim_status take_field(pim_insn_ctx *x, pim_insn *in, const char *name, uint32_t flag,
                             const cJSON *v)
{
    const unsigned op = in->op;
    const pim_dialect d = x->r->dialect;
    const char *opn = x->opn;
    const uint32_t takes = x->takes;
    int64_t lo, hi, val;
    /* a bare offset: offset_select is accepted and ignored (docs/isa.md) */
    const int ignored_sel =
        flag == PIM_F_OFFSEL && !(takes & PIM_F_OFFSEL) && (takes & (PIM_F_OFFVAL | PIM_F_SOFF));
    if (!(takes & flag) && !ignored_sel) {
        if (!cJSON_IsNumber(v) || v->valuedouble != 0) {
            char m[96], form[96];
            snprintf(m, sizeof m, "is not a field of %s (it must be absent or 0)", opn);
            if (d == PIM_DIALECT_STRICT && pimcomp_accepts(op, flag, v)) {
                snprintf(form, sizeof form, "%s", flag == PIM_F_LEN
                                                      ? "the byte count in len"
                                                      : "the source register of send in rd");
                return form_error(x, opn, name, m, form);
            }
            return insn_error(x, opn, name, "%s", m);
        }
        return PIM_OK;
    }
    field_range(flag, op, d, &lo, &hi);
    if (d == PIM_DIALECT_PIMCOMP && flag == PIM_F_IMM && op == PIM_OP_LLDI && frac_number(v)) {
        if (!(v->valuedouble >= (double)lo && v->valuedouble <= (double)hi)) {
            char m[96];
            snprintf(m, sizeof m, "%g is outside %lld..%lld", v->valuedouble, (long long)lo,
                     (long long)hi);
            return insn_error(x, opn, name, "%s", m);
        }
        x->frac_v = v->valuedouble; /* rule 9: fixed point, once its vvmul is known (fixed.c) */
        x->has_frac = 1;
        return PIM_OK;
    }
    pim_status st = pim_json_int(v, name, lo, hi, d == PIM_DIALECT_PIMCOMP, &val, x->r->err);
    if (st != PIM_OK) {
        char msg[PIM_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", x->r->err->msg);
        if (d == PIM_DIALECT_STRICT && (flag & (PIM_F_LEN | PIM_F_SIZE | PIM_F_GROUP)) &&
            pimcomp_accepts(op, flag, v)) {
            char form[96];
            snprintf(form, sizeof form, "%s %.0f above %lld", name, v->valuedouble,
                     (long long)hi);
            return form_error(x, opn, name, msg, form);
        }
        return insn_error(x, opn, name, "%s", msg);
    }
    if (ignored_sel)
        return PIM_OK;
    if (d == PIM_DIALECT_PIMCOMP && flag == PIM_F_LEN && (op == PIM_OP_LMV || op == PIM_OP_LLDI))
        x->len_v = val;
    else if (d == PIM_DIALECT_PIMCOMP && flag == PIM_F_RD && op == PIM_OP_SEND)
        x->rd_v = val;
    else
        store_field(in, flag, val);
    return PIM_OK;
}

/* The first member of o named key (as cJSON_GetObjectItemCaseSensitive). */
static const cJSON *member(const cJSON *o, const char *key)
{
    for (const cJSON *m = o->child; m; m = m->next)
        if (strcmp(m->string, key) == 0)
            return m;
    return NULL;
}

/* A member of an offset object, by field: "offset_select" or "offset_value". */
static int offset_key(const char *k)
{
    return strcmp(k, pim_field_key((unsigned)pim_field_bit(PIM_F_OFFSEL))) == 0 ||
           strcmp(k, pim_field_key((unsigned)pim_field_bit(PIM_F_OFFVAL))) == 0;
}

/* Refuses the first member of an instruction that has no place in it. */
static pim_status bad_member(pim_insn_ctx *x, const char *opn, const cJSON *m)
{
    if (strcmp(m->string, k_offset) != 0)
        return insn_error(x, opn, m->string, "%s", "unknown key");
    if (!cJSON_IsObject(m))
        return insn_error(x, opn, k_offset, "%s", "must be an object {offset_select, offset_value}");
    for (const cJSON *s = m->child; s; s = s->next)
        if (!offset_key(s->string)) {
            char f[80];
            snprintf(f, sizeof f, "%s.%.60s", k_offset, s->string);
            return insn_error(x, opn, f, "%s", "unknown key");
        }
    return insn_error(x, opn, m->string, "%s", "unknown key"); /* not reached */
}

static int offset_ok(const cJSON *m)
{
    if (!cJSON_IsObject(m))
        return 0;
    for (const cJSON *s = m->child; s; s = s->next)
        if (!offset_key(s->string))
            return 0;
    return 1;
}

/* An instruction's members, sorted in one pass: the first of each field, the op, the
 * offset object, the first misplaced member. */
typedef struct members {
    const cJSON *field[PIM_FIELD_COUNT + 2];
    const cJSON *op, *offset, *bad;
} members;

static void sort_members(const pim_insn_names *k, const cJSON *o, members *m)
{
    memset(m, 0, sizeof *m);
    for (const cJSON *v = o->child; v; v = v->next) {
        const int i = lookup(&k->key_ix, v->string);
        if (i == k->k_op) {
            if (!m->op)
                m->op = v;
        } else if (m->bad) {
            continue;
        } else if (i == k->k_offset) {
            if (offset_ok(v))
                m->offset = v;
            else
                m->bad = v;
        } else if (i < 0) {
            m->bad = v;
        } else if (!m->field[i]) {
            m->field[i] = v;
        }
    }
}

/* The strict form refuses a number written with a fraction or exponent; an integral one
 * (0.0) is the pimcomp form, refused with the hint. */
static pim_status refuse_float(pim_insn_ctx *x, const cJSON *o, const members *m, const char *raw,
                               const char *raw_end)
{
    char fkey[64], lit[32];
    if (!pim_rd_find_float(raw, raw_end, fkey, sizeof fkey, lit, sizeof lit))
        return PIM_OK;
    static const char msg[] = "must be an integer, not a number with a fraction or exponent "
                              "(the pimcomp dialect writes 0.0)";
    const cJSON *v = member(o, fkey);
    if (!v && m->offset)
        v = member(m->offset, fkey);
    if (cJSON_IsNumber(v) && v->valuedouble > -9.2e18 && v->valuedouble < 9.2e18 &&
        v->valuedouble == (double)(int64_t)v->valuedouble) {
        char form[96];
        snprintf(form, sizeof form, "an integer written as %s", lit);
        return form_error(x, x->opn, fkey, msg, form);
    }
    if (x->opn == pim_op_name(PIM_OP_LLDI) && v == member(o, fkey) && strcmp(fkey, PIM_KEY(IMM)) == 0 &&
        v->valuedouble >= -128 && v->valuedouble <= 255) {
        char form[96];
        snprintf(form, sizeof form, "a fractional lldi imm %s", lit);
        return form_error(x, x->opn, fkey,
                          "must be an integer, not a number with a fraction or exponent (the "
                          "pimcomp dialect reads a fraction here as a fixed-point constant)",
                          form);
    }
    return insn_error(x, x->opn, fkey, "%s", msg);
}

/* Every field present, in the table's order, then the offset object's. */
static pim_status take_fields(pim_insn_ctx *x, const pim_insn_names *k, const members *m,
                              pim_insn *in)
{
    for (int f = 0; f < k->n_fields; f++) {
        pim_status st = m->field[f] ? take_field(x, in, k->keys[f], k->flag[f], m->field[f])
                                    : PIM_OK;
        if (st != PIM_OK)
            return st;
    }
    if (!m->offset)
        return PIM_OK;
    static const uint32_t sub[2] = {PIM_F_OFFSEL, PIM_F_OFFVAL};
    for (int i = 0; i < 2; i++) {
        const unsigned b = (unsigned)pim_field_bit(sub[i]);
        const cJSON *v = member(m->offset, pim_field_key(b));
        pim_status st = v ? take_field(x, in, pim_field_path(b), sub[i], v) : PIM_OK;
        if (st != PIM_OK)
            return st;
    }
    return PIM_OK;
}

/* pimcomp: the byte count of lmv/lldi given as "len", the register of send as "rd". */
static pim_status merge_pimcomp(pim_insn_ctx *x, pim_insn *in)
{
    const unsigned op = in->op;
    char d[160];
    if ((op == PIM_OP_LMV || op == PIM_OP_LLDI) && x->len_v) {
        if (in->len && in->len != (uint64_t)x->len_v) {
            snprintf(d, sizeof d, "%lld, but size is %u (both give the byte count of %s)",
                     (long long)x->len_v, in->len, x->opn);
            return insn_error(x, x->opn, PIM_KEY(LEN), "%s", d);
        }
        in->len = (uint32_t)x->len_v;
    }
    if (op == PIM_OP_SEND && x->rd_v) {
        if (in->rs1 && in->rs1 != x->rd_v) {
            snprintf(d, sizeof d, "%lld, but rs1 is %u (both name the register of send)",
                     (long long)x->rd_v, in->rs1);
            return insn_error(x, x->opn, PIM_KEY(RD), "%s", d);
        }
        in->rs1 = (uint8_t)x->rd_v;
    }
    return PIM_OK;
}

/* The rules that concern the whole instruction: widths given, register pairs (strict),
 * peer cores. */
static pim_status whole_rules(pim_insn_ctx *x, const pim_insn *in)
{
    const unsigned op = in->op;
    const char *opn = x->opn;
    const uint32_t need = pim_op_fields(op);
    if ((need & PIM_F_MBIW) && in->mbiw == 0)
        return insn_error(x, opn, PIM_KEY(MBIW), "%s", "missing (1..32)");
    if ((need & PIM_F_IBIW) && in->ibiw == 0)
        return insn_error(x, opn, PIM_KEY(IBIW), "%s", "missing (1..32)");
    if ((need & PIM_F_OBIW) && in->obiw == 0)
        return insn_error(x, opn, PIM_KEY(OBIW), "%s", "missing (1..32)");
    const uint64_t scratch = pim_golden_scratch_bytes(in);
    if (scratch > x->r->max_memory - (x->r->used < x->r->max_memory ? x->r->used : x->r->max_memory)) {
        char need_s[32], lim[32], m[200];
        pim_fmt_bytes(scratch, need_s, sizeof need_s);
        pim_fmt_bytes(x->r->max_memory, lim, sizeof lim);
        snprintf(m, sizeof m, "%llu elements need %s of element buffers, past the memory "
                 "budget of %s (--max-memory)", (unsigned long long)in->len, need_s, lim);
        return insn_error(x, opn, PIM_KEY(LEN), "%s", m);
    }
    if (x->r->dialect != PIM_DIALECT_PIMCOMP &&
        (op == PIM_OP_LD || op == PIM_OP_SLD || op == PIM_OP_ST)) {
        const int st_op = op == PIM_OP_ST;
        const unsigned reg = st_op ? in->rd : in->rs1;
        if (reg & 1u) {
            char form[96];
            snprintf(form, sizeof form, "a global address in one register (%s %u)",
                     st_op ? PIM_KEY(RD) : PIM_KEY(RS1), reg);
            return form_error(x, opn, st_op ? PIM_KEY(RD) : PIM_KEY(RS1),
                              st_op ? "must be even: a global address is the register pair rd, rd+1"
                                    : "must be even: a global address is the register pair rs1, "
                                      "rs1+1",
                              form);
        }
    }
    if (need & PIM_F_CORE) {
        char d[160];
        if (in->core >= x->n_cores) {
            snprintf(d, sizeof d, "core %u does not exist (the program has %u cores)", in->core,
                     x->n_cores);
            return insn_error(x, opn, PIM_KEY(CORE), "%s", d);
        }
        if ((op == PIM_OP_SEND || op == PIM_OP_RECV) && (long)in->core == x->core)
            return insn_error(x, opn, PIM_KEY(CORE), "%s",
                              "a core cannot send to or receive from itself");
    }
    return PIM_OK;
}

pim_status pim_parse_insn(pim_insn_ctx *x, const cJSON *o, const char *raw, const char *raw_end,
                          pim_insn *in)
{
    memset(in, 0, sizeof *in);
    x->len_v = x->rd_v = 0;
    x->has_frac = 0;
    x->frac_v = 0;
    if (!cJSON_IsObject(o))
        return insn_error(x, NULL, "", "%s", "an instruction must be a JSON object");
    char key[160], what[160];
    const char *at;
    if (pim_json_clean(o, raw, raw_end, key, sizeof key, what, sizeof what, &at) != 0) {
        const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "op");
        const int k = cJSON_IsString(op) ? lookup(&x->names->op_ix, op->valuestring) : -1;
        return insn_error(x, k >= 0 ? pim_op_name((unsigned)k) : NULL, key, "%s", what);
    }
    const pim_insn_names *k = x->names;
    members m;
    sort_members(k, o, &m);
    if (!m.op)
        return insn_error(x, NULL, "op", "%s", "missing");
    if (!cJSON_IsString(m.op))
        return insn_error(x, NULL, "op", "%s", "must be a string");
    const int op = lookup(&k->op_ix, m.op->valuestring);
    if (op < 0)
        return insn_error(x, NULL, "op", "unknown op '%s'", m.op->valuestring);
    in->op = (uint8_t)op;
    x->opn = pim_op_name((unsigned)op);
    x->takes = op_takes((unsigned)op, x->r->dialect);
    const int pc = x->r->dialect == PIM_DIALECT_PIMCOMP;
    pim_status st = pc ? PIM_OK : refuse_float(x, o, &m, raw, raw_end);
    /* misplaced members first, then the fields in the table's order (as tests/pyref does) */
    if (st == PIM_OK && m.bad)
        st = bad_member(x, x->opn, m.bad);
    if (st == PIM_OK)
        st = take_fields(x, k, &m, in);
    if (st == PIM_OK && pc)
        st = merge_pimcomp(x, in);
    if (st == PIM_OK)
        st = whole_rules(x, in);
    return st;
}
