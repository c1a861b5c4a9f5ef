/*
 * info.c - the compiler's raw output (docs/dialects.md, "Raw compiler output"): PIMCOMP-NN's
 * SimulationInfo has no config.array_group_map, and its mvmul.group is the group's crossbar
 * count. Its VerificationInfo.json (-v=YES) says which array group each MVMUL uses: on each
 * core, the groups its MVMULs use (field "source", a global index into AG_info), sorted by
 * index, become the core's groups 0, 1, ...; AG_info gives each one's crossbar_num.
 *
 * Of the VerificationInfo only AG_info and instruction.core_list are read, element by
 * element (no tree of the whole document is built); what is kept is one number per array
 * group and one per MVMUL.
 */
#include "load_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pim_pc_info {
    char *path;
    uint32_t *ag_xbars; /* AG_info[g].crossbar_num */
    size_t n_ag, cap_ag;
    size_t *first;      /* core c's MVMUL sources: src[first[c] .. first[c + 1]) */
    size_t n_cores, cap_cores;
    uint32_t *src;
    size_t n_src, cap_src;
    int seen_ag, seen_list;
};

/* Grows *v (elements of size sz) to hold n + 1. */
static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    const size_t c = *cap ? 2 * *cap : 64;
    void *q = realloc(*v, c * sz);
    if (!q)
        return -1;
    *v = q;
    *cap = c;
    return 0;
}

static pim_status info_error(pim_reader *r, long core, long index, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static pim_status info_error(pim_reader *r, long core, long index, const char *field,
                             const char *fmt, ...)
{
    char m[PIM_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    pim_error_set(r->err, PIM_E_INPUT, core, index, field, "%s", m);
    pim_error_set_file(r->err, r->path);
    return PIM_E_INPUT;
}

/* ------------------------------------------------------------------ reading */

typedef struct info_ctx {
    pim_pc_info *in;
    size_t core; /* the core_list entry being read */
} info_ctx;

/* One AG_info element: {"AG_index": i, "crossbar_num": k, ...}. */
static pim_status ag_element(pim_reader *r, void *ud, size_t i, const char *val, const char **end)
{
    pim_pc_info *in = ((info_ctx *)ud)->in;
    cJSON *o = pim_rd_value(r, val, end);
    if (!o)
        return PIM_E_INPUT;
    char field[64];
    int64_t ix = -1, k = 0;
    snprintf(field, sizeof field, "AG_info[%zu].AG_index", i);
    pim_status st = cJSON_IsObject(o) ? PIM_OK
                                      : info_error(r, -1, -1, field, "AG_info[%zu] must be an object", i);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "AG_index");
    if (st == PIM_OK && !a)
        st = info_error(r, -1, -1, field, "missing");
    if (st == PIM_OK)
        st = pim_json_int(a, field, 0, INT32_MAX, 0, &ix, r->err);
    if (st == PIM_OK && (size_t)ix != i)
        st = info_error(r, -1, -1, field, "%lld, but it is element %zu", (long long)ix, i);
    snprintf(field, sizeof field, "AG_info[%zu].crossbar_num", i);
    const cJSON *x = st == PIM_OK ? cJSON_GetObjectItemCaseSensitive(o, "crossbar_num") : NULL;
    if (st == PIM_OK && !x)
        st = info_error(r, -1, -1, field, "missing");
    if (st == PIM_OK)
        st = pim_json_int(x, field, 1, 65536, 0, &k, r->err);
    cJSON_Delete(o);
    if (st != PIM_OK) {
        pim_error_set_file(r->err, r->path);
        return st;
    }
    if (grow((void **)&in->ag_xbars, &in->cap_ag, in->n_ag, sizeof *in->ag_xbars) != 0)
        return pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    in->ag_xbars[in->n_ag++] = (uint32_t)k;
    return PIM_OK;
}

/* One instruction of a core_list entry: only an MVMUL's "source" is kept. */
static pim_status core_insn(pim_reader *r, void *ud, size_t i, const char *val, const char **end)
{
    info_ctx *x = ud;
    pim_pc_info *in = x->in;
    cJSON *o = pim_rd_value(r, val, end);
    if (!o)
        return PIM_E_INPUT;
    const long c = (long)x->core;
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "operation");
    pim_status st = PIM_OK;
    int64_t s = 0;
    if (!cJSON_IsObject(o) || !cJSON_IsString(op))
        st = info_error(r, c, (long)i, "operation", "an instruction of core_list must be an "
                        "object with a string \"operation\"");
    else if (strcmp(op->valuestring, "MVMUL") == 0) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "source");
        st = v ? pim_json_int(v, "source", 0, INT32_MAX, 0, &s, r->err)
               : info_error(r, c, (long)i, "source", "missing (an MVMUL names its array group)");
        if (st == PIM_OK && grow((void **)&in->src, &in->cap_src, in->n_src, sizeof *in->src))
            st = pim_error_set(r->err, PIM_E_NOMEM, c, (long)i, "", "out of memory");
        if (st == PIM_OK)
            in->src[in->n_src++] = (uint32_t)s;
    }
    cJSON_Delete(o);
    if (st != PIM_OK) {
        r->err->core = c;
        r->err->index = (long)i;
        pim_error_set_file(r->err, r->path);
    }
    return st;
}

