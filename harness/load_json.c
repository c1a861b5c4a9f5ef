/*
 * load_json.c - PIMSIM-NN instruction streams and conformance vectors (pim_load.h).
 *
 * The top level of a stream (and of a vector) is walked member by member; cJSON parses one
 * value at a time (cJSON_ParseWithLengthOpts returns where it stopped; the length is the rest
 * of the document, as cJSON_ParseWithOpts would strlen it for every value), so a large stream
 * never sits in memory as one tree, and the raw text of every instruction is at hand (the
 * strict form refuses a float such as 0.0, which a parsed cJSON number cannot tell from 0).
 *
 * A stream is read in two passes (docs/dialects.md, "Loading"). Pass 1 walks the top level,
 * parses "config" and skips each core's array with a bracket counter that only finds its end
 * and counts its elements. Pass 2 parses the core arrays element by element, on several
 * threads when the stream is large: each thread takes whole arrays. The error a load reports
 * is always the one a one-thread load reports: the first array (in document order) that
 * fails is parsed again alone, which names the error. cJSON writes its global error record
 * on every parse (1.7.15 clears it first thing), so a parser thread never reads it: a syntax
 * error is only located single-threaded.
 */
#include "pim_load.h"
#include "load_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_arith.h"

/* ------------------------------------------------------------------ walking raw JSON */

typedef struct reader {
    const char *path;
    const char *base;    /* start of the document, for line/column */
    const char *lim;     /* end of the document (a NUL is there) */
    pim_error *err;
    pim_dialect dialect; /* forms accepted */
    int hint;            /* strict refusals of pimcomp forms end with the detection hint */
    int quiet;           /* a parser thread: syntax errors are only flagged, not located */
    char form[112];      /* set by a refusal of a pimcomp form: what the form was */
} reader;

static const char k_hint[] = " (this looks like PIMCOMP-NN output: try --dialect pimcomp)";

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static pim_status syntax(reader *r, const char *at, const char *what)
{
    if (r->quiet)
        return PIM_E_INPUT;
    pim_json_syntax_error(r->path, r->base, at, what, r->err);
    return PIM_E_INPUT;
}

/* Parses one JSON value at p; *end is set past it. NULL (error set) on bad JSON. */
static cJSON *value_at(reader *r, const char *p, const char **end)
{
    const char *e = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(p, (size_t)(r->lim - p) + 1, &e, 0);
    if (!v) {
        syntax(r, e ? e : p, "invalid JSON value");
        return NULL;
    }
    *end = e;
    return v;
}

typedef pim_status (*member_fn)(reader *r, void *ud, const char *key, const char *val,
                                const char **val_end);

/* Walks the object at p, calling fn for each member; fn consumes the value. */
static pim_status walk_object(reader *r, const char *p, const char **end, member_fn fn, void *ud)
{
    p = ws(p);
    if (*p != '{')
        return syntax(r, p, "expected an object");
    p = ws(p + 1);
    if (*p == '}') {
        *end = p + 1;
        return PIM_OK;
    }
    for (;;) {
        if (*p != '"')
            return syntax(r, p, "expected a member name");
        const char *kend;
        cJSON *k = value_at(r, p, &kend);
        if (!k)
            return PIM_E_INPUT;
        char key[96];
        snprintf(key, sizeof key, "%s", k->valuestring ? k->valuestring : "");
        cJSON_Delete(k);
        p = ws(kend);
        if (*p != ':')
            return syntax(r, p, "expected ':'");
        const char *vend = NULL;
        pim_status st = fn(r, ud, key, ws(p + 1), &vend);
        if (st != PIM_OK)
            return st;
        p = ws(vend);
        if (*p == ',') {
            p = ws(p + 1);
            continue;
        }
        if (*p == '}') {
            *end = p + 1;
            return PIM_OK;
        }
        return syntax(r, p, "expected ',' or '}'");
    }
}

/* The state of skip_array between bytes. */
typedef struct skip_state {
    size_t depth, commas; /* bracket depth; commas at depth 1 */
    int in_str, esc;      /* inside a string; the next byte is escaped */
} skip_state;

/* Steps through [p, e) byte by byte; 1 when the depth returns to 0 (*end past that byte). */
static int skip_bytes(skip_state *s, const char *p, const char *e, const char **end)
{
    for (; p < e; p++) {
        const char ch = *p;
        if (s->in_str) {
            if (s->esc)
                s->esc = 0;
            else if (ch == '\\')
                s->esc = 1;
            else if (ch == '"')
                s->in_str = 0;
            continue;
        }
        switch (ch) {
        case '"': s->in_str = 1; break;
        case '[': case '{': s->depth++; break;
        case ']': case '}':
            if (--s->depth == 0) {
                *end = p + 1;
                return 1;
            }
            break;
        case ',': s->commas += s->depth == 1; break;
        default: break;
        }
    }
    return 0;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bit i set where byte i of the 64 bytes at p equals ch. */
static uint64_t eq64(const char *p, char ch)
{
    const __m128i c = _mm_set1_epi8(ch);
    uint64_t m = 0;
    for (int i = 0; i < 4; i++) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        m |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c)) << (16 * i);
    }
    return m;
}

/* 64 bytes at once (simdjson's approach, without escapes: a block holding a backslash goes
 * byte by byte). 1 when the depth returns to 0 in the block. */
static int skip_block(skip_state *s, const char *p, const char **end)
{
    if (s->esc || eq64(p, '\\'))
        return skip_bytes(s, p, p + 64, end);
    uint64_t inside = eq64(p, '"'); /* prefix xor of the quotes: 1 from an opening quote */
    inside ^= inside << 1;
    inside ^= inside << 2;
    inside ^= inside << 4;
    inside ^= inside << 8;
    inside ^= inside << 16;
    inside ^= inside << 32;
    if (s->in_str)
        inside = ~inside;
    s->in_str = (int)(inside >> 63);
    const uint64_t open = (eq64(p, '{') | eq64(p, '[')) & ~inside;
    const uint64_t close = (eq64(p, '}') | eq64(p, ']')) & ~inside;
    const uint64_t comma = eq64(p, ',') & ~inside;
    uint64_t ev = open | close, from = ~(uint64_t)0; /* commas not yet counted: bits >= from */
    while (ev) {
        const int i = __builtin_ctzll(ev);
        const uint64_t bit = (uint64_t)1 << i;
        if (s->depth == 1)
            s->commas += (size_t)__builtin_popcountll(comma & from & (bit - 1));
        from = ~((bit << 1) - 1);
        if (open & bit) {
            s->depth++;
        } else if (--s->depth == 0) {
            *end = p + i + 1;
            return 1;
        }
        ev &= ev - 1;
    }
    if (s->depth == 1)
        s->commas += (size_t)__builtin_popcountll(comma & from);
    return 0;
}
#endif

/* The end of the array starting at p ('['), found without parsing it: brackets and braces
 * are counted outside strings, nothing else is checked (pass 2 parses the array). *count is
 * its number of elements (exact when the array is well formed). NULL when the document ends
 * first. */
static const char *skip_array(const char *p, const char *lim, size_t *count)
{
    skip_state s = {0, 0, 0, 0};
    const char *end = NULL;
    const int empty = *ws(p + 1) == ']';
#if defined(__SSE2__)
    for (; lim - p >= 64; p += 64)
        if (skip_block(&s, p, &end))
            break;
#endif
    if (!end && !skip_bytes(&s, p, lim, &end))
        return NULL;
    *count = empty ? 0 : s.commas + 1;
    return end;
}

/* Finds a number literal written with a fraction or exponent in [p, e); on success copies the
 * member name it belongs to into key and the literal into lit. */
static int find_float(const char *p, const char *e, char *key, size_t keyn, char *lit,
                      size_t litn)
{
    const char *last_str = NULL;
    size_t last_len = 0;
    while (p < e) {
        if (*p == '"') {
            const char *s = ++p;
            while (p < e && *p != '"')
                p += (*p == '\\') ? 2 : 1;
            last_str = s;
            last_len = (size_t)(p - s);
            p++;
            continue;
        }
        if ((*p >= '0' && *p <= '9') || *p == '-') {
            const char *n0 = p;
            int is_float = 0;
            while (p < e && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
                             *p == 'e' || *p == 'E')) {
                is_float |= *p == '.' || *p == 'e' || *p == 'E';
                p++;
            }
            if (is_float) {
                snprintf(key, keyn, "%.*s", (int)(last_len < keyn ? last_len : keyn - 1),
                         last_str ? last_str : "");
                snprintf(lit, litn, "%.*s", (int)(p - n0), n0);
                return 1;
            }
            continue;
        }
        p++;
    }
    return 0;
}

