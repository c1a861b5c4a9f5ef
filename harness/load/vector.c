/*
 * vector.c - conformance vectors (pim_load.h, docs/vectors.md): the top level walked member
 * by member, the config (inline or a path relative to the vector), the program through the
 * stream reader, and the initial state, expected state or expected error.
 */
#include "pim_load.h"
#include "load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"

typedef struct vec_spans {
    const char *id, *comment, *config, *program, *init, *expected, *error;
} vec_spans;

static pim_status vec_member(pim_reader *r, void *ud, const char *key, const char *val,
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
        return pim_rd_syntax(r, val, "a vector member appears twice");
    *slot = val;
    cJSON *x = pim_rd_value(r, val, end); /* validates and finds the end */
    cJSON_Delete(x);
    return x ? PIM_OK : PIM_E_INPUT;
}

static pim_status verr(pim_reader *r, long core, const char *field, const char *msg)
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

static pim_status read_region(pim_reader *r, long core, const char *field, const cJSON *o,
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

static pim_status read_regions(pim_reader *r, long core, const char *field, const cJSON *arr,
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
static pim_status read_keyed(pim_reader *r, long core, const char *field, char prefix, const cJSON *o,
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

static pim_status read_groups(pim_reader *r, pim_program *p, uint32_t c, const cJSON *arr)
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
static pim_status read_state(pim_reader *r, pim_program *p, const cJSON *o, int expected)
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
        const long c = pim_core_key(m->string);
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

static pim_status read_error(pim_reader *r, pim_program *p, const cJSON *o)
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
            char field[16];
            snprintf(field, sizeof field, "error.%s", m->string);
            if (pim_json_int(m, field, 0, INT32_MAX, 0, &v, r->err) != PIM_OK)
                return verr(r, -1, field, r->err->msg);
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

static pim_status vector_config(pim_reader *r, const cJSON *cv, pim_config *cfg, int *given)
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
        cJSON *root;
        if ((st = pim_load_json_file(full, &root, err)) == PIM_E_IO) {
            char m[PIM_ERROR_MSG_MAX];
            snprintf(m, sizeof m, "%.180s: %.180s", full, err->msg);
            return verr(r, -1, "config", m);
        }
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

int pim_id_valid(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
}

/* The program of a vector and what it expects: a refused program is what an "input" error
 * vector expects (*out then holds an empty program with the refusal); otherwise the
 * expected error or state, and the initial state. *out owned by the caller. */
static pim_status vector_program(pim_reader *r, const vec_spans *v, const pim_config *arch,
                                 int given, pim_program **out)
{
    const char *end;
    pim_error perr;
    pim_error_clear(&perr);
    pim_reader pr = *r;
    pr.err = &perr;
    pim_program *p = NULL;
    cJSON *ev = NULL;
    pim_status st = pim_read_stream(&pr, v->program, &end, arch, given, 1, &p);
    if (st == PIM_OK)
        p->gmem_input_end = 0; /* a vector gives its global memory in "init" */
    if (st == PIM_E_NOMEM) {
        *r->err = perr;
        return st;
    }
    if (st != PIM_OK) {
        if (!(p = pim_program_new(arch)))
            return verr(r, -1, "", "out of memory");
        if (v->error && (ev = pim_rd_value(r, v->error, &end)) && read_error(r, p, ev) == PIM_OK &&
            p->expect_status == PIM_E_INPUT) {
            p->refused = 1;
            p->refusal = perr;
            st = PIM_OK;
        } else {
            *r->err = perr; /* the program's own error: this vector is bad input */
            st = PIM_E_INPUT;
        }
    } else if (v->error) {
        if (!(ev = pim_rd_value(r, v->error, &end)))
            st = PIM_E_INPUT;
        else
            st = read_error(r, p, ev);
    } else {
        cJSON *x = pim_rd_value(r, v->expected, &end);
        p->has_expected = 1;
        st = x ? read_state(r, p, x, 1) : PIM_E_INPUT;
        cJSON_Delete(x);
    }
    if (st == PIM_OK && !p->refused && v->init) {
        cJSON *x = pim_rd_value(r, v->init, &end);
        st = x ? read_state(r, p, x, 0) : PIM_E_INPUT;
        cJSON_Delete(x);
    }
    cJSON_Delete(ev);
    if (st != PIM_OK) {
        pim_program_free(p);
        return st;
    }
    *out = p;
    return PIM_OK;
}

static pim_status load_vector(pim_reader *r, pim_program **out)
{
    vec_spans v;
    memset(&v, 0, sizeof v);
    const char *end;
    pim_status st = pim_rd_object(r, r->base, &end, vec_member, &v);
    if (st != PIM_OK)
        return st;
    if (*pim_rd_ws(end) != '\0')
        return pim_rd_syntax(r, pim_rd_ws(end), "unexpected text after the vector");
    if (!v.id)
        return verr(r, -1, "id", "missing");
    if (!v.program)
        return verr(r, -1, "program", "missing");
    if (!v.expected == !v.error)
        return verr(r, -1, "expected", "a vector has exactly one of \"expected\" and \"error\"");

    cJSON *id = pim_rd_value(r, v.id, &end), *comment = NULL, *cv = NULL;
    pim_program *p = NULL;
    pim_config arch;
    int given = 0;
    if (!id)
        return PIM_E_INPUT;
    if (!cJSON_IsString(id) || !pim_id_valid(id->valuestring))
        st = verr(r, -1, "id", "must be a string of [a-z0-9._-], starting with a letter or digit");
    else if (v.comment &&
             (!(comment = pim_rd_value(r, v.comment, &end)) || !cJSON_IsString(comment)))
        st = verr(r, -1, "comment", "must be a string");
    else if (v.config && !(cv = pim_rd_value(r, v.config, &end)))
        st = PIM_E_INPUT;
    if (st == PIM_OK)
        st = vector_config(r, cv, &arch, &given);
    if (st == PIM_OK)
        st = vector_program(r, &v, &arch, given, &p);
    if (st == PIM_OK &&
        ((st = pim_set_str(&p->id, id->valuestring, r->err)) != PIM_OK ||
         (st = pim_set_str(&p->comment, comment ? comment->valuestring : "", r->err)) != PIM_OK ||
         (st = pim_set_str(&p->path, r->path, r->err)) != PIM_OK)) {
        pim_program_free(p);
        p = NULL;
    }
    if (st == PIM_OK)
        *out = p;
    cJSON_Delete(id);
    cJSON_Delete(comment);
    cJSON_Delete(cv);
    return st;
}

pim_status pim_load_vector_file_max(const char *path, uint64_t max_memory, pim_program **out,
                                   pim_error *err)
{
    *out = NULL;
    char *text;
    pim_reader r;
    pim_status st = pim_rd_open(&r, path, max_memory, &text, err);
    if (st != PIM_OK)
        return st;
    st = load_vector(&r, out);
    free(text);
    if (st != PIM_OK && err && !err->file[0])
        pim_error_set_file(err, path);
    return st;
}

pim_status pim_load_vector_file(const char *path, pim_program **out, pim_error *err)
{
    return pim_load_vector_file_max(path, 0, out, err);
}

pim_status pim_vector_portable(const char *path, cJSON **out, pim_error *err)
{
    *out = NULL;
    cJSON *v;
    pim_status st = pim_load_json_file(path, &v, err);
    if (st != PIM_OK)
        return st;
    const cJSON *cfg = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, "config") : NULL;
    if (cJSON_IsString(cfg)) {
        char dir[512], full[1024];
        dir_of(path, dir, sizeof dir);
        snprintf(full, sizeof full, "%s%s", cfg->valuestring[0] == '/' ? "" : dir,
                 cfg->valuestring);
        cJSON *obj;
        if ((st = pim_load_json_file(full, &obj, err)) != PIM_OK) {
            cJSON_Delete(v);
            return st;
        }
        if (!cJSON_ReplaceItemInObjectCaseSensitive(v, "config", obj)) {
            cJSON_Delete(obj);
            cJSON_Delete(v);
            return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        }
    }
    *out = v;
    return PIM_OK;
}
