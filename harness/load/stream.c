/*
 * stream.c - PIMSIM-NN instruction streams (pim_load.h): pass 1 walks the top level, parses
 * "config" and skips each core's array with a bracket counter that only finds its end and
 * counts its elements (docs/dialects.md, "Loading"); pass 2 (pass2.c) parses the arrays. Then
 * the stream's config is applied (core count, knobs, array groups), and with --dialect auto a
 * strict refusal of a pimcomp form loads the stream again as pimcomp.
 */
#include "pim_load.h"
#include "load_internal.h"
#include "pim_golden.h"
#include "pim_xbar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stream_ctx {
    pim_program *p;        /* NULL during the first pass (counting cores) */
    cJSON *config;         /* the stream's "config" member (owned) */
    long max_core;
    uint32_t seen[PIM_MAX_CORES / 32];
    pim_core_span *spans;      /* document order, owned */
    size_t n_spans, cap_spans;
    pim_insn_names names;
} stream_ctx;

/* Pass 1: find "config" and the core names; skip the arrays (parsed in pass 2). */
static pim_status stream_scan(pim_reader *r, void *ud, const char *key, const char *val,
                              const char **end)
{
    stream_ctx *s = ud;
    if (strcmp(key, "config") == 0) {
        if (s->config)
            return pim_rd_syntax(r, val, "\"config\" appears twice");
        s->config = pim_rd_value(r, val, end);
        return s->config ? PIM_OK : PIM_E_INPUT;
    }
    const long c = pim_core_key(key);
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
    const char *e = *val == '[' ? pim_rd_skip_array(val, r->lim, &count) : NULL;
    if (!e) { /* not an array, or it does not end: cJSON names the pim_rd_syntax error, if any */
        cJSON *v = pim_rd_value(r, val, end);
        if (!v)
            return PIM_E_INPUT;
        const int arr = cJSON_IsArray(v);
        cJSON_Delete(v);
        if (arr)
            return pim_rd_syntax(r, val, "the array does not end");
        pim_error_set(r->err, PIM_E_INPUT, c, -1, key, "must be an array of instructions");
        pim_error_set_file(r->err, r->path);
        return PIM_E_INPUT;
    }
    if (s->n_spans == s->cap_spans) {
        const size_t cap = s->cap_spans ? 2 * s->cap_spans : 64;
        pim_core_span *q = realloc(s->spans, cap * sizeof *q);
        if (!q)
            return pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        s->spans = q;
        s->cap_spans = cap;
    }
    s->spans[s->n_spans++] = (pim_core_span){c, val, e, count};
    *end = e;
    return PIM_OK;
}