/* "core12" -> 12; -1 when the key is not a core name. */
static long core_key(const char *key)
{
    if (strncmp(key, "core", 4) != 0 || key[4] < '0' || key[4] > '9')
        return -1;
    if (key[4] == '0' && key[5] != '\0')
        return -1;
    char *e;
    long v = strtol(key + 4, &e, 10);
    return (*e == '\0' && v >= 0 && v < PIM_MAX_CORES) ? v : -1;
}

/* ------------------------------------------------------------------ instructions */

typedef struct field_spec {
    const char *name;
    uint32_t flag;
} field_spec;

/* The fields in the order they are checked (as tests/pyref does). */
static const field_spec k_fields[] = {
    {"rd", PIM_F_RD},         {"rs1", PIM_F_RS1},       {"rs2", PIM_F_RS2},
    {"imm", PIM_F_IMM},       {"len", PIM_F_LEN},       {"size", PIM_F_SIZE},
    {"core", PIM_F_CORE},     {"mbiw", PIM_F_MBIW},     {"group", PIM_F_GROUP},
    {"relu", PIM_F_RELU},     {"ibiw", PIM_F_IBIW},     {"obiw", PIM_F_OBIW},
    {"event_register", PIM_F_EV}, {"wait_value", PIM_F_WVAL}, {"offset_value", PIM_F_SOFF},
};
enum { NF = sizeof k_fields / sizeof k_fields[0], K_UNKNOWN = -1, K_OP = -2, K_OFFSET = -3 };

/* Index of a member name in k_fields, or K_OP, K_OFFSET, K_UNKNOWN (one string compare). */
static int key_slot(const char *k)
{
    const char *want;
    int slot;
    switch (k[0]) {
    case 'r':
        if (k[1] == 'd' && k[2] == '\0')
            return 0;
        if (k[1] == 's' && (k[2] == '1' || k[2] == '2') && k[3] == '\0')
            return k[2] == '1' ? 1 : 2;
        want = "relu", slot = 9;
        break;
    case 'i':
        if (k[1] == 'm')
            want = "imm", slot = 3;
        else
            want = "ibiw", slot = 10;
        break;
    case 'l': want = "len", slot = 4; break;
    case 's': want = "size", slot = 5; break;
    case 'c': want = "core", slot = 6; break;
    case 'm': want = "mbiw", slot = 7; break;
    case 'g': want = "group", slot = 8; break;
    case 'e': want = "event_register", slot = 12; break;
    case 'w': want = "wait_value", slot = 13; break;
    case 'o':
        if (k[1] == 'p' && k[2] == '\0')
            return K_OP;
        if (strcmp(k, "obiw") == 0)
            return 11;
        if (strcmp(k, "offset") == 0)
            return K_OFFSET;
        want = "offset_value", slot = 14;
        break;
    default: return K_UNKNOWN;
    }
    return strcmp(k, want) == 0 ? slot : K_UNKNOWN;
}

/* Op names by first letter, for a lookup with few string compares. */
typedef struct op_index {
    uint8_t n[26];
    uint8_t ops[26][PIM_OP_COUNT];
} op_index;

static void op_index_init(op_index *x)
{
    memset(x, 0, sizeof *x);
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        const char *n = pim_op_name(op);
        if (n && n[0] >= 'a' && n[0] <= 'z')
            x->ops[n[0] - 'a'][x->n[n[0] - 'a']++] = (uint8_t)op;
    }
}

static int op_lookup(const op_index *x, const char *s)
{
    if (s[0] < 'a' || s[0] > 'z')
        return -1;
    const unsigned l = (unsigned)(s[0] - 'a');
    for (unsigned i = 0; i < x->n[l]; i++)
        if (strcmp(pim_op_name(x->ops[l][i]), s) == 0)
            return x->ops[l][i];
    return -1;
}

typedef struct insn_ctx {
    reader *r;
    const op_index *ops;
    uint32_t n_cores;
    long core;
    size_t index;
    const char *opn;     /* the op's name, once known */
    uint32_t takes;      /* the fields it takes in the dialect (op_takes) */
    int64_t len_v, rd_v; /* pimcomp: lmv/lldi "len", send "rd" (merged after the fields) */
} insn_ctx;

static pim_status insn_error(insn_ctx *x, const char *op, const char *field, const char *fmt,
                             const char *detail)
{
    pim_error_set(x->r->err, PIM_E_INPUT, x->core, (long)x->index, field, fmt, detail);
    pim_error_set_file(x->r->err, x->r->path);
    pim_error_set_op(x->r->err, op ? op : "");
    return PIM_E_INPUT;
}

/* A strict refusal of a pimcomp form: the message gains the detection hint (streams only)
 * and r->form records the form for --dialect auto's notice. */
