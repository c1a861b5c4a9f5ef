/*
 * shrink.c - `pimcosim shrink`: reduces a failing vector while the same divergence
 * signature (op, RTL unit, kind of difference, the element's expected and actual values)
 * remains (pim_shrink.h).
 *
 * Delta debugging on the vector's JSON: drop the instructions after the failing one, drop
 * chunks of instructions (halving the chunk size down to one), empty whole cores, shorten
 * lengths, drop initial memory regions and groups no longer used, and clear the vector's own
 * expectations (the lockstep comparison is what fails). Every candidate is written to a
 * temporary file, loaded by the strict loader and run in lockstep; it is kept only when it
 * still diverges with the same signature.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pim_shrink.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_load.h"
#include "pim_lockstep.h"
#include "pim_util.h"

typedef pim_shrink_signature signature;

static int same_signature(const signature *a, const signature *b)
{
    return a->op == b->op && a->unit == b->unit && a->kind == b->kind &&
           (a->kind != PIM_DIV_VALUE || (a->space == b->space && a->expected == b->expected &&
                                         a->actual == b->actual));
}

typedef struct shrinker {
    pim_rtl_set *rtl;
    char tmp[64];
    signature want;
    uint64_t tries, kept;
    int verbose;
} shrinker;

/* Runs a candidate; 1 when it diverges with the wanted signature (or, with want == NULL,
 * with any signature, stored in *got). */
static int diverges(shrinker *s, cJSON *v, signature *got)
{
    char *text = cJSON_PrintUnformatted(v);
    FILE *f = text ? fopen(s->tmp, "w") : NULL;
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    free(text);
    if (!ok)
        return 0;
    s->tries++;
    pim_program *p = NULL;
    pim_error err;
    int hit = 0;
    if (pim_load_vector_file(s->tmp, &p, &err) == PIM_OK && !p->refused) {
        pim_rtl *rtl;
        pim_golden *g = NULL;
        pim_lockstep_report rep;
        if (pim_rtl_set_get(s->rtl, &p->cfg, &rtl, &err) == PIM_OK &&
            pim_lockstep_run(p, rtl, 0, &rep, &g, &err) == PIM_E_MISMATCH && rep.diverged) {
            const signature now = {rep.div.op, rep.div.unit, rep.div.kind, rep.div.space,
                                   rep.div.expected, rep.div.actual};
            if (got)
                *got = now;
            hit = !got ? same_signature(&now, &s->want) : 1;
        }
        pim_golden_free(g);
    }
    pim_program_free(p);
    return hit;
}

/* Tries removing items [from, from + n) of arr; keeps the removal when still failing. */
static int try_remove(shrinker *s, cJSON *root, cJSON *arr, int from, int n)
{
    cJSON *saved = cJSON_Duplicate(arr, 1);
    for (int k = 0; k < n; k++)
        cJSON_DeleteItemFromArray(arr, from);
    if (diverges(s, root, NULL)) {
        cJSON_Delete(saved);
        s->kept++;
        return 1;
    }
    /* restore */
    while (cJSON_GetArraySize(arr))
        cJSON_DeleteItemFromArray(arr, 0);
    for (cJSON *it = saved->child; it;) {
        cJSON *next = it->next;
        cJSON_AddItemToArray(arr, cJSON_DetachItemViaPointer(saved, it));
        it = next;
    }
    cJSON_Delete(saved);
    return 0;
}

/* ddmin-style: chunks of halving size over an array. Returns 1 if anything went. */
static int reduce_array(shrinker *s, cJSON *root, cJSON *arr)
{
    int progress = 0;
    for (int chunk = cJSON_GetArraySize(arr) / 2; chunk >= 1; chunk /= 2) {
        for (int from = 0; from + chunk <= cJSON_GetArraySize(arr);) {
            if (try_remove(s, root, arr, from, chunk))
                progress = 1;
            else
                from += chunk;
        }
    }
    if (cJSON_GetArraySize(arr) == 1 && try_remove(s, root, arr, 0, 1))
        progress = 1;
    return progress;
}

