/*
 * load_json.c - PIMSIM-NN instruction streams and conformance vectors (pim_load.h).
 *
 * The top level of a stream (and of a vector) is walked member by member, and each core's
 * array element by element: cJSON parses one value at a time (cJSON_ParseWithOpts returns
 * where it stopped), so a large stream never sits in memory as one tree, and the raw text
 * of every instruction is at hand (the strict form refuses a float such as 0.0, which a
 * parsed cJSON number cannot tell from 0).
 */
#include "pim_load.h"
#include "load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"

/* ------------------------------------------------------------------ walking raw JSON */

typedef struct reader {
    const char *path;
    const char *base; /* start of the document, for line/column */
    pim_error *err;
} reader;

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static pim_status syntax(reader *r, const char *at, const char *what)
{
    pim_json_syntax_error(r->path, r->base, at, what, r->err);
    return PIM_E_INPUT;
}

/* Parses one JSON value at p; *end is set past it. NULL (error set) on bad JSON. */
static cJSON *value_at(reader *r, const char *p, const char **end)
{
    const char *e = NULL;
    cJSON *v = cJSON_ParseWithOpts(p, &e, 0);
    if (!v) {
        syntax(r, e ? e : p, "invalid JSON value");
        return NULL;
    }
    *end = e;
    return v;
}

typedef pim_status (*member_fn)(reader *r, void *ud, const char *key, const char *val,
                                const char **val_end);