/* One core_list entry: null (no such core) or the core's instructions. */
static pim_status core_entry(pim_reader *r, void *ud, size_t c, const char *val, const char **end)
{
    info_ctx *x = ud;
    pim_pc_info *in = x->in;
    if (c >= PIM_MAX_CORES)
        return info_error(r, (long)c, -1, "instruction.core_list",
                          "more than %u cores", PIM_MAX_CORES);
    if (grow((void **)&in->first, &in->cap_cores, in->n_cores + 1, sizeof *in->first) != 0)
        return pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    in->first[in->n_cores] = in->n_src;
    x->core = c;
    pim_status st;
    if (strncmp(val, "null", 4) == 0) {
        *end = val + 4;
        st = PIM_OK;
    } else if (*val == '[') {
        st = pim_rd_array(r, val, end, core_insn, x);
    } else {
        st = info_error(r, (long)c, -1, "instruction.core_list",
                        "element %zu must be null or an array of instructions", c);
    }
    if (st == PIM_OK)
        in->first[++in->n_cores] = in->n_src;
    return st;
}

static pim_status instruction_member(pim_reader *r, void *ud, const char *key, const char *val,
                                     const char **end)
{
    info_ctx *x = ud;
    if (strcmp(key, "core_list") != 0) {
        cJSON *v = pim_rd_value(r, val, end);
        cJSON_Delete(v);
        return v ? PIM_OK : PIM_E_INPUT;
    }
    if (x->in->seen_list)
        return info_error(r, -1, -1, "instruction.core_list", "appears twice");
    x->in->seen_list = 1;
    return pim_rd_array(r, val, end, core_entry, x);
}

static pim_status top_member(pim_reader *r, void *ud, const char *key, const char *val,
                             const char **end)
{
    info_ctx *x = ud;
    if (strcmp(key, "AG_info") == 0) {
        if (x->in->seen_ag)
            return info_error(r, -1, -1, "AG_info", "appears twice");
        x->in->seen_ag = 1;
        return pim_rd_array(r, val, end, ag_element, x);
    }
    if (strcmp(key, "instruction") == 0)
        return pim_rd_object(r, val, end, instruction_member, x);
    /* node_list, reshape_info, comm_pair_total_num: not needed; skipped unparsed */
    size_t count;
    const char *e = *val == '[' ? pim_rd_skip_array(val, r->lim, &count) : NULL;
    if (e) {
        *end = e;
        return PIM_OK;
    }
    cJSON *v = pim_rd_value(r, val, end);
    cJSON_Delete(v);
    return v ? PIM_OK : PIM_E_INPUT;
}

void pim_pc_info_free(pim_pc_info *in)
{
    if (!in)
        return;
    free(in->path);
    free(in->ag_xbars);
    free(in->first);
    free(in->src);
    free(in);
}