/* Tries a smaller value for a numeric member (len/size): 1, then half. */
static int shrink_number(shrinker *s, cJSON *root, cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v) || v->valuedouble <= 1)
        return 0;
    const double was = v->valuedouble;
    const double tries[2] = {1, (double)((long long)was / 2)};
    for (int k = 0; k < 2; k++) {
        if (tries[k] < 1 || tries[k] >= was)
            continue;
        cJSON_SetNumberValue(v, tries[k]);
        if (diverges(s, root, NULL)) {
            s->kept++;
            return 1;
        }
        cJSON_SetNumberValue(v, was);
    }
    return 0;
}

/* Trims a memory region ({"addr", "bytes", "elems": [...]}) to the elements the failure
 * needs: the longest tail, then the longest head (its addr moved past it) whose removal
 * keeps the divergence, each found by halving. Returns 1 if anything went. */
static int trim_region(shrinker *s, cJSON *root, cJSON *reg)
{
    cJSON *el = cJSON_GetObjectItemCaseSensitive(reg, "elems");
    cJSON *addr = cJSON_GetObjectItemCaseSensitive(reg, "addr");
    const cJSON *bytes = cJSON_GetObjectItemCaseSensitive(reg, "bytes");
    if (!cJSON_IsArray(el) || !cJSON_IsNumber(addr))
        return 0;
    const double w = cJSON_IsNumber(bytes) ? bytes->valuedouble : 1;
    int progress = 0;
    for (int chunk = cJSON_GetArraySize(el) / 2; chunk >= 1; chunk /= 2) /* the tail */
        while (cJSON_GetArraySize(el) > chunk &&
               try_remove(s, root, el, cJSON_GetArraySize(el) - chunk, chunk))
            progress = 1;
    for (int chunk = cJSON_GetArraySize(el) / 2; chunk >= 1; chunk /= 2) { /* the head */
        while (cJSON_GetArraySize(el) > chunk) {
            const double was = addr->valuedouble;
            cJSON_SetNumberValue(addr, was + w * chunk);
            if (try_remove(s, root, el, 0, chunk)) {
                progress = 1;
                continue;
            }
            cJSON_SetNumberValue(addr, was);
            break;
        }
    }
    return progress;
}

/* Every region of an array of them (a core's lmem, or gmem). */
static int trim_regions(shrinker *s, cJSON *root, cJSON *arr)
{
    int progress = 0;
    for (cJSON *reg = cJSON_IsArray(arr) ? arr->child : NULL; reg; reg = reg->next)
        progress |= trim_region(s, root, reg);
    return progress;
}

static int shrink_pass(shrinker *s, cJSON *root)
{
    int progress = 0;
    cJSON *prog = cJSON_GetObjectItemCaseSensitive(root, "program");
    for (cJSON *core = prog ? prog->child : NULL; core; core = core->next) {
        if (!cJSON_IsArray(core))
            continue;
        const int n = cJSON_GetArraySize(core);
        if (n && try_remove(s, root, core, 0, n)) { /* the whole core */
            progress = 1;
            continue;
        }
        progress |= reduce_array(s, root, core);
        for (cJSON *in = core->child; in; in = in->next) {
            progress |= shrink_number(s, root, in, PIM_KEY(LEN));
            progress |= shrink_number(s, root, in, PIM_KEY(SIZE));
        }
    }
    cJSON *init = cJSON_GetObjectItemCaseSensitive(root, "init");
    for (cJSON *part = init ? init->child : NULL; part; part = part->next) {
        if (cJSON_IsArray(part)) { /* gmem regions */
            progress |= reduce_array(s, root, part);
            progress |= trim_regions(s, root, part);
            continue;
        }
        const char *keys[2] = {"lmem", "groups"};
        for (int k = 0; k < 2; k++) {
            cJSON *arr = cJSON_GetObjectItemCaseSensitive(part, keys[k]);
            if (cJSON_IsArray(arr))
                progress |= reduce_array(s, root, arr);
        }
        progress |= trim_regions(s, root, cJSON_GetObjectItemCaseSensitive(part, "lmem"));
    }
    return progress;
}

static int count_insns(const cJSON *v)
{
    int n = 0;
    const cJSON *prog = cJSON_GetObjectItemCaseSensitive(v, "program");
    for (const cJSON *c = prog ? prog->child : NULL; c; c = c->next)
        n += cJSON_IsArray(c) ? cJSON_GetArraySize(c) : 0;
    return n;
}

