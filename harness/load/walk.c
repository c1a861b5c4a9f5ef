/*
 * walk.c - walking the raw text of a JSON document (load_internal.h).
 *
 * The top level of a stream (and of a vector) is walked member by member; cJSON parses one
 * value at a time (cJSON_ParseWithLengthOpts returns where it stopped; the length is the rest
 * of the document, as cJSON_ParseWithOpts would strlen it for every value), so a large stream
 * never sits in memory as one tree, and the raw text of every instruction is at hand (the
 * strict form refuses a float such as 0.0, which a parsed cJSON number cannot tell from 0).
 * A core's array is skipped in pass 1 by a bracket counter (64 bytes at a time with SSE2).
 */
#include "load_internal.h"
#include "pim_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char pim_dialect_hint[] = " (this looks like PIMCOMP-NN output: try --dialect pimcomp)";

const char *pim_rd_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

pim_status pim_rd_syntax(pim_reader *r, const char *at, const char *what)
{
    if (r->quiet)
        return PIM_E_INPUT;
    pim_json_syntax_error(r->path, r->base, at, what, r->err);
    return PIM_E_INPUT;
}

cJSON *pim_rd_value_unchecked(pim_reader *r, const char *p, const char **end)
{
    const char *e = NULL;
    const uint64_t max = r->max_memory ? r->max_memory : pim_max_memory(0);
    const uint64_t left = r->used < max ? max - r->used : 0;
    pim_json_limit_begin(left < max / PIM_JSON_TREE_SHARE ? left : max / PIM_JSON_TREE_SHARE);
    cJSON *v = cJSON_ParseWithLengthOpts(p, (size_t)(r->lim - p) + 1, &e, 0);
    const int hit = pim_json_limit_end();
    if (!v && hit) {
        char lim[32], m[160];
        pim_fmt_bytes(max, lim, sizeof lim);
        snprintf(m, sizeof m, "this JSON value's tree needs more than 1/%u of the memory "
                 "budget of %s (--max-memory)", PIM_JSON_TREE_SHARE, lim);
        if (!r->quiet)
            pim_json_key_error(r->path, r->base, p, r->member ? r->member : "", m, r->err);
        return NULL;
    }
    if (!v) {
        pim_rd_syntax(r, e ? e : p, "invalid JSON value");
        return NULL;
    }
    *end = e;
    return v;
}

/* Parses one JSON value at p; *end is set past it. NULL (error set) on bad JSON, a key given
 * twice in an object, or an escaped NUL in a string. */
cJSON *pim_rd_value(pim_reader *r, const char *p, const char **end)
{
    cJSON *v = pim_rd_value_unchecked(r, p, end);
    if (!v)
        return NULL;
    char key[160], what[160];
    const char *at = NULL;
    if (pim_json_clean(v, p, *end, key, sizeof key, what, sizeof what, &at) != 0) {
        char full[240]; /* the key's path from the document's top: "init.core0.lmem" */
        snprintf(full, sizeof full, "%.80s%s%.150s", r->member ? r->member : "",
                 r->member && key[0] != '[' ? "." : "", key);
        pim_json_key_error(r->path, r->base, at, full, what, r->err);
        cJSON_Delete(v);
        return NULL;
    }
    return v;
}

/* ------------------------------------------------------------------ hygiene */

/* The first escaped NUL (\u0000) inside a string of [p, e) (already valid JSON): its
 * position, and in key the member name it belongs to (the string itself when it is a
 * name). NULL when there is none. */
static const char *find_nul(const char *p, const char *e, char *key, size_t keyn)
{
    if (!memchr(p, '\\', (size_t)(e - p)))
        return NULL; /* no escape at all: the usual case, one memchr */
    const char *last = "", *str = NULL;
    size_t last_len = 0;
    while (p < e) {
        if (*p != '"') {
            p++;
            continue;
        }
        const char *s = ++p, *nul = NULL;
        while (p < e && *p != '"') {
            if (*p == '\\' && p + 1 < e) {
                if (p[1] == 'u' && e - p >= 6 && strncmp(p + 2, "0000", 4) == 0 && !nul)
                    nul = p;
                p += 2;
            } else {
                p++;
            }
        }
        const size_t len = (size_t)(p - s);
        p++;
        const int is_name = *pim_rd_ws(p) == ':';
        if (nul) {
            str = is_name ? s : last;
            const size_t l = is_name ? len : last_len;
            snprintf(key, keyn, "%.*s", (int)(l < 60 ? l : 60), str);
            return nul;
        }
        if (is_name) {
            last = s;
            last_len = len;
        }
    }
    return NULL;
}