static pim_status form_error(insn_ctx *x, const char *op, const char *field, const char *msg,
                             const char *form)
{
    char m[PIM_ERROR_MSG_MAX];
    snprintf(m, sizeof m, "%s%s", msg, x->r->hint ? k_hint : "");
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
    case PIM_F_CORE: in->core = (uint32_t)v; break;
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
static pim_status take_field(insn_ctx *x, pim_insn *in, const char *name, uint32_t flag,
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

/* Refuses the first member of an instruction that has no place in it. */
static pim_status bad_member(insn_ctx *x, const char *opn, const cJSON *m)
{
    if (strcmp(m->string, "offset") != 0)
        return insn_error(x, opn, m->string, "%s", "unknown key");
    if (!cJSON_IsObject(m))
        return insn_error(x, opn, "offset", "%s", "must be an object {offset_select, offset_value}");
    for (const cJSON *s = m->child; s; s = s->next)
        if (strcmp(s->string, "offset_select") != 0 && strcmp(s->string, "offset_value") != 0) {
            char f[80];
            snprintf(f, sizeof f, "offset.%.60s", s->string);
            return insn_error(x, opn, f, "%s", "unknown key");
        }
    return insn_error(x, opn, m->string, "%s", "unknown key"); /* not reached */
}

static int offset_ok(const cJSON *m)
{
    if (!cJSON_IsObject(m))
        return 0;
    for (const cJSON *s = m->child; s; s = s->next)
        if (strcmp(s->string, "offset_select") != 0 && strcmp(s->string, "offset_value") != 0)
            return 0;
    return 1;
}

static pim_status parse_insn(insn_ctx *x, const cJSON *o, const char *raw, const char *raw_end,
                             pim_insn *in)
{
    memset(in, 0, sizeof *in);
    x->len_v = x->rd_v = 0;
    if (!cJSON_IsObject(o))
        return insn_error(x, NULL, "", "%s", "an instruction must be a JSON object");
    /* one pass over the members: the first of each field, the first misplaced member */
    const cJSON *slot[NF] = {0};
    const cJSON *opv = NULL, *offset = NULL, *bad = NULL;
    for (const cJSON *m = o->child; m; m = m->next) {
        const int k = key_slot(m->string);
        if (k == K_OP) {
            if (!opv)
                opv = m;
        } else if (bad) {
            continue;
        } else if (k == K_OFFSET) {
            if (offset_ok(m))
                offset = m;
            else
                bad = m;
        } else if (k == K_UNKNOWN) {
            bad = m;
        } else if (!slot[k]) {
            slot[k] = m;
        }
    }
    if (!opv)
        return insn_error(x, NULL, "op", "%s", "missing");
    if (!cJSON_IsString(opv))
        return insn_error(x, NULL, "op", "%s", "must be a string");
    const int op = op_lookup(x->ops, opv->valuestring);
    if (op < 0)
        return insn_error(x, NULL, "op", "unknown op '%s'", opv->valuestring);
    in->op = (uint8_t)op;
    const char *opn = pim_op_name((unsigned)op);
    const int pc = x->r->dialect == PIM_DIALECT_PIMCOMP;
    x->opn = opn;
    x->takes = op_takes((unsigned)op, x->r->dialect);
    char fkey[64], lit[32];
    if (!pc && find_float(raw, raw_end, fkey, sizeof fkey, lit, sizeof lit)) {
        static const char msg[] = "must be an integer, not a number with a fraction or exponent "
                                  "(the pimcomp dialect writes 0.0)";
        /* an integral value is the pimcomp form */
        const cJSON *v = member(o, fkey);
        if (!v && offset)
            v = member(offset, fkey);
        if (cJSON_IsNumber(v) && v->valuedouble > -9.2e18 && v->valuedouble < 9.2e18 &&
            v->valuedouble == (double)(int64_t)v->valuedouble) {
            char form[96];
            snprintf(form, sizeof form, "an integer written as %s", lit);
            return form_error(x, opn, fkey, msg, form);
        }
        return insn_error(x, opn, fkey, "%s", msg);
    }
    /* misplaced members first, then the fields in the table's order (as tests/pyref does) */
    if (bad)
        return bad_member(x, opn, bad);
    for (size_t f = 0; f < NF; f++) {
        pim_status st = slot[f] ? take_field(x, in, k_fields[f].name, k_fields[f].flag, slot[f])
                                : PIM_OK;
        if (st != PIM_OK)
            return st;
    }
    if (offset) {
        const cJSON *sel = member(offset, "offset_select");
        const cJSON *val = member(offset, "offset_value");
        pim_status st = PIM_OK;
        if (sel)
            st = take_field(x, in, "offset.offset_select", PIM_F_OFFSEL, sel);
        if (st == PIM_OK && val)
            st = take_field(x, in, "offset.offset_value", PIM_F_OFFVAL, val);
        if (st != PIM_OK)
            return st;
    }
    /* whole-instruction rules */
    char d[160];
    if (pc && (op == PIM_OP_LMV || op == PIM_OP_LLDI) && x->len_v) {
        if (in->len && in->len != (uint64_t)x->len_v) {
            snprintf(d, sizeof d, "%lld, but size is %u (both give the byte count of %s)",
                     (long long)x->len_v, in->len, opn);
            return insn_error(x, opn, "len", "%s", d);
        }
        in->len = (uint32_t)x->len_v;
    }
    if (pc && op == PIM_OP_SEND && x->rd_v) {
        if (in->rs1 && in->rs1 != x->rd_v) {
            snprintf(d, sizeof d, "%lld, but rs1 is %u (both name the register of send)",
                     (long long)x->rd_v, in->rs1);
            return insn_error(x, opn, "rd", "%s", d);
        }
        in->rs1 = (uint8_t)x->rd_v;
    }
    const uint32_t need = pim_op_fields((unsigned)op);
    if ((need & PIM_F_MBIW) && in->mbiw == 0)
        return insn_error(x, opn, "mbiw", "%s", "missing (1..32)");
    if ((need & PIM_F_IBIW) && in->ibiw == 0)
        return insn_error(x, opn, "ibiw", "%s", "missing (1..32)");
    if ((need & PIM_F_OBIW) && in->obiw == 0)
        return insn_error(x, opn, "obiw", "%s", "missing (1..32)");
    if (!pc && (op == PIM_OP_LD || op == PIM_OP_SLD || op == PIM_OP_ST)) {
        const int st_op = op == PIM_OP_ST;
        const unsigned reg = st_op ? in->rd : in->rs1;
        if (reg & 1u) {
            char form[96];
            snprintf(form, sizeof form, "a global address in one register (%s %u)",
                     st_op ? "rd" : "rs1", reg);
            return form_error(x, opn, st_op ? "rd" : "rs1",
                              st_op ? "must be even: a global address is the register pair rd, rd+1"
                                    : "must be even: a global address is the register pair rs1, "
                                      "rs1+1",
                              form);
        }
    }
    if (need & PIM_F_CORE) {
        if (in->core >= x->n_cores) {
            snprintf(d, sizeof d, "core %u does not exist (the program has %u cores)", in->core,
                     x->n_cores);
            return insn_error(x, opn, "core", "%s", d);
        }
        if ((op == PIM_OP_SEND || op == PIM_OP_RECV) && (long)in->core == x->core)
            return insn_error(x, opn, "core", "%s", "a core cannot send to or receive from itself");
    }
    return PIM_OK;
}

/* ------------------------------------------------------------------ the input region */

/* The end of the global memory the reads of one core's instructions reach (docs/dialects.md,
 * "The input region"): registers are followed as known constants from sldi and the scalar
 * arithmetic; an ld or sld whose address is not known gives the whole memory (gsize). */
static uint64_t input_end(const pim_insn *v, size_t n, pim_dialect d, uint64_t gsize)
{
    uint32_t val[PIM_NREGS] = {0};
    uint32_t known = UINT32_MAX;
    uint64_t end = 0;
#define KNOWN(r) ((known >> (r)) & 1u)
    for (size_t i = 0; i < n; i++) {
        const pim_insn *in = &v[i];
        uint32_t r = 0, size = 0;
        int64_t off = 0;
        switch (in->op) {
        case PIM_OP_SLDI: val[in->rd] = in->imm; known |= 1u << in->rd; continue;
        case PIM_OP_SADD: case PIM_OP_SSUB: case PIM_OP_SMUL: {
            const uint32_t a = val[in->rs1], b = val[in->rs2];
            const int k = KNOWN(in->rs1) && KNOWN(in->rs2);
            val[in->rd] = in->op == PIM_OP_SADD ? a + b : in->op == PIM_OP_SSUB ? a - b : a * b;
            known = k ? known | 1u << in->rd : known & ~(1u << in->rd);
            continue;
        }
        case PIM_OP_SADDI: case PIM_OP_SMULI: {
            const uint32_t a = val[in->rs1];
            const int k = KNOWN(in->rs1);
            val[in->rd] = in->op == PIM_OP_SADDI ? a + in->imm : a * in->imm;
            known = k ? known | 1u << in->rd : known & ~(1u << in->rd);
            continue;
        }
        case PIM_OP_LD:
            r = in->rs1, size = in->len, off = (in->offset_select & 2u) ? in->offset : 0;
            break;
        case PIM_OP_SLD: r = in->rs1, size = 4, off = in->offset; break;
        default: continue;
        }
        if (size > 0) {
            uint64_t a;
            if (d == PIM_DIALECT_PIMCOMP) {
                if (!KNOWN(r))
                    return gsize;
                a = val[r];
            } else {
                if (r + 1 >= PIM_NREGS || !KNOWN(r) || !KNOWN(r + 1))
                    return gsize;
                a = (uint64_t)val[r] << 32 | val[r + 1];
            }
            uint64_t e = gsize;
            if (a < gsize) {
                const int64_t x = (int64_t)a + off + (int64_t)size;
                e = x < 0 ? 0 : (uint64_t)x;
            }
            if (e > end)
                end = e < gsize ? e : gsize;
        }
        if (in->op == PIM_OP_SLD)
            known &= ~(1u << in->rd);
    }
#undef KNOWN
    return end;
}

/* ------------------------------------------------------------------ cJSON's allocations */

/*
 * cJSON allocates every node and every string with its malloc hook: parsing a million
 * instructions that way spent a fifth of a load in malloc and free. While a parser thread
 * parses one instruction, cJSON's allocations come from that thread's arena instead, which
 * is reset before the next one (cJSON_Delete runs only when something did not fit; its
 * frees of arena memory do nothing). cJSON's hooks are process-wide: they are installed once,
 * and outside a parser (tl_arena NULL) they are plain malloc and free.
 */
typedef struct arena {
    uintptr_t base;
    size_t used, cap;
    int spilled; /* an allocation did not fit: cJSON_Delete must free it */
} arena;

static _Thread_local arena *tl_arena;

static void *arena_malloc(size_t n)
{
    arena *a = tl_arena;
    if (a) {
        n = (n + 15) & ~(size_t)15;
        if (n <= a->cap - a->used) {
            void *q = (void *)(a->base + a->used);
            a->used += n;
            return q;
        }
        a->spilled = 1;
    }
    return malloc(n);
}

static void arena_free(void *q)
{
    arena *a = tl_arena;
    if (a && (uintptr_t)q - a->base < a->cap)
        return;
    free(q);
}

static void install_hooks(void)
{
    cJSON_Hooks h = {arena_malloc, arena_free};
    cJSON_InitHooks(&h);
}

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

/* ------------------------------------------------------------------ streams */

/* A core's array in the document, found by pass 1. */
typedef struct core_span {
    long core;
    const char *start, *end; /* '[' .. past ']' */
    size_t count;            /* elements (exact when well formed) */
} core_span;

typedef struct stream_ctx {
    pim_program *p;        /* NULL during the first pass (counting cores) */
    cJSON *config;         /* the stream's "config" member (owned) */
    long max_core;
    uint32_t seen[PIM_MAX_CORES / 32];
    core_span *spans;      /* document order, owned */
    size_t n_spans, cap_spans;
    op_index ops;
} stream_ctx;

/* Pass 1: find "config" and the core names; skip the arrays (parsed in pass 2). */
static pim_status stream_scan(reader *r, void *ud, const char *key, const char *val,
                              const char **end)
{
    stream_ctx *s = ud;
    if (strcmp(key, "config") == 0) {
        if (s->config)
            return syntax(r, val, "\"config\" appears twice");
        s->config = value_at(r, val, end);
        return s->config ? PIM_OK : PIM_E_INPUT;
    }
    const long c = core_key(key);
    if (c < 0) {
        pim_error_set(r->err, PIM_E_INPUT, -1, -1, key,
                      "unknown key (a stream has \"config\" and \"core0\", \"core1\", ...)");
        pim_error_set_file(r->err, r->path);
        return PIM_E_INPUT;
    }
    if (s->seen[c / 32] >> (c % 32) & 1u) {
        pim_error_set(r->err, PIM_E_INPUT, c, -1, key, "core appears twice");
        pim_error_set_file(r->err, r->path);
        return PIM_E_INPUT;
    }
    s->seen[c / 32] |= 1u << (c % 32);
    if (c > s->max_core)
        s->max_core = c;
    size_t count = 0;
    const char *e = *val == '[' ? skip_array(val, r->lim, &count) : NULL;
    if (!e) { /* not an array, or it does not end: cJSON names the syntax error, if any */
        cJSON *v = value_at(r, val, end);
        if (!v)
            return PIM_E_INPUT;
        const int arr = cJSON_IsArray(v);
        cJSON_Delete(v);
        if (arr)
            return syntax(r, val, "the array does not end");
        pim_error_set(r->err, PIM_E_INPUT, c, -1, key, "must be an array of instructions");
        pim_error_set_file(r->err, r->path);
        return PIM_E_INPUT;
    }
    if (s->n_spans == s->cap_spans) {
        const size_t cap = s->cap_spans ? 2 * s->cap_spans : 64;
        core_span *q = realloc(s->spans, cap * sizeof *q);
        if (!q)
            return pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        s->spans = q;
        s->cap_spans = cap;
    }
    s->spans[s->n_spans++] = (core_span){c, val, e, count};
    *end = e;
    return PIM_OK;
}

/* Gives core c room for cap instructions. cap is a power of two of at least 16, the capacity
 * pim_program_append assumes, so that appending later still works. */
static pim_status grow_insns(pim_program *p, uint32_t c, size_t cap)
{
    pim_insn *q = realloc(p->insns[c], cap * sizeof *q);
    if (!q)
        return PIM_E_NOMEM;
    p->insns[c] = q;
    return PIM_OK;
}

/* Pass 2 for one core: parses its array element by element into the program. *in_end gets
 * the end of the global memory its reads reach. */
static pim_status read_core(reader *r, stream_ctx *s, const core_span *sp, uint64_t *in_end)
{
    pim_program *p = s->p;
    const uint32_t c = (uint32_t)sp->core;
    p->n_insns[c] = 0;
    size_t cap = 0;
    if (sp->count) {
        cap = 16;
        while (cap < sp->count)
            cap *= 2;
        if (grow_insns(p, c, cap) != PIM_OK)
            return pim_error_set(r->err, PIM_E_NOMEM, sp->core, -1, "", "out of memory");
    }
    pim_insn *v = p->insns[c];
    size_t n = 0;
    const char *q = ws(sp->start + 1);
    if (*q != ']') {
        for (size_t i = 0;; i++) {
            const char *e = NULL;
            arena *a = tl_arena;
            if (a)
                a->used = 0, a->spilled = 0;
            cJSON *o = value_at(r, q, &e);
            if (!o)
                return PIM_E_INPUT;
            insn_ctx x = {r, &s->ops, p->n_cores, sp->core, i, NULL, 0, 0, 0};
            pim_insn in;
            pim_status st = parse_insn(&x, o, q, e, &in);
            /* all in the arena (the hooks are ours): the reset frees it */
            if (!a || a->spilled || (uintptr_t)o - a->base >= a->cap)
                cJSON_Delete(o);
            if (st != PIM_OK)
                return st;
            if (i >= cap) { /* more than counted: malformed, an error follows */
                cap = cap ? 2 * cap : 16;
                if (grow_insns(p, c, cap) != PIM_OK)
                    return pim_error_set(r->err, PIM_E_NOMEM, sp->core, (long)i, "",
                                         "out of memory");
                v = p->insns[c];
            }
            v[i] = in; /* n_insns[c] is set at the end: threads writing it would share lines */
            n = i + 1;
            q = ws(e);
            if (*q == ',') {
                q = ws(q + 1);
                continue;
            }
            if (*q == ']')
                break;
            return syntax(r, q, "expected ',' or ']'");
        }
    }
    p->n_insns[c] = n;
    *in_end = input_end(v, n, r->dialect, p->cfg.global_mem_size);
    return PIM_OK;
}

/* Pass 2, shared by its threads. */
typedef struct pass2 {
    stream_ctx *s;
    const reader *proto;     /* path, document, dialect of every thread's reader */
    const size_t *order;     /* span indices, largest first */
    atomic_size_t next;      /* next entry of order to take */
    atomic_size_t first_bad; /* smallest failed span index; n_spans when none */
    uint64_t *in_end;        /* per span */
} pass2;

static void *pass2_worker(void *arg)
{
    pass2 *w = arg;
    const size_t n = w->s->n_spans;
    pim_error e;
    pim_error_clear(&e);
    reader r = *w->proto;
    r.err = &e;
    r.quiet = 1;
    arena a = {0, 0, 16384, 0};
    void *mem = malloc(a.cap);
    a.base = (uintptr_t)mem;
    tl_arena = mem ? &a : NULL;
    for (;;) {
        const size_t k = atomic_fetch_add(&w->next, 1);
        if (k >= n)
            break;
        const size_t j = w->order[k];
        if (j > atomic_load(&w->first_bad))
            continue; /* an earlier array failed: this one cannot be the first error */
        if (read_core(&r, w->s, &w->s->spans[j], &w->in_end[j]) != PIM_OK) {
            size_t cur = atomic_load(&w->first_bad);
            while (j < cur && !atomic_compare_exchange_weak(&w->first_bad, &cur, j))
                ;
        }
    }
    tl_arena = NULL;
    free(mem);
    return NULL;
}

typedef struct span_size {
    size_t bytes, index;
} span_size;

static int by_size_desc(const void *a, const void *b)
{
    const span_size *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Threads for pass 2: the wish (0 = automatic: the online processors, up to 4, as every
 * number cJSON parses writes glibc's one localeconv() record, which threads then share; 1
 * for a document under 1 MiB), never more than arrays. */
static int pass2_threads(int want, size_t doc_bytes, size_t n_spans)
{
    if (want <= 0) {
        const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        want = doc_bytes < ((size_t)1 << 20) ? 1 : cpus < 1 ? 1 : cpus > 4 ? 4 : (int)cpus;
    }
    if ((size_t)want > n_spans)
        want = n_spans ? (int)n_spans : 1;
    return want;
}

/* Pass 2 over every core's array, on `threads` threads; sets p->gmem_input_end. */
static pim_status stream_read(reader *r, stream_ctx *s, int threads)
{
    const size_t n = s->n_spans;
    pim_program *p = s->p;
    p->gmem_input_end = 0;
    if (n == 0)
        return PIM_OK;
    size_t *order = malloc(n * sizeof *order);
    span_size *sz = malloc(n * sizeof *sz);
    uint64_t *in_end = calloc(n, sizeof *in_end);
    if (!order || !sz || !in_end) {
        free(order);
        free(sz);
        free(in_end);
        return pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    for (size_t j = 0; j < n; j++)
        sz[j] = (span_size){(size_t)(s->spans[j].end - s->spans[j].start), j};
    qsort(sz, n, sizeof *sz, by_size_desc);
    for (size_t j = 0; j < n; j++)
        order[j] = sz[j].index;
    free(sz);

    pthread_once(&hooks_once, install_hooks);
    pass2 w = {.s = s, .proto = r, .order = order, .in_end = in_end};
    atomic_init(&w.next, 0);
    atomic_init(&w.first_bad, n);
    pthread_t tid[8];
    int started = 0;
    for (int t = 1; t < threads && t < 8; t++) {
        if (pthread_create(&tid[started], NULL, pass2_worker, &w) != 0)
            break; /* fewer threads: the work is shared all the same */
        started++;
    }
    pass2_worker(&w);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);

    pim_status st = PIM_OK;
    const size_t bad = atomic_load(&w.first_bad);
    if (bad < n) {
        /* the first array in document order that failed, again, alone: its error is the one a
         * one-thread load reports */
        uint64_t ignored;
        st = read_core(r, s, &s->spans[bad], &ignored);
        if (st == PIM_OK) /* it failed for want of memory only */
            st = pim_error_set(r->err, PIM_E_NOMEM, s->spans[bad].core, -1, "", "out of memory");
    } else {
        for (size_t j = 0; j < n; j++)
            if (in_end[j] > p->gmem_input_end)
                p->gmem_input_end = in_end[j];
    }
    free(order);
    free(in_end);
    return st;
}

/* Applies the stream's "config": core count, crossbar knobs agreement, array_group_map. */
static pim_status stream_config(reader *r, stream_ctx *s, const pim_config *arch,
                                int core_cnt_given, pim_config *cfg)
{
    *cfg = *arch;
    long n = s->max_core + 1;
    const cJSON *sc = s->config;
    pim_error *err = r->err;
    pim_status st = PIM_OK;
    if (sc && !cJSON_IsObject(sc))
        st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config", "must be an object");
    const cJSON *cc = sc ? cJSON_GetObjectItemCaseSensitive(sc, "core_cnt") : NULL;
    if (st == PIM_OK && cc) {
        int64_t v;
        st = pim_json_int(cc, "config.core_cnt", 1, PIM_MAX_CORES, 0, &v, err);
        if (st == PIM_OK && v < n)
            st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config.core_cnt",
                               "%lld, but the stream has core%ld", (long long)v, n - 1);
        n = (long)v;
    }
    if (st == PIM_OK && n < 1)
        st = pim_error_set(err, PIM_E_INPUT, -1, -1, "core0", "the stream has no core");
    if (st == PIM_OK && core_cnt_given && (uint32_t)n > arch->core_cnt)
        st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config.core_cnt",
                           "the stream needs %ld cores, the architecture has %u", n,
                           arch->core_cnt);
    /* knobs the compiler records must match the architecture the stream runs on */
    struct { const char *key; uint32_t want; } knobs[] = {
        {"cell_precision", arch->cell_precision},
        {"xbar_array_count", arch->xbar_array_count},
    };
    for (size_t i = 0; st == PIM_OK && sc && i < sizeof knobs / sizeof knobs[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(sc, knobs[i].key);
        int64_t x;
        char field[64];
        snprintf(field, sizeof field, "config.%s", knobs[i].key);
        if (v && (st = pim_json_int(v, field, 0, INT32_MAX, 0, &x, err)) == PIM_OK &&
            (uint32_t)x != knobs[i].want)
            st = pim_error_set(err, PIM_E_INPUT, -1, -1, field,
                               "%lld, but the architecture config says %u", (long long)x,
                               knobs[i].want);
    }
    const cJSON *xs = sc ? cJSON_GetObjectItemCaseSensitive(sc, "xbar_size") : NULL;
    if (st == PIM_OK && xs) {
        int64_t a = 0, b = 0;
        if (!cJSON_IsArray(xs) || cJSON_GetArraySize(xs) != 2 ||
            pim_json_int(cJSON_GetArrayItem(xs, 0), "config.xbar_size", 1, 1 << 20, 0, &a, err) ||
            pim_json_int(cJSON_GetArrayItem(xs, 1), "config.xbar_size", 1, 1 << 20, 0, &b, err) ||
            (uint32_t)a != arch->xbar_rows || (uint32_t)b != arch->xbar_cols)
            st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config.xbar_size",
                               "must be [%u, %u] as in the architecture config", arch->xbar_rows,
                               arch->xbar_cols);
    }
    if (st != PIM_OK) {
        pim_error_set_file(err, r->path);
        return st;
    }
    cfg->core_cnt = (uint32_t)n;
    return PIM_OK;
}

/* Groups from config.array_group_map: core -> crossbar count of each group. The group's
 * mbiw is that of the mvmul instructions using it (they must agree); unused groups are
 * not created. Weights are filled from the run's seed. One pass over each listed core's
 * instructions finds every group's mbiw and its first disagreement. */
static pim_status stream_groups(reader *r, stream_ctx *s)
{
    const cJSON *map = s->config ? cJSON_GetObjectItemCaseSensitive(s->config, "array_group_map")
                                 : NULL;
    pim_program *p = s->p;
    pim_error *err = r->err;
    if (!map)
        return PIM_OK;
    if (!cJSON_IsObject(map)) {
        pim_error_set(err, PIM_E_INPUT, -1, -1, "config.array_group_map", "must be an object");
        pim_error_set_file(err, r->path);
        return PIM_E_INPUT;
    }
    for (const cJSON *m = map->child; m; m = m->next) {
        const long c = core_key(m->string);
        if (c < 0 || (uint32_t)c >= p->n_cores || !cJSON_IsArray(m)) {
            pim_error_set(err, PIM_E_INPUT, c, -1, "config.array_group_map",
                          "member '%s' must name a core of the program and hold an array",
                          m->string);
            pim_error_set_file(err, r->path);
            return PIM_E_INPUT;
        }
        const size_t ng = (size_t)cJSON_GetArraySize(m);
        long *mbiw = malloc((ng ? ng : 1) * sizeof *mbiw);
        size_t *clash = malloc((ng ? ng : 1) * sizeof *clash); /* first disagreeing mvmul */
        if (!mbiw || !clash) {
            free(mbiw);
            free(clash);
            return pim_error_set(err, PIM_E_NOMEM, c, -1, "", "out of memory");
        }
        for (size_t g = 0; g < ng; g++) {
            mbiw[g] = -1;
            clash[g] = SIZE_MAX;
        }
        for (size_t i = 0; i < p->n_insns[c]; i++) {
            const pim_insn *in = &p->insns[c][i];
            if (in->op != PIM_OP_MVMUL || in->group >= ng)
                continue;
            if (mbiw[in->group] < 0)
                mbiw[in->group] = in->mbiw;
            else if (mbiw[in->group] != in->mbiw && clash[in->group] == SIZE_MAX)
                clash[in->group] = i;
        }
        pim_status st = PIM_OK;
        size_t gi = 0;
        for (const cJSON *e = m->child; e && st == PIM_OK; e = e->next, gi++) {
            int64_t k;
            if (pim_json_int(e, "config.array_group_map", 1, 65536, 0, &k, err) != PIM_OK) {
                err->core = c;
                pim_error_set_file(err, r->path);
                st = PIM_E_INPUT;
            } else if (clash[gi] != SIZE_MAX) {
                pim_error_set(err, PIM_E_INPUT, c, (long)clash[gi], "mbiw",
                              "group %zu is used with mbiw %ld and %u", gi, mbiw[gi],
                              p->insns[c][clash[gi]].mbiw);
                pim_error_set_op(err, "mvmul");
                pim_error_set_file(err, r->path);
                st = PIM_E_INPUT;
            } else if (mbiw[gi] >= 0) {
                pim_group g = {(uint32_t)c, (uint32_t)gi, (uint32_t)mbiw[gi], p->cfg.xbar_rows,
                               pim_config_cols_per_xbar(&p->cfg, (uint32_t)mbiw[gi]) * (uint32_t)k,
                               NULL};
                st = pim_program_add_group(p, &g, err);
                if (st != PIM_OK)
                    pim_error_set_file(err, r->path);
            }
        }
        free(mbiw);
        free(clash);
        if (st != PIM_OK)
            return st;
    }
    return PIM_OK;
}

/* Reads a stream whose text is [text ...] into a new program for arch, in r->dialect, on
 * `threads` parser threads (0: automatic). */
static pim_status read_stream(reader *r, const char *text, const char **end, const pim_config *arch,
                              int core_cnt_given, int threads, pim_program **out)
{
    *out = NULL;
    stream_ctx s;
    memset(&s, 0, sizeof s);
    s.max_core = -1;
    op_index_init(&s.ops);
    r->form[0] = '\0';
    pim_status st = walk_object(r, text, end, stream_scan, &s);
    pim_config cfg;
    if (st == PIM_OK)
        st = stream_config(r, &s, arch, core_cnt_given, &cfg);
    if (st == PIM_OK) {
        s.p = pim_program_new(&cfg);
        if (!s.p)
            st = pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    if (st == PIM_OK) {
        s.p->dialect = r->dialect;
        st = stream_read(r, &s, pass2_threads(threads, (size_t)(*end - text), s.n_spans));
    }
    if (st == PIM_OK)
        st = stream_groups(r, &s);
    cJSON_Delete(s.config);
    free(s.spans);
    if (st != PIM_OK) {
        pim_program_free(s.p);
        return st;
    }
    *out = s.p;
    return PIM_OK;
}

static pim_status set_str(char **dst, const char *src, pim_error *err)
{
    char *d = pim_strdup(src);
    if (!d)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    free(*dst);
    *dst = d;
    return PIM_OK;
}

pim_status pim_dialect_from_name(const char *s, pim_dialect *d, int *detect)
{
    if (!s)
        return PIM_E_INPUT;
    if (strcmp(s, "strict") == 0 || strcmp(s, "auto") == 0) {
        *d = PIM_DIALECT_STRICT;
        *detect = s[0] == 'a';
        return PIM_OK;
    }
    if (strcmp(s, "pimcomp") == 0) {
        *d = PIM_DIALECT_PIMCOMP;
        *detect = 0;
        return PIM_OK;
    }
    return PIM_E_INPUT;
}

/* One load of the whole document in r->dialect. */
static pim_status load_stream_text(reader *r, const pim_config *cfg, int threads,
                                   pim_program **out)
{
    const char *end = r->base;
    pim_status st = read_stream(r, r->base, &end, cfg, 1, threads, out);
    if (st == PIM_OK && *ws(end) != '\0') {
        r->form[0] = '\0';
        st = syntax(r, ws(end), "unexpected text after the stream");
    }
    if (st == PIM_OK)
        st = set_str(&(*out)->path, r->path, r->err);
    if (st != PIM_OK) {
        pim_program_free(*out);
        *out = NULL;
        if (r->err && !r->err->file[0])
            pim_error_set_file(r->err, r->path);
    }
    return st;
}

pim_status pim_load_stream_file_opts(const char *path, const pim_config *cfg, pim_load_opts *o,
                                     pim_program **out, pim_error *err)
{
    pim_load_opts dflt = {PIM_DIALECT_STRICT, 0, 0, ""};
    if (!o)
        o = &dflt;
    o->notice[0] = '\0';
    *out = NULL;
    char *text;
    size_t len;
    pim_status st = pim_read_file(path, &text, &len, err);
    if (st != PIM_OK)
        return st;
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.base = text;
    r.lim = text + strlen(text); /* a NUL byte ends the document, as it always has */
    r.err = err;
    r.dialect = o->dialect;
    r.hint = o->dialect == PIM_DIALECT_STRICT;
    st = load_stream_text(&r, cfg, o->threads, out);
    if (st == PIM_E_INPUT && o->detect && o->dialect == PIM_DIALECT_STRICT && r.form[0]) {
        snprintf(o->notice, sizeof o->notice,
                 "pimcosim: %.120s: loading as the pimcomp dialect (core %ld, instruction %ld "
                 "(%s): %.64s)",
                 path, err->core, err->index, err->op, r.form);
        pim_error_clear(err);
        r.dialect = PIM_DIALECT_PIMCOMP;
        r.hint = 0;
        st = load_stream_text(&r, cfg, o->threads, out);
    }
    free(text);
    return st;
}

pim_status pim_load_stream_file(const char *path, const pim_config *cfg, pim_program **out,
                                pim_error *err)
{
    pim_load_opts o = {PIM_DIALECT_STRICT, 0, 0, ""};
    return pim_load_stream_file_opts(path, cfg, &o, out, err);
}

/* ------------------------------------------------------------------ vectors */

typedef struct vec_spans {
    const char *id, *comment, *config, *program, *init, *expected, *error;
} vec_spans;

static pim_status vec_member(reader *r, void *ud, const char *key, const char *val,
                             const char **end)
{
    vec_spans *v = ud;
    const char **slot = NULL;
    if (strcmp(key, "id") == 0) slot = &v->id;
    else if (strcmp(key, "comment") == 0) slot = &v->comment;
    else if (strcmp(key, "config") == 0) slot = &v->config;
    else if (strcmp(key, "program") == 0) slot = &v->program;
    else if (strcmp(key, "init") == 0) slot = &v->init;
    else if (strcmp(key, "expected") == 0) slot = &v->expected;
    else if (strcmp(key, "error") == 0) slot = &v->error;
    if (!slot) {
        pim_error_set(r->err, PIM_E_INPUT, -1, -1, key,
                      "unknown key (a vector has id, comment, config, init, program, "
                      "expected or error)");
        pim_error_set_file(r->err, r->path);
        return PIM_E_INPUT;
    }
    if (*slot)
        return syntax(r, val, "a vector member appears twice");
    *slot = val;
    cJSON *x = value_at(r, val, end); /* validates and finds the end */
    cJSON_Delete(x);
    return x ? PIM_OK : PIM_E_INPUT;
}

static pim_status verr(reader *r, long core, const char *field, const char *msg)
{
    pim_error_set(r->err, PIM_E_INPUT, core, -1, field, "%s", msg);
    pim_error_set_file(r->err, r->path);
    return PIM_E_INPUT;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static pim_status read_region(reader *r, long core, const char *field, const cJSON *o,
                              uint64_t mem_size, pim_region *out)
{
    memset(out, 0, sizeof *out);
    char msg[160];
    if (!cJSON_IsObject(o))
        return verr(r, core, field, "a region is an object {addr, hex} or {addr, bytes, elems}");
    for (const cJSON *m = o->child; m; m = m->next)
        if (strcmp(m->string, "addr") && strcmp(m->string, "hex") && strcmp(m->string, "bytes") &&
            strcmp(m->string, "elems")) {
            snprintf(msg, sizeof msg, "unknown key '%s' in a region", m->string);
            return verr(r, core, field, msg);
        }
    int64_t addr;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "addr");
    if (!a || pim_json_int(a, field, 0, (int64_t)mem_size, 0, &addr, r->err) != PIM_OK)
        return verr(r, core, field, a ? r->err->msg : "a region needs \"addr\"");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(o, "hex");
    const cJSON *elems = cJSON_GetObjectItemCaseSensitive(o, "elems");
    const cJSON *bytes = cJSON_GetObjectItemCaseSensitive(o, "bytes");
    if ((hex != NULL) == (elems != NULL))
        return verr(r, core, field, "a region has either \"hex\" or \"bytes\" and \"elems\"");
    size_t n;
    if (hex) {
        if (!cJSON_IsString(hex) || strlen(hex->valuestring) % 2)
            return verr(r, core, field, "\"hex\" must be a string of an even number of hex digits");
        n = strlen(hex->valuestring) / 2;
        out->bytes = malloc(n ? n : 1);
        if (!out->bytes)
            return verr(r, core, field, "out of memory");
        for (size_t i = 0; i < n; i++) {
            int hi = hexval(hex->valuestring[2 * i]), lo = hexval(hex->valuestring[2 * i + 1]);
            if (hi < 0 || lo < 0) {
                free(out->bytes);
                out->bytes = NULL;
                return verr(r, core, field, "\"hex\" holds a character that is not a hex digit");
            }
            out->bytes[i] = (uint8_t)(hi << 4 | lo);
        }
    } else {
        int64_t w;
        if (!bytes || pim_json_int(bytes, field, 1, 4, 0, &w, r->err) != PIM_OK)
            return verr(r, core, field, "\"elems\" needs \"bytes\" (1..4)");
        if (!cJSON_IsArray(elems))
            return verr(r, core, field, "\"elems\" must be an array of integers");
        const size_t ne = (size_t)cJSON_GetArraySize(elems);
        n = ne * (size_t)w;
        out->bytes = malloc(n ? n : 1);
        if (!out->bytes)
            return verr(r, core, field, "out of memory");
        size_t i = 0;
        for (const cJSON *e = elems->child; e; e = e->next, i++) {
            int64_t v;
            if (pim_json_int(e, field, -((int64_t)1 << (8 * w - 1)), ((int64_t)1 << (8 * w)) - 1, 0,
                             &v, r->err) != PIM_OK) {
                free(out->bytes);
                out->bytes = NULL;
                snprintf(msg, sizeof msg, "element %zu: %.120s", i, r->err->msg);
                return verr(r, core, field, msg);
            }
            pim_store_elem(out->bytes + i * (size_t)w, (uint32_t)w, v);
        }
    }
    if ((uint64_t)addr + n > mem_size) {
        free(out->bytes);
        out->bytes = NULL;
        snprintf(msg, sizeof msg, "region 0x%llx + %zu bytes is outside the memory (%llu bytes)",
                 (unsigned long long)addr, n, (unsigned long long)mem_size);
        return verr(r, core, field, msg);
    }
    out->addr = (uint64_t)addr;
    out->len = (uint32_t)n;
    return PIM_OK;
}

static pim_status read_regions(reader *r, long core, const char *field, const cJSON *arr,
                               uint64_t mem_size, pim_region **out, size_t *n_out)
{
    if (!cJSON_IsArray(arr))
        return verr(r, core, field, "must be an array of regions");
    const size_t n = (size_t)cJSON_GetArraySize(arr);
    pim_region *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return verr(r, core, field, "out of memory");
    *out = v;
    *n_out = 0;
    for (const cJSON *e = arr->child; e; e = e->next) {
        pim_status st = read_region(r, core, field, e, mem_size, &v[*n_out]);
        if (st != PIM_OK)
            return st;
        (*n_out)++;
    }
    return PIM_OK;
}

/* "r5" / "e5" style keyed integers into vals[] and mask. */
static pim_status read_keyed(reader *r, long core, const char *field, char prefix, const cJSON *o,
                             int64_t lo, uint32_t *mask, uint32_t *vals)
{
    char msg[160];
    if (!cJSON_IsObject(o))
        return verr(r, core, field, "must be an object");
    for (const cJSON *m = o->child; m; m = m->next) {
        char *e;
        long k = -1;
        if (m->string[0] == prefix && m->string[1] >= '0' && m->string[1] <= '9')
            k = strtol(m->string + 1, &e, 10);
        if (k < 0 || k >= 32 || *e != '\0') {
            snprintf(msg, sizeof msg, "key '%s' must be %c0..%c31", m->string, prefix, prefix);
            return verr(r, core, field, msg);
        }
        int64_t v;
        if (pim_json_int(m, m->string, lo, ((int64_t)1 << 32) - 1, 0, &v, r->err) != PIM_OK) {
            snprintf(msg, sizeof msg, "%.20s: %.120s", m->string, r->err->msg);
            return verr(r, core, field, msg);
        }
        *mask |= 1u << k;
        vals[k] = (uint32_t)v;
    }
    return PIM_OK;
}

static pim_status read_groups(reader *r, pim_program *p, uint32_t c, const cJSON *arr)
{
    char msg[200];
    if (!cJSON_IsArray(arr))
        return verr(r, c, "groups", "must be an array of {index, mbiw, weights}");
    for (const cJSON *g = arr->child; g; g = g->next) {
        if (!cJSON_IsObject(g))
            return verr(r, c, "groups", "a group is an object {index, mbiw, weights}");
        for (const cJSON *m = g->child; m; m = m->next)
            if (strcmp(m->string, "index") && strcmp(m->string, "mbiw") && strcmp(m->string, "weights")) {
                snprintf(msg, sizeof msg, "unknown key '%s' in a group", m->string);
                return verr(r, c, "groups", msg);
            }
        int64_t index, mbiw;
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(g, "index");
        const cJSON *mv = cJSON_GetObjectItemCaseSensitive(g, "mbiw");
        const cJSON *wv = cJSON_GetObjectItemCaseSensitive(g, "weights");
        if (!iv || pim_json_int(iv, "groups.index", 0, (int64_t)PIM_MASK(PIM_SIZE_GROUP), 0, &index,
                                r->err) != PIM_OK)
            return verr(r, c, "groups.index", iv ? r->err->msg : "missing");
        if (!mv || pim_json_int(mv, "groups.mbiw", 1, 32, 0, &mbiw, r->err) != PIM_OK)
            return verr(r, c, "groups.mbiw", mv ? r->err->msg : "missing");
        if (!cJSON_IsArray(wv) || cJSON_GetArraySize(wv) < 1 || !cJSON_IsArray(wv->child) ||
            cJSON_GetArraySize(wv->child) < 1)
            return verr(r, c, "groups.weights", "must be a non-empty array of non-empty rows");
        const uint32_t rows = (uint32_t)cJSON_GetArraySize(wv);
        const uint32_t cols = (uint32_t)cJSON_GetArraySize(wv->child);
        if (rows > PIM_MAX_XBAR_DIM || cols > (1u << 20))
            return verr(r, c, "groups.weights", "too large");
        int32_t *w = malloc((size_t)rows * cols * sizeof *w);
        if (!w)
            return verr(r, c, "groups.weights", "out of memory");
        uint32_t i = 0;
        for (const cJSON *row = wv->child; row; row = row->next, i++) {
            if (!cJSON_IsArray(row) || (uint32_t)cJSON_GetArraySize(row) != cols) {
                free(w);
                snprintf(msg, sizeof msg, "row %u must be an array of %u weights", i, cols);
                return verr(r, c, "groups.weights", msg);
            }
            uint32_t j = 0;
            for (const cJSON *e = row->child; e; e = e->next, j++) {
                int64_t v;
                if (pim_json_int(e, "groups.weights", pim_min_of((uint32_t)mbiw),
                                 pim_max_of((uint32_t)mbiw), 0, &v, r->err) != PIM_OK) {
                    free(w);
                    snprintf(msg, sizeof msg, "weight [%u][%u]: %.120s (mbiw %lld)", i, j,
                             r->err->msg, (long long)mbiw);
                    return verr(r, c, "groups.weights", msg);
                }
                w[(size_t)i * cols + j] = (int32_t)v;
            }
        }
        pim_group pg = {c, (uint32_t)index, (uint32_t)mbiw, rows, cols, w};
        pim_status st = pim_program_add_group(p, &pg, r->err);
        free(w);
        if (st != PIM_OK) {
            pim_error_set_file(r->err, r->path);
            return st;
        }
    }
    return PIM_OK;
}

/* "init" or "expected": {"gmem": [...], "core<N>": {...}} */
static pim_status read_state(reader *r, pim_program *p, const cJSON *o, int expected)
{
    const char *what = expected ? "expected" : "init";
    char field[64], msg[160];
    if (!cJSON_IsObject(o))
        return verr(r, -1, what, "must be an object");
    for (const cJSON *m = o->child; m; m = m->next) {
        pim_status st;
        if (strcmp(m->string, "gmem") == 0) {
            st = expected ? read_regions(r, -1, "expected.gmem", m, p->cfg.global_mem_size,
                                         &p->expect_gmem, &p->n_expect_gmem)
                          : read_regions(r, -1, "init.gmem", m, p->cfg.global_mem_size,
                                         &p->init_gmem, &p->n_init_gmem);
            if (st != PIM_OK)
                return st;
            continue;
        }
        const long c = core_key(m->string);
        if (c < 0 || (uint32_t)c >= p->n_cores) {
            snprintf(msg, sizeof msg, "unknown key '%s' (gmem or core0..core%u)", m->string,
                     p->n_cores - 1);
            return verr(r, -1, what, msg);
        }
        if (!cJSON_IsObject(m))
            return verr(r, c, what, "a core's state is an object");
        pim_core_state *cs = expected ? &p->expect[c] : &p->init[c];
        for (const cJSON *k = m->child; k; k = k->next) {
            snprintf(field, sizeof field, "%s.%s", what, k->string);
            if (strcmp(k->string, "regs") == 0)
                st = read_keyed(r, c, field, 'r', k, -((int64_t)1 << 31), &cs->regs_mask, cs->regs);
            else if (strcmp(k->string, "events") == 0)
                st = read_keyed(r, c, field, 'e', k, 0, &cs->events_mask, cs->events);
            else if (strcmp(k->string, "lmem") == 0)
                st = read_regions(r, c, field, k, p->cfg.local_mem_size, &cs->lmem, &cs->n_lmem);
            else if (strcmp(k->string, "groups") == 0 && !expected)
                st = read_groups(r, p, (uint32_t)c, k);
            else {
                snprintf(msg, sizeof msg, "unknown key '%s' in a core's state", k->string);
                return verr(r, c, what, msg);
            }
            if (st != PIM_OK)
                return st;
        }
    }
    return PIM_OK;
}

static pim_status read_error(reader *r, pim_program *p, const cJSON *o)
{
    if (!cJSON_IsObject(o))
        return verr(r, -1, "error", "must be an object {kind, core, index, field, text}");
    p->expects_error = 1;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    if (!cJSON_IsString(kind))
        return verr(r, -1, "error.kind", "missing: input, exec or deadlock");
    if (strcmp(kind->valuestring, "input") == 0) p->expect_status = PIM_E_INPUT;
    else if (strcmp(kind->valuestring, "exec") == 0) p->expect_status = PIM_E_EXEC;
    else if (strcmp(kind->valuestring, "deadlock") == 0) p->expect_status = PIM_E_DEADLOCK;
    else return verr(r, -1, "error.kind", "must be input, exec or deadlock");
    for (const cJSON *m = o->child; m; m = m->next) {
        int64_t v;
        if (strcmp(m->string, "kind") == 0 || strcmp(m->string, "text") == 0)
            continue;
        if (strcmp(m->string, "core") == 0 || strcmp(m->string, "index") == 0) {
            if (pim_json_int(m, m->string, 0, INT32_MAX, 0, &v, r->err) != PIM_OK)
                return verr(r, -1, "error", r->err->msg);
            *(m->string[0] == 'c' ? &p->expect_core : &p->expect_index) = (long)v;
        } else if (strcmp(m->string, "field") == 0 && cJSON_IsString(m)) {
            snprintf(p->expect_field, sizeof p->expect_field, "%s", m->valuestring);
        } else {
            return verr(r, -1, "error", "keys are kind, core, index, field, text");
        }
    }
    return PIM_OK;
}

/* Directory part of path ("" for none), for config paths relative to the vector. */
static void dir_of(const char *path, char *out, size_t n)
{
    const char *s = strrchr(path, '/');
    if (!s)
        snprintf(out, n, "%s", "");
    else
        snprintf(out, n, "%.*s/", (int)(s - path), path);
}

static pim_status vector_config(reader *r, const cJSON *cv, pim_config *cfg, int *given)
{
    pim_error *err = r->err;
    if (!cv) {
        pim_config_default(cfg);
        *given = 0;
        return PIM_OK;
    }
    pim_status st;
    if (cJSON_IsString(cv)) {
        char dir[512], full[1024];
        dir_of(r->path, dir, sizeof dir);
        snprintf(full, sizeof full, "%s%s", cv->valuestring[0] == '/' ? "" : dir, cv->valuestring);
        char *text;
        size_t len;
        if ((st = pim_read_file(full, &text, &len, err)) != PIM_OK) {
            char m[PIM_ERROR_MSG_MAX];
            snprintf(m, sizeof m, "%.180s: %.180s", full, err->msg);
            return verr(r, -1, "config", m);
        }
        cJSON *root;
        st = pim_json_parse_whole(full, text, &root, err);
        free(text);
        if (st != PIM_OK)
            return st;
        st = pim_config_from_json(root, cfg, given, err);
        cJSON_Delete(root);
        if (st != PIM_OK)
            pim_error_set_file(err, full);
        return st;
    }
    st = pim_config_from_json(cv, cfg, given, err);
    if (st != PIM_OK)
        pim_error_set_file(err, r->path);
    return st;
}

static int valid_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
}

static pim_status load_vector(reader *r, pim_program **out)
{
    vec_spans v;
    memset(&v, 0, sizeof v);
    const char *end;
    pim_status st = walk_object(r, r->base, &end, vec_member, &v);
    if (st != PIM_OK)
        return st;
    if (*ws(end) != '\0')
        return syntax(r, ws(end), "unexpected text after the vector");
    if (!v.id)
        return verr(r, -1, "id", "missing");
    if (!v.program)
        return verr(r, -1, "program", "missing");
    if (!v.expected == !v.error)
        return verr(r, -1, "expected", "a vector has exactly one of \"expected\" and \"error\"");

    cJSON *id = value_at(r, v.id, &end), *comment = NULL, *cv = NULL, *ev = NULL;
    pim_program *p = NULL;
    pim_config arch;
    int given = 0;
    if (!id)
        return PIM_E_INPUT;
    if (!cJSON_IsString(id) || !valid_id(id->valuestring)) {
        st = verr(r, -1, "id", "must be a string of [a-z0-9._-], starting with a letter or digit");
        goto out;
    }
    if (v.comment && (!(comment = value_at(r, v.comment, &end)) || !cJSON_IsString(comment))) {
        st = verr(r, -1, "comment", "must be a string");
        goto out;
    }
    if (v.config && !(cv = value_at(r, v.config, &end))) {
        st = PIM_E_INPUT;
        goto out;
    }
    if ((st = vector_config(r, cv, &arch, &given)) != PIM_OK)
        goto out;

    /* the program: refused programs are what an "input" error vector expects */
    pim_error perr;
    pim_error_clear(&perr);
    reader pr = *r;
    pr.err = &perr;
    st = read_stream(&pr, v.program, &end, &arch, given, 1, &p);
    if (st == PIM_OK)
        p->gmem_input_end = 0; /* a vector gives its global memory in "init" */
    if (st == PIM_E_NOMEM) {
        *r->err = perr;
        goto out;
    }
    if (st != PIM_OK) {
        pim_program *q = pim_program_new(&arch);
        if (!q) {
            st = verr(r, -1, "", "out of memory");
            goto out;
        }
        if (v.error && (ev = value_at(r, v.error, &end)) && read_error(r, q, ev) == PIM_OK &&
            q->expect_status == PIM_E_INPUT) {
            q->refused = 1;
            q->refusal = perr;
            p = q;
            st = PIM_OK;
        } else {
            pim_program_free(q);
            *r->err = perr; /* the program's own error: this vector is bad input */
            st = PIM_E_INPUT;
            goto out;
        }
    } else {
        if (v.error) {
            if (!(ev = value_at(r, v.error, &end)) || (st = read_error(r, p, ev)) != PIM_OK)
                goto fail;
        } else {
            cJSON *x = value_at(r, v.expected, &end);
            p->has_expected = 1;
            st = x ? read_state(r, p, x, 1) : PIM_E_INPUT;
            cJSON_Delete(x);
            if (st != PIM_OK)
                goto fail;
        }
        if (v.init) {
            cJSON *x = value_at(r, v.init, &end);
            st = x ? read_state(r, p, x, 0) : PIM_E_INPUT;
            cJSON_Delete(x);
            if (st != PIM_OK)
                goto fail;
        }
    }
    if ((st = set_str(&p->id, id->valuestring, r->err)) != PIM_OK ||
        (st = set_str(&p->comment, comment ? comment->valuestring : "", r->err)) != PIM_OK ||
        (st = set_str(&p->path, r->path, r->err)) != PIM_OK)
        goto fail;
    *out = p;
    goto out;
fail:
    pim_program_free(p);
out:
    cJSON_Delete(id);
    cJSON_Delete(comment);
    cJSON_Delete(cv);
    cJSON_Delete(ev);
    return st;
}

pim_status pim_load_vector_file(const char *path, pim_program **out, pim_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    pim_status st = pim_read_file(path, &text, &len, err);
    if (st != PIM_OK)
        return st;
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.base = text;
    r.lim = text + strlen(text);
    r.err = err;
    st = load_vector(&r, out);
    free(text);
    if (st != PIM_OK && err && !err->file[0])
        pim_error_set_file(err, path);
    return st;
}