/* Names and describes the result, and writes it to r->out. */
static int write_result(cJSON *v, const pim_shrink_result *r, const char *in)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
    char nid[300], comment[600];
    snprintf(nid, sizeof nid, "%.280s.min", cJSON_IsString(id) ? id->valuestring : "shrunk");
    pim_divergence d;
    memset(&d, 0, sizeof d);
    d.kind = r->sig.kind;
    d.space = r->sig.space;
    snprintf(comment, sizeof comment,
             "shrunk by pimcosim shrink from %.300s (%d instructions): %s in %s diverges (%s, "
             "expected %lld, got %lld)", in, r->insns0, pim_op_name(r->sig.op),
             pim_unit_name((pim_unit_id)r->sig.unit), pim_divergence_what(&d),
             (long long)r->sig.expected, (long long)r->sig.actual);
    cJSON_ReplaceItemInObjectCaseSensitive(v, "id", cJSON_CreateString(nid));
    if (cJSON_GetObjectItemCaseSensitive(v, "comment"))
        cJSON_ReplaceItemInObjectCaseSensitive(v, "comment", cJSON_CreateString(comment));
    else
        cJSON_AddStringToObject(v, "comment", comment);
    char *printed = cJSON_Print(v);
    FILE *f = printed ? fopen(r->out, "w") : NULL;
    int ok = f && fputs(printed, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0)
        ok = 0;
    free(printed);
    return ok ? 0 : -1;
}

int pim_shrink_vector(const pim_rtl_opts *ro, const char *in, const char *out,
                      pim_shrink_result *r)
{
    memset(r, 0, sizeof *r);
    if (out) {
        snprintf(r->out, sizeof r->out, "%s", out);
    } else {
        const size_t l = strlen(in);
        const size_t cut = l > 8 && strcmp(in + l - 8, ".json.gz") == 0 ? 8 : (l > 5 ? 5 : 0);
        snprintf(r->out, sizeof r->out, "%.*s.min.json", (int)(l - cut), in);
    }
    pim_error err;
    cJSON *v; /* the config inlined: the candidates and the result stand alone */
    if (pim_vector_portable(in, &v, &err) != PIM_OK) {
        pim_error_format(&err, r->msg, sizeof r->msg);
        return PIM_EXIT_BAD_INPUT;
    }
    if (!cJSON_IsObject(v)) {
        snprintf(r->msg, sizeof r->msg, "%s: not a JSON vector", in);
        cJSON_Delete(v);
        return PIM_EXIT_BAD_INPUT;
    }
    shrinker s;
    memset(&s, 0, sizeof s);
    snprintf(s.tmp, sizeof s.tmp, "/tmp/pimcosim-shrink-%.6s", "XX" "XX" "XX"); /* mkstemp */
    int fd = mkstemp(s.tmp);
    if (fd < 0) {
        snprintf(r->msg, sizeof r->msg, "cannot create a temporary file");
        cJSON_Delete(v);
        return PIM_EXIT_BAD_INPUT;
    }
    close(fd);
    s.rtl = pim_rtl_set_new(ro, 2);
    const double t0 = pim_now();
    int rc = PIM_EXIT_PASS;
    /* the vector's own expectations are not what is being reduced */
    cJSON_DeleteItemFromObjectCaseSensitive(v, "error");
    cJSON_ReplaceItemInObjectCaseSensitive(v, "expected", cJSON_CreateObject());
    if (!cJSON_GetObjectItemCaseSensitive(v, "expected"))
        cJSON_AddItemToObject(v, "expected", cJSON_CreateObject());
    if (!diverges(&s, v, &s.want)) {
        snprintf(r->msg, sizeof r->msg, "%s does not diverge in lockstep%s", in,
                 ro->fault ? "" : " (pass --fault NAME if it failed with an injected fault)");
        rc = PIM_EXIT_MISMATCH;
    } else {
        r->insns0 = count_insns(v);
        for (int pass = 0; pass < 8 && shrink_pass(&s, v); pass++)
            ;
        r->insns1 = count_insns(v);
        r->sig = s.want;
        r->tries = s.tries;
        r->kept = s.kept;
        if (write_result(v, r, in) != 0) {
            snprintf(r->msg, sizeof r->msg, "cannot write %s", r->out);
            rc = PIM_EXIT_BAD_INPUT;
        }
        r->secs = pim_now() - t0;
    }
    pim_rtl_set_free(s.rtl);
    unlink(s.tmp);
    cJSON_Delete(v);
    return rc;
}