static int cmp_names(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string);
}

/* Prepends a step ("name." or "[i]") to the dotted path in path. */
static void path_prepend(char *path, size_t n, const cJSON *c, size_t i)
{
    char t[160];
    if (c->string)
        snprintf(t, sizeof t, "%.60s%s%.90s", c->string, path[0] == '[' ? "" : ".", path);
    else
        snprintf(t, sizeof t, "[%zu]%s%.120s", i, path[0] == '[' ? "" : ".", path);
    snprintf(path, n, "%s", t);
}

/* Finds a name given twice in one object of the tree v (recursively): 1 with its dotted
 * path below v in path ("core0.gmem"), 0 when there is none, -1 when out of memory. */
static int find_dup(const cJSON *v, char *path, size_t pn)
{
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
        return 0;
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next, n++) {
        const int f = find_dup(c, path, pn);
        if (f == 1)
            path_prepend(path, pn, c, n);
        if (f != 0)
            return f;
    }
    if (!cJSON_IsObject(v) || n < 2)
        return 0;
    const char *dup = NULL;
    if (n <= 8) { /* an instruction: a few pairs */
        for (const cJSON *a = v->child; a && !dup; a = a->next)
            for (const cJSON *b = a->next; b && !dup; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    dup = a->string;
    } else {
        const cJSON **k = malloc(n * sizeof *k); /* sorted: n log n, whatever the object */
        if (!k)
            return -1;
        size_t i = 0;
        for (const cJSON *c = v->child; c; c = c->next)
            k[i++] = c;
        qsort(k, n, sizeof *k, cmp_names);
        for (i = 1; i < n && !dup; i++)
            if (strcmp(k[i - 1]->string, k[i]->string) == 0)
                dup = k[i]->string;
        free(k);
    }
    if (!dup)
        return 0;
    snprintf(path, pn, "%.60s", dup);
    return 1;
}

int pim_json_clean(const cJSON *v, const char *raw, const char *raw_end, char *key, size_t keyn,
                   char *what, size_t n, const char **at)
{
    *at = NULL;
    key[0] = '\0';
    const char *nul = find_nul(raw, raw_end, key, keyn);
    if (nul) {
        *at = nul;
        snprintf(what, n, "%s", "a string holds an escaped NUL (\\u0000)");
        return -1;
    }
    char path[160] = "";
    const int f = find_dup(v, path, sizeof path);
    if (f < 0) {
        snprintf(what, n, "out of memory");
        return -1;
    }
    if (f) {
        snprintf(key, keyn, "%s", path);
        snprintf(what, n, "%s", "the key appears twice in one object");
        return -1;
    }
    return 0;
}


/* One item of a container: consumes it at p, sets *vend past it. */
typedef pim_status (*item_fn)(pim_reader *r, void *ctx, size_t index, const char *p,
                              const char **vend);