pim_status pim_pc_info_read(const char *path, uint64_t max_memory, pim_pc_info **out,
                            pim_error *err)
{
    *out = NULL;
    pim_pc_info *in = calloc(1, sizeof *in);
    if (!in)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    char *text = NULL;
    pim_reader r;
    pim_status st = pim_rd_open(&r, path, max_memory, &text, err);
    info_ctx x = {in, 0};
    const char *end = NULL;
    if (st == PIM_OK)
        st = pim_set_str(&in->path, path, err);
    if (st == PIM_OK)
        st = pim_rd_object(&r, r.base, &end, top_member, &x);
    if (st == PIM_OK && *pim_rd_ws(end) != '\0')
        st = pim_rd_syntax(&r, pim_rd_ws(end), "unexpected text after the document");
    if (st == PIM_OK && (!in->seen_ag || !in->seen_list))
        st = info_error(&r, -1, -1, in->seen_ag ? "instruction.core_list" : "AG_info",
                        "missing: is this PIMCOMP-NN's VerificationInfo.json?");
    for (size_t i = 0; st == PIM_OK && i < in->n_src; i++)
        if (in->src[i] >= in->n_ag) {
            size_t c = 0;
            while (c + 1 < in->n_cores && in->first[c + 1] <= i)
                c++;
            st = info_error(&r, (long)c, -1, "source",
                            "an MVMUL of core %zu uses array group %u, but AG_info has %zu", c,
                            in->src[i], in->n_ag);
        }
    free(text);
    if (st != PIM_OK) {
        pim_pc_info_free(in);
        return st;
    }
    *out = in;
    return PIM_OK;
}

uint64_t pim_pc_info_bytes(const pim_pc_info *in)
{
    return in ? (uint64_t)in->cap_ag * 4 + (uint64_t)in->cap_src * 4 +
                    (uint64_t)in->cap_cores * sizeof(size_t)
              : 0;
}

/* ------------------------------------------------------------------ applying */