/* Applies the stream's "config": core count, crossbar knobs agreement, array_group_map. */
static pim_status stream_config(pim_reader *r, stream_ctx *s, const pim_config *arch,
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
    const size_t named = s->n_spans; /* the coreN members */
    if (st == PIM_OK && cc) {
        int64_t v;
        st = pim_json_int(cc, "config.core_cnt", 1, PIM_MAX_CORES, 0, &v, err);
        if (st == PIM_OK && r->dialect == PIM_DIALECT_PIMCOMP) {
            /* pimcomp: core_cnt counts the cores named; the machine has max index + 1 */
            if ((uint64_t)v != named)
                st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config.core_cnt",
                                   "%lld, but the stream names %zu cores (core_cnt counts the "
                                   "cores named, up to core%ld)", (long long)v, named, n - 1);
        } else if (st == PIM_OK && v < n) {
            const int sparse = (uint64_t)v == named;
            st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config.core_cnt",
                               "%lld, but the stream has core%ld%s", (long long)v, n - 1,
                               sparse && r->hint ? pim_dialect_hint : "");
            if (sparse)
                snprintf(r->form, sizeof r->form, "sparse core names: %zu cores, up to core%ld",
                         named, n - 1);
        } else if (st == PIM_OK) {
            n = (long)v;
        }
    }
    if (st == PIM_OK && n < 1)
        st = pim_error_set(err, PIM_E_INPUT, -1, -1, "core0", "the stream has no core");
    if (st == PIM_OK && core_cnt_given && (uint32_t)n > arch->core_cnt)
        st = pim_error_set(err, PIM_E_INPUT, -1, -1, "config.core_cnt",
                           (uint64_t)n == named || !named
                               ? "the stream needs %ld cores, the architecture has %u"
                               : "the stream needs %ld cores (core0 up to its highest name), "
                                 "the architecture has %u",
                           n, arch->core_cnt);
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
static pim_status stream_groups(pim_reader *r, stream_ctx *s)
{
    const cJSON *map = s->config ? cJSON_GetObjectItemCaseSensitive(s->config, "array_group_map")
                                 : NULL;
    pim_program *p = s->p;
    pim_error *err = r->err;
    const int raw_check = !map && r->bare && r->dialect == PIM_DIALECT_PIMCOMP;
    for (uint32_t c = 0; raw_check && c < p->n_cores; c++)
        for (size_t i = 0; i < p->n_insns[c]; i++)
            if (p->insns[c][i].op == PIM_OP_MVMUL) {
                /* the compiler's raw output: its groups are crossbar counts (info.c) */
                pim_error_set(err, PIM_E_INPUT, c, (long)i, PIM_KEY(GROUP),
                              "the stream has no config.array_group_map, so no array group: "
                              "PIMCOMP-NN's raw output, whose mvmul.group is a crossbar count? "
                              "Give its VerificationInfo.json with --pimcomp-info FILE");
                pim_error_set_op(err, "mvmul");
                pim_error_set_file(err, r->path);
                return PIM_E_INPUT;
            }
    if (!map)
        return PIM_OK;
    if (!cJSON_IsObject(map)) {
        pim_error_set(err, PIM_E_INPUT, -1, -1, "config.array_group_map", "must be an object");
        pim_error_set_file(err, r->path);
        return PIM_E_INPUT;
    }
    for (const cJSON *m = map->child; m; m = m->next) {
        const long c = pim_core_key(m->string);
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
                pim_error_set(err, PIM_E_INPUT, c, (long)clash[gi], PIM_KEY(MBIW),
                              "group %zu is used with mbiw %ld and %u", gi, mbiw[gi],
                              p->insns[c][clash[gi]].mbiw);
                pim_error_set_op(err, "mvmul");
                pim_error_set_file(err, r->path);
                st = PIM_E_INPUT;
            } else if ((uint64_t)k > p->cfg.xbar_array_count) {
                pim_error_set(err, PIM_E_INPUT, c, -1, "config.array_group_map",
                              "group %zu has %lld crossbars, a core has %u (xbar_array_count)",
                              gi, (long long)k, p->cfg.xbar_array_count);
                pim_error_set_file(err, r->path);
                st = PIM_E_INPUT;
            } else if (mbiw[gi] >= 0) {
                pim_group g = {(uint32_t)c, (uint32_t)gi, (uint32_t)mbiw[gi], p->cfg.xbar_rows,
                               pim_config_cols_per_xbar(&p->cfg, (uint32_t)mbiw[gi]) * (uint32_t)k,
                               NULL};
                char what[64];
                snprintf(what, sizeof what, "group %zu (%lld crossbars)", gi, (long long)k);
                st = pim_rd_charge(r, pim_xbar_group_bytes(&p->cfg, g.mbiw, g.rows, g.cols), c,
                                   -1, "config.array_group_map", what);
                if (st == PIM_OK && (st = pim_program_add_group(p, &g, err)) != PIM_OK)
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
pim_status pim_read_stream(pim_reader *r, const char *text, const char **end,
                           const pim_config *arch, int core_cnt_given, int threads,
                           pim_program **out)
{
    *out = NULL;
    stream_ctx s;
    memset(&s, 0, sizeof s);
    s.max_core = -1;
    pim_insn_names_init(&s.names);
    r->form[0] = '\0';
    pim_status st = pim_rd_object(r, text, end, stream_scan, &s);
    pim_config cfg;
    if (st == PIM_OK)
        st = stream_config(r, &s, arch, core_cnt_given, &cfg);
    if (st == PIM_OK)
        st = pim_rd_charge(r, pim_golden_machine_bytes(&cfg, cfg.core_cnt), -1, -1, "config",
                           "the machine's memories");
    if (st == PIM_OK) {
        size_t n_insns = 0;
        for (size_t i = 0; i < s.n_spans; i++)
            n_insns += s.spans[i].count;
        st = pim_rd_charge(r, (uint64_t)n_insns * sizeof(pim_insn), -1, -1, "",
                           "the instructions");
    }
    if (st == PIM_OK) {
        s.p = pim_program_new(&cfg);
        if (!s.p)
            st = pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    if (st == PIM_OK) {
        s.p->dialect = r->dialect;
        s.p->n_named = (uint32_t)s.n_spans;
        st = pim_read_cores(r, s.p, &s.names, s.spans, s.n_spans, threads,
                            (size_t)(*end - text));
    }
    if (st == PIM_OK && r->pc_info)
        st = pim_pc_info_apply(r, r->pc_info, s.p, &s.config);
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
static pim_status load_stream_text(pim_reader *r, const pim_config *cfg, int threads,
                                   pim_program **out)
{
    const char *end = r->base;
    pim_status st = pim_read_stream(r, r->base, &end, cfg, 1, threads, out);
    if (st == PIM_OK && *pim_rd_ws(end) != '\0') {
        r->form[0] = '\0';
        st = pim_rd_syntax(r, pim_rd_ws(end), "unexpected text after the stream");
    }
    if (st == PIM_OK)
        st = pim_set_str(&(*out)->path, r->path, r->err);
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
    pim_load_opts dflt = {PIM_DIALECT_STRICT, 0, 0, "", 0, NULL};
    if (!o)
        o = &dflt;
    o->notice[0] = '\0';
    *out = NULL;
    char *text;
    pim_reader r;
    pim_pc_info *info = NULL; /* read first: its text is freed before the stream's is read */
    pim_status st = o->pimcomp_info ? pim_pc_info_read(o->pimcomp_info, o->max_memory, &info, err)
                                    : PIM_OK;
    if (st == PIM_OK)
        st = pim_rd_open(&r, path, o->max_memory, &text, err);
    if (st != PIM_OK) {
        pim_pc_info_free(info);
        return st;
    }
    r.dialect = o->dialect;
    r.hint = o->dialect == PIM_DIALECT_STRICT;
    r.pc_info = info;
    r.bare = 1;
    if ((st = pim_rd_charge(&r, pim_pc_info_bytes(info), -1, -1, "--pimcomp-info",
                            "the VerificationInfo's groups")) != PIM_OK) {
        free(text);
        pim_pc_info_free(info);
        return st;
    }
    const uint64_t text_used = r.used; /* a second load charges its own program */
    st = load_stream_text(&r, cfg, o->threads, out);
    if (st == PIM_E_INPUT && o->detect && o->dialect == PIM_DIALECT_STRICT && r.form[0]) {
        if (err->index >= 0)
            snprintf(o->notice, sizeof o->notice,
                     "pimcosim: %.120s: loading as the pimcomp dialect (core %ld, instruction "
                     "%ld (%s): %.64s)",
                     path, err->core, err->index, err->op, r.form);
        else
            snprintf(o->notice, sizeof o->notice,
                     "pimcosim: %.120s: loading as the pimcomp dialect (%.40s: %.64s)", path,
                     err->field, r.form);
        pim_error_clear(err);
        r.dialect = PIM_DIALECT_PIMCOMP;
        r.hint = 0;
        r.used = text_used;
        st = load_stream_text(&r, cfg, o->threads, out);
    }
    free(text);
    pim_pc_info_free(info);
    return st;
}

pim_status pim_load_stream_file(const char *path, const pim_config *cfg, pim_program **out,
                                pim_error *err)
{
    pim_load_opts o = {PIM_DIALECT_STRICT, 0, 0, "", 0, NULL};
    return pim_load_stream_file_opts(path, cfg, &o, out, err);
}