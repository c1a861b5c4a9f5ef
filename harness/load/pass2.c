/*
 * pass2.c - pass 2 of a stream load (load_internal.h): every core's array parsed element by
 * element into the program, on several threads when the stream is large (each thread takes
 * whole arrays, largest first). The error a load reports is always the one a one-thread load
 * reports: the first array (in document order) that fails is parsed again alone, which names
 * the error. cJSON writes its global error record on every parse (1.7.15 clears it first
 * thing), so a parser thread never reads it: a syntax error is only located single-threaded.
 * Also here: cJSON's per-thread arena, and the input region of each core.
 */
#include "load_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The arrays of one load. */
typedef struct cores {
    pim_program *p;
    const pim_insn_names *names;
    const pim_core_span *spans; /* document order */
    size_t n_spans;
} cores;

/* ------------------------------------------------------------------ the input region */

/* The end of the global memory the reads of one core's instructions reach (docs/dialects.md,
 * "The input region"): registers are followed as known constants from sldi and the scalar
 * arithmetic; an ld or sld whose address is not known gives the whole memory (gsize). */
uint64_t pim_input_end(const pim_insn *v, size_t n, pim_dialect d, uint64_t gsize)
{
    pim_regs_walk w;
    pim_regs_init(&w);
    uint64_t end = 0;
#define KNOWN(r) ((w.known >> (r)) & 1u)
    for (size_t i = 0; i < n; i++) {
        const pim_insn *in = &v[i];
        uint32_t r = 0, size = 0;
        int64_t off = 0;
        if (pim_regs_step(&w, in))
            continue;
        switch (in->op) {
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
                a = w.val[r];
            } else {
                if (r + 1 >= PIM_NREGS || !KNOWN(r) || !KNOWN(r + 1))
                    return gsize;
                a = (uint64_t)w.val[r] << 32 | w.val[r + 1];
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
            w.known &= ~(1u << in->rd);
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

/* The budget of one parse (pim_json_limit_begin): what cJSON may still allocate. */
typedef struct json_limit {
    int on, hit;
    uint64_t left;
} json_limit;
static _Thread_local json_limit tl_limit;

static void *arena_malloc(size_t n)
{
    if (tl_limit.on) {
        if ((uint64_t)n > tl_limit.left) {
            tl_limit.hit = 1;
            return NULL; /* cJSON gives up the parse */
        }
        tl_limit.left -= n;
    }
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

void pim_json_limit_begin(uint64_t limit)
{
    pthread_once(&hooks_once, install_hooks);
    tl_limit.on = 1;
    tl_limit.hit = 0;
    tl_limit.left = limit;
}

int pim_json_limit_end(void)
{
    const int hit = tl_limit.hit;
    tl_limit.on = 0;
    tl_limit.hit = 0;
    return hit;
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

/* What pass 2 learns of one core besides its instructions. */
typedef struct core_facts {
    uint64_t in_end; /* the end of the global memory its reads reach */
    uint64_t n_frac; /* fractional lldi immediates converted (rule 9) */
} core_facts;

static pim_status read_array(pim_reader *r, const cores *s, const pim_core_span *sp,
                             pim_frac_imm **fr, size_t *n_fr, size_t *cap_fr);

/* Appends a fractional lldi imm to *fr (capacity *cap). */
static int push_frac(pim_frac_imm **fr, size_t *n, size_t *cap, size_t index, double value)
{
    if (*n == *cap) {
        const size_t c = *cap ? 2 * *cap : 16;
        pim_frac_imm *q = realloc(*fr, c * sizeof *q);
        if (!q)
            return -1;
        *fr = q;
        *cap = c;
    }
    (*fr)[(*n)++] = (pim_frac_imm){index, value};
    return 0;
}

/* Pass 2 for one core: parses its array element by element into the program, then applies
 * rule 9 to its fractional lldi immediates. */
static pim_status read_core(pim_reader *r, const cores *s, const pim_core_span *sp,
                            core_facts *facts)
{
    pim_frac_imm *fr = NULL;
    size_t n_fr = 0, cap_fr = 0;
    pim_status st = read_array(r, s, sp, &fr, &n_fr, &cap_fr);
    const uint32_t c = (uint32_t)sp->core;
    pim_program *p = s->p;
    if (st == PIM_OK && n_fr)
        st = pim_fixed_point(r, sp->core, p->insns[c], p->n_insns[c], fr, n_fr);
    free(fr);
    if (st != PIM_OK)
        return st;
    facts->n_frac = n_fr;
    facts->in_end = pim_input_end(p->insns[c], p->n_insns[c], r->dialect,
                                  p->cfg.global_mem_size);
    return PIM_OK;
}

/* The instructions of one core's array; fractional lldi immediates go to *fr. */
static pim_status read_array(pim_reader *r, const cores *s, const pim_core_span *sp,
                             pim_frac_imm **fr, size_t *n_fr, size_t *cap_fr)
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
    const char *q = pim_rd_ws(sp->start + 1);
    if (*q != ']') {
        for (size_t i = 0;; i++) {
            const char *e = NULL;
            arena *a = tl_arena;
            if (a)
                a->used = 0, a->spilled = 0;
            cJSON *o = pim_rd_value_unchecked(r, q, &e); /* pim_parse_insn checks it */
            if (!o)
                return PIM_E_INPUT;
            pim_insn_ctx x = {r, s->names, p->n_cores, sp->core, i, NULL, 0, 0, 0, 0, 0};
            pim_insn in;
            pim_status st = pim_parse_insn(&x, o, q, e, &in);
            if (st == PIM_OK && x.has_frac && push_frac(fr, n_fr, cap_fr, i, x.frac_v) != 0)
                st = pim_error_set(r->err, PIM_E_NOMEM, sp->core, (long)i, "", "out of memory");
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
            q = pim_rd_ws(e);
            if (*q == ',') {
                q = pim_rd_ws(q + 1);
                continue;
            }
            if (*q == ']')
                break;
            return pim_rd_syntax(r, q, "expected ',' or ']'");
        }
    }
    p->n_insns[c] = n;
    return PIM_OK;
}

/* Pass 2, shared by its threads. */
typedef struct pass2 {
    const cores *s;
    const pim_reader *proto;     /* path, document, dialect of every thread's pim_reader */
    const size_t *order;     /* span indices, largest first */
    atomic_size_t next;      /* next entry of order to take */
    atomic_size_t first_bad; /* smallest failed span index; n_spans when none */
    core_facts *facts;       /* per span */
} pass2;

static void *pass2_worker(void *arg)
{
    pass2 *w = arg;
    const size_t n = w->s->n_spans;
    pim_error e;
    pim_error_clear(&e);
    pim_reader r = *w->proto;
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
        if (read_core(&r, w->s, &w->s->spans[j], &w->facts[j]) != PIM_OK) {
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

pim_status pim_read_cores(pim_reader *r, pim_program *p, const pim_insn_names *names,
                          const pim_core_span *spans, size_t n_spans, int want, size_t doc_bytes)
{
    const cores cs = {p, names, spans, n_spans};
    const cores *s = &cs;
    const int threads = pass2_threads(want, doc_bytes, n_spans);
    const size_t n = s->n_spans;
    p->gmem_input_end = 0;
    p->n_frac_imm = 0;
    if (n == 0)
        return PIM_OK;
    size_t *order = malloc(n * sizeof *order);
    span_size *sz = malloc(n * sizeof *sz);
    core_facts *facts = calloc(n, sizeof *facts);
    if (!order || !sz || !facts) {
        free(order);
        free(sz);
        free(facts);
        return pim_error_set(r->err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    for (size_t j = 0; j < n; j++)
        sz[j] = (span_size){(size_t)(s->spans[j].end - s->spans[j].start), j};
    qsort(sz, n, sizeof *sz, by_size_desc);
    for (size_t j = 0; j < n; j++)
        order[j] = sz[j].index;
    free(sz);

    pthread_once(&hooks_once, install_hooks);
    pass2 w = {.s = s, .proto = r, .order = order, .facts = facts};
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
        core_facts ignored;
        st = read_core(r, s, &s->spans[bad], &ignored);
        if (st == PIM_OK) /* it failed for want of memory only */
            st = pim_error_set(r->err, PIM_E_NOMEM, s->spans[bad].core, -1, "", "out of memory");
    } else {
        for (size_t j = 0; j < n; j++) {
            if (facts[j].in_end > p->gmem_input_end)
                p->gmem_input_end = facts[j].in_end;
            p->n_frac_imm += facts[j].n_frac;
        }
    }
    free(order);
    free(facts);
    return st;
}