/* Walks the object ('{') or array ('[') at p item by item; *end past it. */
static pim_status walk_items(pim_reader *r, const char *p, const char **end, char open,
                             item_fn item, void *ctx)
{
    const char close = open == '{' ? '}' : ']';
    p = pim_rd_ws(p);
    if (*p != open)
        return pim_rd_syntax(r, p, open == '{' ? "expected an object" : "expected an array");
    p = pim_rd_ws(p + 1);
    if (*p == close) {
        *end = p + 1;
        return PIM_OK;
    }
    for (size_t i = 0;; i++) {
        const char *vend = NULL;
        pim_status st = item(r, ctx, i, p, &vend);
        if (st != PIM_OK)
            return st;
        p = pim_rd_ws(vend);
        if (*p == ',') {
            p = pim_rd_ws(p + 1);
            continue;
        }
        if (*p == close) {
            *end = p + 1;
            return PIM_OK;
        }
        return pim_rd_syntax(r, p, open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

typedef struct member_ctx {
    pim_member_fn fn;
    void *ud;
} member_ctx;

/* An object's member: its name, ':', then fn on its value. */
static pim_status object_member(pim_reader *r, void *ctx, size_t index, const char *p,
                                const char **vend)
{
    const member_ctx *m = ctx;
    (void)index;
    if (*p != '"')
        return pim_rd_syntax(r, p, "expected a member name");
    const char *kend;
    cJSON *k = pim_rd_value(r, p, &kend);
    if (!k)
        return PIM_E_INPUT;
    char key[96];
    snprintf(key, sizeof key, "%s", k->valuestring ? k->valuestring : "");
    cJSON_Delete(k);
    p = pim_rd_ws(kend);
    if (*p != ':')
        return pim_rd_syntax(r, p, "expected ':'");
    const char *outer = r->member;
    r->member = key; /* named in what pim_rd_value refuses below it */
    pim_status st = m->fn(r, m->ud, key, pim_rd_ws(p + 1), vend);
    r->member = outer;
    return st;
}

/* Walks the object at p, calling fn for each member; fn consumes the value. */
pim_status pim_rd_object(pim_reader *r, const char *p, const char **end, pim_member_fn fn, void *ud)
{
    member_ctx m = {fn, ud};
    return walk_items(r, p, end, '{', object_member, &m);
}

typedef struct element_ctx {
    pim_element_fn fn;
    void *ud;
} element_ctx;

static pim_status array_element(pim_reader *r, void *ctx, size_t index, const char *p,
                                const char **vend)
{
    const element_ctx *e = ctx;
    return e->fn(r, e->ud, index, p, vend);
}

pim_status pim_rd_array(pim_reader *r, const char *p, const char **end, pim_element_fn fn,
                        void *ud)
{
    element_ctx e = {fn, ud};
    return walk_items(r, p, end, '[', array_element, &e);
}

/* The state of pim_rd_skip_array between bytes. */
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
const char *pim_rd_skip_array(const char *p, const char *lim, size_t *count)
{
    skip_state s = {0, 0, 0, 0};
    const char *end = NULL;
    const int empty = *pim_rd_ws(p + 1) == ']';
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
int pim_rd_find_float(const char *p, const char *e, char *key, size_t keyn, char *lit,
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
long pim_core_key(const char *key)
{
    if (strncmp(key, "core", 4) != 0 || key[4] < '0' || key[4] > '9')
        return -1;
    if (key[4] == '0' && key[5] != '\0')
        return -1;
    char *e;
    long v = strtol(key + 4, &e, 10);
    return (*e == '\0' && v >= 0 && v < PIM_MAX_CORES) ? v : -1;
}
pim_status pim_rd_open(pim_reader *r, const char *path, uint64_t max_memory, char **text,
                       pim_error *err)
{
    size_t len;
    memset(r, 0, sizeof *r);
    pim_status st = pim_read_file_max(path, max_memory, text, &len, err);
    if (st != PIM_OK)
        return st;
    if ((st = pim_text_no_nul(path, *text, len, err)) != PIM_OK) {
        free(*text);
        *text = NULL;
        return st;
    }
    r->path = path;
    r->base = *text;
    r->lim = *text + len;
    r->err = err;
    r->max_memory = pim_max_memory(max_memory);
    if ((st = pim_rd_charge(r, len, -1, -1, "", "the text")) != PIM_OK) {
        free(*text);
        *text = NULL;
    }
    return st;
}

/* bytes in a unit a reader can take in at a glance */
void pim_fmt_bytes(uint64_t n, char *out, size_t len)
{
    if (n >= ((uint64_t)1 << 30))
        snprintf(out, len, "%.1f GiB", (double)n / (double)((uint64_t)1 << 30));
    else if (n >= ((uint64_t)1 << 20))
        snprintf(out, len, "%.1f MiB", (double)n / (double)((uint64_t)1 << 20));
    else
        snprintf(out, len, "%llu bytes", (unsigned long long)n);
}

pim_status pim_rd_charge(pim_reader *r, uint64_t bytes, long core, long index, const char *field,
                         const char *what)
{
    const uint64_t max = r->max_memory ? r->max_memory : pim_max_memory(0);
    if (bytes <= max && r->used <= max - bytes) {
        r->used += bytes;
        return PIM_OK;
    }
    char need[32], lim[32];
    pim_fmt_bytes(bytes, need, sizeof need);
    pim_fmt_bytes(max, lim, sizeof lim);
    pim_error_set(r->err, PIM_E_INPUT, core, index, field,
                  "%s: %s needed, past the memory budget of %s (--max-memory)", what, need, lim);
    pim_error_set_file(r->err, r->path);
    return PIM_E_INPUT;
}

pim_status pim_text_no_nul(const char *path, const char *text, size_t len, pim_error *err)
{
    const char *z = memchr(text, '\0', len);
    if (!z)
        return PIM_OK;
    pim_json_syntax_error(path, text, z, "a NUL byte (JSON text holds none)", err);
    return PIM_E_INPUT;
}

pim_status pim_set_str(char **dst, const char *src, pim_error *err)
{
    char *d = pim_strdup(src);
    if (!d)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    free(*dst);
    *dst = d;
    return PIM_OK;
}