typedef pim_status (*element_fn)(reader *r, void *ud, size_t index, const char *val,
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

static pim_status walk_array(reader *r, const char *p, const char **end, element_fn fn, void *ud)
{
    p = ws(p);
    if (*p != '[')
        return syntax(r, p, "expected an array");
    p = ws(p + 1);
    if (*p == ']') {
        *end = p + 1;
        return PIM_OK;
    }
    for (size_t i = 0;; i++) {
        const char *vend = NULL;
        pim_status st = fn(r, ud, i, p, &vend);
        if (st != PIM_OK)
            return st;
        p = ws(vend);
        if (*p == ',') {
            p = ws(p + 1);
            continue;
        }
        if (*p == ']') {
            *end = p + 1;
            return PIM_OK;
        }
        return syntax(r, p, "expected ',' or ']'");
    }
}

/* Finds a number literal written with a fraction or exponent in [p, e); on success copies the
 * member name it belongs to into key. */
static int find_float(const char *p, const char *e, char *key, size_t keyn)
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
            while (p < e && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
                             *p == 'e' || *p == 'E')) {
                if (*p == '.' || *p == 'e' || *p == 'E') {
                    snprintf(key, keyn, "%.*s", (int)(last_len < keyn ? last_len : keyn - 1),
                             last_str ? last_str : "");
                    return 1;
                }
                p++;
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

static const field_spec k_fields[] = {
    {"rd", PIM_F_RD},         {"rs1", PIM_F_RS1},       {"rs2", PIM_F_RS2},
    {"imm", PIM_F_IMM},       {"len", PIM_F_LEN},       {"size", PIM_F_SIZE},
    {"core", PIM_F_CORE},     {"mbiw", PIM_F_MBIW},     {"group", PIM_F_GROUP},
    {"relu", PIM_F_RELU},     {"ibiw", PIM_F_IBIW},     {"obiw", PIM_F_OBIW},
    {"event_register", PIM_F_EV}, {"wait_value", PIM_F_WVAL}, {"offset_value", PIM_F_SOFF},
};

typedef struct insn_ctx {
    reader *r;
    uint32_t n_cores;
    long core;
    size_t index;
} insn_ctx;

static pim_status insn_error(insn_ctx *x, const char *op, const char *field, const char *fmt,
                             const char *detail)
{
    pim_error_set(x->r->err, PIM_E_INPUT, x->core, (long)x->index, field, fmt, detail);
    pim_error_set_file(x->r->err, x->r->path);
    pim_error_set_op(x->r->err, op ? op : "");
    return PIM_E_INPUT;
}

/* Range of a field's value in the strict form (every field fits its binary field). */
static void field_range(uint32_t flag, unsigned op, int64_t *lo, int64_t *hi)
{
    switch (flag) {
    case PIM_F_RD: case PIM_F_RS1: case PIM_F_RS2: *lo = 0; *hi = PIM_NREGS - 1; break;
    case PIM_F_IMM:
        if (op == PIM_OP_LLDI) {
            *lo = -128; *hi = 255;
        } else {
            *lo = -((int64_t)1 << 31); *hi = ((int64_t)1 << 32) - 1;
        }
        break;
    case PIM_F_LEN: case PIM_F_SIZE: *lo = 0; *hi = (int64_t)PIM_MASK(PIM_SIZE_LEN); break;
    case PIM_F_CORE: *lo = 0; *hi = (int64_t)PIM_MASK(PIM_SIZE_CORE); break;
    case PIM_F_MBIW: case PIM_F_IBIW: case PIM_F_OBIW: *lo = 1; *hi = PIM_MAX_WIDTH; break;
    case PIM_F_GROUP: *lo = 0; *hi = (int64_t)PIM_MASK(PIM_SIZE_GROUP); break;
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

/* One field value: checks it is taken by the op (else must be 0), its range, and stores it. */
static pim_status take_field(insn_ctx *x, pim_insn *in, const char *name, uint32_t flag,
                             const cJSON *v)
{
    const unsigned op = in->op;
    const char *opn = pim_op_name(op);
    uint32_t takes = pim_op_fields(op);
    if (op == PIM_OP_LLDI)
        takes |= PIM_F_IMM; /* lldi's imm is the byte (PIM_F_BYTE), same JSON key */
    int64_t lo, hi, val;
    field_range(flag, op, &lo, &hi);
    /* a bare offset: offset_select is accepted and ignored (docs/isa.md) */
    const int ignored_sel =
        flag == PIM_F_OFFSEL && !(takes & PIM_F_OFFSEL) && (takes & (PIM_F_OFFVAL | PIM_F_SOFF));
    if (!(takes & flag) && !ignored_sel) {
        if (!cJSON_IsNumber(v) || v->valuedouble != 0) {
            char d[64];
            snprintf(d, sizeof d, "%s", opn);
            return insn_error(x, opn, name, "is not a field of %s (it must be absent or 0)", d);
        }
        return PIM_OK;
    }
    pim_status st = pim_json_int(v, name, lo, hi, 0, &val, x->r->err);
    if (st != PIM_OK) {
        char msg[PIM_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", x->r->err->msg);
        return insn_error(x, opn, name, "%s", msg);
    }
    if (!ignored_sel)
        store_field(in, flag, val);
    return PIM_OK;
}

static pim_status parse_insn(insn_ctx *x, const cJSON *o, const char *raw, const char *raw_end,
                             pim_insn *in)
{
    memset(in, 0, sizeof *in);
    if (!cJSON_IsObject(o))
        return insn_error(x, NULL, "", "%s", "an instruction must be a JSON object");
    const cJSON *opv = cJSON_GetObjectItemCaseSensitive(o, "op");
    if (!opv)
        return insn_error(x, NULL, "op", "%s", "missing");
    if (!cJSON_IsString(opv))
        return insn_error(x, NULL, "op", "%s", "must be a string");
    const int op = pim_op_from_name(opv->valuestring);
    if (op < 0)
        return insn_error(x, NULL, "op", "unknown op '%s'", opv->valuestring);
    in->op = (uint8_t)op;
    const char *opn = pim_op_name((unsigned)op);
    char fkey[64];
    if (find_float(raw, raw_end, fkey, sizeof fkey))
        return insn_error(x, opn, fkey, "%s",
                          "must be an integer, not a number with a fraction or exponent "
                          "(the pimcomp dialect writes 0.0)");
    /* unknown keys first, then the fields in the table's order (as tests/pyref does) */
    const size_t nf = sizeof k_fields / sizeof k_fields[0];
    const cJSON *offset = NULL;
    for (const cJSON *m = o->child; m; m = m->next) {
        const char *k = m->string;
        if (strcmp(k, "op") == 0)
            continue;
        if (strcmp(k, "offset") == 0) {
            if (!cJSON_IsObject(m))
                return insn_error(x, opn, "offset", "%s",
                                  "must be an object {offset_select, offset_value}");
            for (const cJSON *s = m->child; s; s = s->next)
                if (strcmp(s->string, "offset_select") != 0 && strcmp(s->string, "offset_value") != 0) {
                    char f[80];
                    snprintf(f, sizeof f, "offset.%.60s", s->string);
                    return insn_error(x, opn, f, "%s", "unknown key");
                }
            offset = m;
            continue;
        }
        size_t f = 0;
        while (f < nf && strcmp(k_fields[f].name, k) != 0)
            f++;
        if (f == nf)
            return insn_error(x, opn, k, "%s", "unknown key");
    }
    for (size_t f = 0; f < nf; f++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, k_fields[f].name);
        pim_status st = m ? take_field(x, in, k_fields[f].name, k_fields[f].flag, m) : PIM_OK;
        if (st != PIM_OK)
            return st;
    }
    if (offset) {
        const cJSON *sel = cJSON_GetObjectItemCaseSensitive(offset, "offset_select");
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(offset, "offset_value");
        pim_status st = PIM_OK;
        if (sel)
            st = take_field(x, in, "offset.offset_select", PIM_F_OFFSEL, sel);
        if (st == PIM_OK && val)
            st = take_field(x, in, "offset.offset_value", PIM_F_OFFVAL, val);
        if (st != PIM_OK)
            return st;
    }
    /* whole-instruction rules */
    const uint32_t need = pim_op_fields((unsigned)op);
    if ((need & PIM_F_MBIW) && in->mbiw == 0)
        return insn_error(x, opn, "mbiw", "%s", "missing (1..32)");
    if ((need & PIM_F_IBIW) && in->ibiw == 0)
        return insn_error(x, opn, "ibiw", "%s", "missing (1..32)");
    if ((need & PIM_F_OBIW) && in->obiw == 0)
        return insn_error(x, opn, "obiw", "%s", "missing (1..32)");
    if ((op == PIM_OP_LD || op == PIM_OP_SLD) && (in->rs1 & 1u))
        return insn_error(x, opn, "rs1", "%s",
                          "must be even: a global address is the register pair rs1, rs1+1");
    if (op == PIM_OP_ST && (in->rd & 1u))
        return insn_error(x, opn, "rd", "%s",
                          "must be even: a global address is the register pair rd, rd+1");
    if (need & PIM_F_CORE) {
        char d[96];
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

/* ------------------------------------------------------------------ streams */

typedef struct stream_ctx {
    pim_program *p;        /* NULL during the first pass (counting cores) */
    cJSON *config;         /* the stream's "config" member (owned) */
    long max_core;
    uint32_t seen[PIM_MAX_CORES / 32];
    long core;             /* core being read */
} stream_ctx;

static pim_status stream_insn(reader *r, void *ud, size_t index, const char *val, const char **end)
{
    stream_ctx *s = ud;
    cJSON *o = value_at(r, val, end);
    if (!o)
        return PIM_E_INPUT;
    insn_ctx x = {r, s->p->n_cores, s->core, index};
    pim_insn in;
    pim_status st = parse_insn(&x, o, val, *end, &in);
    cJSON_Delete(o);
    if (st == PIM_OK && pim_program_append(s->p, (uint32_t)s->core, &in) != PIM_OK)
        st = pim_error_set(r->err, PIM_E_NOMEM, s->core, (long)index, "", "out of memory");
    return st;
}

/* Pass 1: find "config" and the core names; skip arrays cheaply (parsed in pass 2). */
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
    /* skip the array: parse and drop (pass 2 parses it element by element) */
    cJSON *v = value_at(r, val, end);
    if (!v)
        return PIM_E_INPUT;
    const int ok = cJSON_IsArray(v);
    cJSON_Delete(v);
    if (!ok) {
        pim_error_set(r->err, PIM_E_INPUT, c, -1, key, "must be an array of instructions");
        pim_error_set_file(r->err, r->path);
        return PIM_E_INPUT;
    }
    return PIM_OK;
}

static pim_status stream_read(reader *r, void *ud, const char *key, const char *val,
                              const char **end)
{
    stream_ctx *s = ud;
    const long c = core_key(key);
    if (c < 0) { /* config: already read */
        cJSON *v = value_at(r, val, end);
        cJSON_Delete(v);
        return v ? PIM_OK : PIM_E_INPUT;
    }
    s->core = c;
    return walk_array(r, val, end, stream_insn, s);
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
 * not created. Weights are filled from the run's seed. */
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
        int gi = 0;
        for (const cJSON *e = m->child; e; e = e->next, gi++) {
            int64_t k;
            if (pim_json_int(e, "config.array_group_map", 1, 65536, 0, &k, err) != PIM_OK) {
                err->core = c;
                pim_error_set_file(err, r->path);
                return PIM_E_INPUT;
            }
            long mbiw = -1;
            for (size_t i = 0; i < p->n_insns[c]; i++) {
                const pim_insn *in = &p->insns[c][i];
                if (in->op != PIM_OP_MVMUL || in->group != gi)
                    continue;
                if (mbiw < 0) {
                    mbiw = in->mbiw;
                } else if (mbiw != in->mbiw) {
                    pim_error_set(err, PIM_E_INPUT, c, (long)i, "mbiw",
                                  "group %d is used with mbiw %ld and %u", gi, mbiw, in->mbiw);
                    pim_error_set_op(err, "mvmul");
                    pim_error_set_file(err, r->path);
                    return PIM_E_INPUT;
                }
            }
            if (mbiw < 0)
                continue;
            pim_group g = {(uint32_t)c, (uint32_t)gi, (uint32_t)mbiw, p->cfg.xbar_rows,
                           pim_config_cols_per_xbar(&p->cfg, (uint32_t)mbiw) * (uint32_t)k, NULL};
            pim_status st = pim_program_add_group(p, &g, err);
            if (st != PIM_OK) {
                pim_error_set_file(err, r->path);
                return st;
            }
        }
    }
    return PIM_OK;
}

/* Reads a stream whose text is [text ...] into a new program for arch. */
static pim_status read_stream(reader *r, const char *text, const char **end, const pim_config *arch,
                              int core_cnt_given, pim_program **out)
{
    *out = NULL;
    stream_ctx s;
    memset(&s, 0, sizeof s);
    s.max_core = -1;
    pim_status st = walk_object(r, text, end, stream_scan, &s);
    pim_config cfg;
    if (st == PIM_OK)
        st = stream_config(r, &s, arch, core_cnt_given, &cfg);
    if (st == PIM_OK) {
        s.p = pim_program_new(&cfg);
        if (!s.p)
            st = pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    if (st == PIM_OK)
        st = walk_object(r, text, end, stream_read, &s);
    if (st == PIM_OK)
        st = stream_groups(r, &s);
    cJSON_Delete(s.config);
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

pim_status pim_load_stream_file(const char *path, const pim_config *cfg, pim_program **out,
                                pim_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    pim_status st = pim_read_file(path, &text, &len, err);
    if (st != PIM_OK)
        return st;
    reader r = {path, text, err};
    const char *end = text;
    st = read_stream(&r, text, &end, cfg, 1, out);
    if (st == PIM_OK && *ws(end) != '\0')
        st = syntax(&r, ws(end), "unexpected text after the stream");
    if (st == PIM_OK)
        st = set_str(&(*out)->path, path, err);
    free(text);
    if (st != PIM_OK) {
        pim_program_free(*out);
        *out = NULL;
        if (err && !err->file[0])
            pim_error_set_file(err, path);
    }
    return st;
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
    reader pr = {r->path, r->base, &perr};
    st = read_stream(&pr, v.program, &end, &arch, given, &p);
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
    reader r = {path, text, err};
    st = load_vector(&r, out);
    free(text);
    if (st != PIM_OK && err && !err->file[0])
        pim_error_set_file(err, path);
    return st;
}