static int cmp_u32(const void *a, const void *b)
{
    const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The index of s in the sorted, distinct u[0..n). */
static size_t rank_of(const uint32_t *u, size_t n, uint32_t s)
{
    const uint32_t *q = bsearch(&s, u, n, sizeof *u, cmp_u32);
    return (size_t)(q - u);
}

/* One core: checks (raw: mvmul.group is the group's crossbar count; converted: the group
 * index) and renumbers its mvmuls, and gives its map entry (xbars[0..*ng)). */
static pim_status apply_core(pim_reader *r, const pim_pc_info *in, pim_program *p, uint32_t c,
                             int raw, uint32_t *u, uint32_t *xbars, size_t *ng)
{
    const size_t k = c < in->n_cores ? in->first[c + 1] - in->first[c] : 0;
    const uint32_t *src = k ? in->src + in->first[c] : NULL;
    size_t n = 0;
    if (k) {
        memcpy(u, src, k * sizeof *u);
        qsort(u, k, sizeof *u, cmp_u32);
        for (size_t i = 0; i < k; i++)
            if (n == 0 || u[i] != u[n - 1])
                u[n++] = u[i];
    }
    for (size_t g = 0; g < n; g++)
        xbars[g] = in->ag_xbars[u[g]];
    *ng = n;
    size_t j = 0;
    const size_t ni = c < p->n_cores ? p->n_insns[c] : 0;
    for (size_t i = 0; i < ni; i++) {
        pim_insn *v = &p->insns[c][i];
        if (v->op != PIM_OP_MVMUL)
            continue;
        if (j == k)
            return info_error(r, (long)c, (long)i, PIM_KEY(GROUP),
                              "this is mvmul %zu of core %u, but the VerificationInfo (%s) has "
                              "%zu MVMULs for it", j, c, in->path, k);
        const uint32_t s = src[j], g = (uint32_t)rank_of(u, n, s);
        if (raw && v->group != in->ag_xbars[s])
            return info_error(r, (long)c, (long)i, PIM_KEY(GROUP),
                              "%u crossbars, but MVMUL %zu of core %u in the VerificationInfo "
                              "uses array group %u, of %u crossbars", v->group, j, c, s,
                              in->ag_xbars[s]);
        if (!raw && v->group != g)
            return info_error(r, (long)c, (long)i, PIM_KEY(GROUP),
                              "group %u, but MVMUL %zu of core %u in the VerificationInfo uses "
                              "array group %u, the core's group %u", v->group, j, c, s, g);
        v->group = (uint16_t)g;
        j++;
    }
    if (j != k)
        return info_error(r, (long)c, -1, PIM_KEY(GROUP),
                          "the stream has %zu mvmuls on core %u, its VerificationInfo (%s) %zu "
                          "MVMULs", j, c, in->path, k);
    return PIM_OK;
}

/* The stream's own map entry of core c ([] when absent) against the derived one. */
static pim_status check_entry(pim_reader *r, const cJSON *map, uint32_t c, const uint32_t *xbars,
                              size_t ng)
{
    char key[32];
    snprintf(key, sizeof key, "core%u", c);
    const cJSON *e = map ? cJSON_GetObjectItemCaseSensitive(map, key) : NULL;
    const size_t have = cJSON_IsArray(e) ? (size_t)cJSON_GetArraySize(e) : 0;
    size_t g = 0;
    for (const cJSON *x = e ? e->child : NULL; x && g < ng; x = x->next, g++)
        if (!cJSON_IsNumber(x) || x->valuedouble != (double)xbars[g])
            return info_error(r, (long)c, -1, "config.array_group_map",
                              "core%u group %zu has %g crossbars, the VerificationInfo %u", c, g,
                              cJSON_IsNumber(x) ? x->valuedouble : -1.0, xbars[g]);
    if (have != ng)
        return info_error(r, (long)c, -1, "config.array_group_map",
                          "core%u has %zu groups, the VerificationInfo %zu", c, have, ng);
    return PIM_OK;
}

pim_status pim_pc_info_apply(pim_reader *r, const pim_pc_info *in, pim_program *p,
                             cJSON **config)
{
    cJSON *map0 = *config ? cJSON_GetObjectItemCaseSensitive(*config, "array_group_map") : NULL;
    const int raw = map0 == NULL;
    size_t most = 1;
    for (size_t c = 0; c < in->n_cores; c++)
        if (in->first[c + 1] - in->first[c] > most)
            most = in->first[c + 1] - in->first[c];
    for (size_t c = p->n_cores; c < in->n_cores; c++)
        if (in->first[c + 1] > in->first[c])
            return info_error(r, (long)c, -1, PIM_KEY(GROUP),
                              "the VerificationInfo (%s) has %zu MVMULs for core%zu, which the "
                              "stream does not have", in->path, in->first[c + 1] - in->first[c], c);
    uint32_t *u = malloc(most * sizeof *u), *xbars = malloc(most * sizeof *xbars);
    cJSON *map = raw ? cJSON_CreateObject() : NULL;
    pim_status st = u && xbars && (map || !raw)
                        ? PIM_OK
                        : pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    for (uint32_t c = 0; st == PIM_OK && c < p->n_cores; c++) {
        size_t ng = 0;
        st = apply_core(r, in, p, c, raw, u, xbars, &ng);
        if (st != PIM_OK && r->err->index >= 0)
            pim_error_set_op(r->err, "mvmul");
        if (st == PIM_OK && !raw)
            st = check_entry(r, map0, c, xbars, ng);
        if (st == PIM_OK && raw && ng) {
            char key[32];
            snprintf(key, sizeof key, "core%u", c);
            cJSON *a = cJSON_CreateArray();
            for (size_t g = 0; a && g < ng; g++) {
                cJSON *num = cJSON_CreateNumber(xbars[g]);
                if (!num || !cJSON_AddItemToArray(a, num)) {
                    cJSON_Delete(num);
                    cJSON_Delete(a);
                    a = NULL;
                }
            }
            if (!a || !cJSON_AddItemToObject(map, key, a)) {
                cJSON_Delete(a);
                st = pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
            }
        }
    }
    free(u);
    free(xbars);
    if (st == PIM_OK && raw) {
        if (!*config && !(*config = cJSON_CreateObject()))
            st = pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        else if (!cJSON_AddItemToObject(*config, "array_group_map", map))
            st = pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        else
            map = NULL;
    }
    cJSON_Delete(map);
    return st;
}
