/*
 * bless.c - `pimcosim run --bless` (pim_bless.h): the golden model's final state written
 * into a vector whose expectations are empty, as NAME.blessed.json beside it.
 */
#include "pim_bless.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_golden.h"
#include "pim_json.h"
#include "pim_load.h"

/* Byte ranges a run wrote, for --bless. */
typedef struct span {
    uint8_t space;
    uint32_t owner;
    uint64_t lo, hi; /* [lo, hi) */
} span;
typedef struct spans {
    span *v;
    size_t n, cap;
    int oom;
} spans;

static void note_write(void *ud, const pim_write *w)
{
    spans *s = ud;
    if (w->space != PIM_SPACE_LMEM && w->space != PIM_SPACE_GMEM)
        return;
    for (size_t i = 0; i < s->n; i++) { /* extend a touching range of the same memory */
        span *p = &s->v[i];
        if (p->space == w->space && p->owner == w->owner && w->addr <= p->hi &&
            w->addr + w->len >= p->lo) {
            p->lo = w->addr < p->lo ? w->addr : p->lo;
            p->hi = w->addr + w->len > p->hi ? w->addr + w->len : p->hi;
            return;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        span *q = realloc(s->v, cap * sizeof *q);
        if (!q) {
            s->oom = 1;
            return;
        }
        s->v = q;
        s->cap = cap;
    }
    s->v[s->n++] = (span){(uint8_t)w->space, w->owner, w->addr, w->addr + w->len};
}

/* "expected" from the golden machine's final state: every register and event register, and
 * every byte range the run wrote. */
static cJSON *expected_state(pim_jb *b, const pim_program *p, pim_golden *g, const spans *s)
{
    cJSON *exp = cJSON_CreateObject();
    cJSON *gm = cJSON_CreateArray();
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].space == PIM_SPACE_GMEM)
            pim_jb_regions(b, gm, s->v[i].lo, pim_golden_gmem(g) + s->v[i].lo,
                           s->v[i].hi - s->v[i].lo, 0);
    if (cJSON_GetArraySize(gm))
        pim_jb_add(b, exp, "gmem", gm);
    else
        cJSON_Delete(gm);
    for (uint32_t c = 0; c < p->n_cores; c++) {
        char key[16];
        snprintf(key, sizeof key, "core%u", c);
        cJSON *core = pim_jb_obj(b, exp, key);
        cJSON *regs = pim_jb_obj(b, core, "regs"), *evs = pim_jb_obj(b, core, "events");
        cJSON *lm = pim_jb_arr(b, core, "lmem");
        for (uint32_t r = 0; r < 32; r++) {
            snprintf(key, sizeof key, "r%u", r);
            pim_jb_num(b, regs, key, pim_golden_reg(g, c, r));
        }
        for (uint32_t e = 0; e < 32; e++) {
            snprintf(key, sizeof key, "e%u", e);
            pim_jb_num(b, evs, key, pim_golden_event(g, c, e));
        }
        for (size_t i = 0; i < s->n; i++)
            if (s->v[i].space == PIM_SPACE_LMEM && s->v[i].owner == c)
                pim_jb_regions(b, lm, s->v[i].lo, pim_golden_lmem(g, c) + s->v[i].lo,
                               s->v[i].hi - s->v[i].lo, 0);
    }
    return exp;
}

/* Writes root to PATH.blessed.json, never over an existing file. */
static pim_status write_blessed(const char *path, const cJSON *root, char *msg, size_t n)
{
    char out[1100];
    const size_t pl = strlen(path);
    const size_t cut = pl > 8 && strcmp(path + pl - 8, ".json.gz") == 0 ? 8 : 5;
    snprintf(out, sizeof out, "%.*s.blessed.json", (int)(pl - cut), path);
    FILE *f = fopen(out, "wx"); /* C11 exclusive mode: never over an existing file */
    char *printed = cJSON_Print(root);
    pim_status st = PIM_OK;
    if (!f || !printed) {
        snprintf(msg, n, "cannot write %s (%s)", out, f ? "out of memory" : "exists or unwritable");
        st = PIM_E_IO;
    } else {
        fputs(printed, f);
        fputc('\n', f);
        snprintf(msg, n, "blessed into %s", out);
    }
    free(printed);
    if (f && fclose(f) != 0) {
        snprintf(msg, n, "cannot write %s", out);
        st = PIM_E_IO;
    }
    return st;
}

int pim_bless_wanted(const pim_program *p)
{
    if (p->refused || !p->has_expected || p->n_expect_gmem)
        return 0;
    for (uint32_t c = 0; c < p->n_cores; c++)
        if (p->expect[c].regs_mask || p->expect[c].events_mask || p->expect[c].n_lmem)
            return 0;
    return 1;
}

pim_status pim_bless(const pim_program *p, char *msg, size_t n)
{
    pim_error err;
    pim_error_clear(&err);
    pim_golden *g = NULL;
    spans s = {0};
    char *text = NULL;
    size_t len;
    cJSON *root = NULL;
    pim_status st = pim_golden_new(&p->cfg, &g, &err);
    if (st == PIM_OK)
        st = pim_golden_load(g, p, 1, 0, &err);
    if (st == PIM_OK) {
        pim_golden_set_observer(g, note_write, &s);
        st = pim_golden_run(g, 0, &err);
    }
    if (st == PIM_OK && s.oom)
        st = PIM_E_NOMEM;
    if (st == PIM_OK)
        st = pim_read_file(p->path, &text, &len, &err);
    if (st == PIM_OK && !(root = cJSON_Parse(text)))
        st = PIM_E_INPUT;
    if (st == PIM_OK) {
        pim_jb b = {0};
        cJSON *exp = expected_state(&b, p, g, &s);
        cJSON_ReplaceItemInObjectCaseSensitive(root, "expected", exp);
        st = b.oom ? PIM_E_NOMEM : write_blessed(p->path, root, msg, n);
        if (b.oom)
            snprintf(msg, n, "cannot bless: out of memory");
    } else if (msg[0] == '\0') {
        snprintf(msg, n, "cannot bless: %s", err.msg);
    }
    cJSON_Delete(root);
    free(text);
    free(s.v);
    pim_golden_free(g);
    return st;
}
