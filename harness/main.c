/*
 * main.c - the pimcosim command line: `run` (conformance vectors) and `exec` (bare
 * PIMSIM-NN streams). Exit codes: 0 pass, 1 mismatch, 2 bad input (docs/isa.md).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pim_expect.h"
#include "pim_harness.h"
#include "pim_golden.h"
#include "pim_load.h"

static const char *k_usage =
    "usage: pimcosim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run    run conformance vectors and check their expectations\n"
    "  exec   execute a PIMSIM-NN instruction stream on the golden model\n"
    "  models list the RTL model files the vectors' configs need (for make -j)\n"
    "\n"
    "`pimcosim <command> --help` describes a command. Exit codes: 0 pass, 1 mismatch,\n"
    "2 bad input (malformed file, field out of range, execution error).\n";

static const char *k_run_usage =
    "usage: pimcosim run [--golden-only] [--seed S] [--quiet] PATH...\n"
    "\n"
    "Runs conformance vectors (docs/vectors.md) in lockstep: every instruction on the golden\n"
    "model and on the design under test (mvmul through the RTL crossbar tile, vector\n"
    "instructions through the RTL vector unit, both Verilated), comparing every write; the\n"
    "first difference stops the vector with a report. Then checks what the vector expects.\n"
    "A PATH is a vector file (.json or .json.gz) or a directory searched recursively\n"
    "(directories named 'configs' are skipped). Prints one line per vector and a summary.\n"
    "The RTL models for each config are built on first use into build/rtl.\n"
    "\n"
    "  --golden-only   execute on the golden model alone\n"
    "  --seed S        Verilator's +verilator+seed (default 1; 0 means random)\n"
    "  --fault NAME    use RTL models built with +define+NAME (harness self-tests)\n"
    "  --no-build      fail instead of building a missing RTL model\n"
    "  --quiet         print only failures and the summary\n"
    "\n"
    "Exit: 0 all passed, 1 a mismatch (divergence or failed expectation), 2 bad input.\n";

static const char *k_exec_usage =
    "usage: pimcosim exec STREAM --config CFG [--seed S] [--max-insns N] [--quiet]\n"
    "\n"
    "Executes a PIMSIM-NN instruction stream (.json or .json.gz) on the golden model, with\n"
    "the array groups' weights and the global memory filled from the seed, and prints\n"
    "instruction counts per op and per core, the final memory hashes and the speed.\n"
    "\n"
    "  --config CFG    PIMSIM-NN architecture config (JSON), required\n"
    "  --seed S        seed for weights and global memory (default 1)\n"
    "  --max-insns N   stop after N instructions (0: run to completion)\n"
    "  --quiet         print the summary only\n";

/* ------------------------------------------------------------------ vector files */

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static int push_path(path_list *l, const char *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **q = realloc(l->v, cap * sizeof *q);
        if (!q)
            return -1;
        l->v = q;
        l->cap = cap;
    }
    size_t n = strlen(p) + 1;
    if (!(l->v[l->n] = malloc(n)))
        return -1;
    memcpy(l->v[l->n++], p, n);
    return 0;
}

static int is_vector_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
           (n > 8 && strcmp(name + n - 8, ".json.gz") == 0);
}

/* Adds path (a file, or a directory searched recursively). Returns -1 on error. */
static int collect(path_list *l, const char *path, int top)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "pimcosim: %s: no such file or directory\n", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return (top || is_vector_name(path)) ? push_path(l, path) : 0;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "pimcosim: %s: cannot open directory\n", path);
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "configs") == 0)
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub) {
            rc = -1;
            break;
        }
        snprintf(sub, n, "%s/%s", path, e->d_name);
        struct stat ss;
        if (stat(sub, &ss) == 0 && (S_ISDIR(ss.st_mode) || is_vector_name(e->d_name)))
            rc = collect(l, sub, 0);
        free(sub);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------------ run */

static int parse_u64(const char *s, uint64_t *out)
{
    char *e;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &e, 0);
    if (*e)
        return -1;
    *out = v;
    return 0;
}

typedef enum verdict { V_PASS, V_FAIL, V_BAD } verdict;

/* RTL units, opened once per distinct config and reused by the vectors that share it. */
typedef struct rtl_cache {
    pim_rtl_opts opts;
    char tile[4][1024]; /* "tile|vu" model paths of each entry */
    pim_rtl *rtl[4];
    int n;
} rtl_cache;

static pim_status rtl_for(rtl_cache *rc, const pim_config *cfg, pim_rtl **out, pim_error *err)
{
    char tile[1024], vu[1024];
    pim_rtl_model_paths(cfg, &rc->opts, tile, vu, sizeof tile);
    for (int i = 0; i < rc->n; i++) {
        char key[2048];
        snprintf(key, sizeof key, "%s|%s", tile, vu);
        if (strcmp(rc->tile[i], key) == 0) {
            *out = rc->rtl[i];
            return PIM_OK;
        }
    }
    pim_rtl *r;
    pim_status st = pim_rtl_open(cfg, &rc->opts, &r, err);
    if (st != PIM_OK)
        return st;
    if (rc->n == 4) { /* keep the cache small: drop the oldest */
        pim_rtl_close(rc->rtl[0]);
        memmove(rc->rtl, rc->rtl + 1, 3 * sizeof rc->rtl[0]);
        memmove(rc->tile, rc->tile + 1, 3 * sizeof rc->tile[0]);
        rc->n = 3;
    }
    snprintf(rc->tile[rc->n], sizeof rc->tile[0], "%.500s|%.500s", tile, vu);
    rc->rtl[rc->n++] = r;
    *out = r;
    return PIM_OK;
}

static void rtl_cache_close(rtl_cache *rc)
{
    for (int i = 0; i < rc->n; i++)
        pim_rtl_close(rc->rtl[i]);
    rc->n = 0;
}

typedef struct run_stats {
    uint64_t insns, cycles, writes;
} run_stats;

static verdict run_vector(const char *path, rtl_cache *rc, char *line, size_t n, run_stats *rs)
{
    pim_error err;
    pim_error_clear(&err);
    pim_program *p = NULL;
    pim_golden *g = NULL;
    verdict v;
    char msg[PIM_ERROR_MSG_MAX * 2];
    memset(rs, 0, sizeof *rs);
    pim_status st = pim_load_vector_file(path, &p, &err);
    if (st != PIM_OK) {
        snprintf(line, n, "ERROR %s", pim_error_format(&err, msg, sizeof msg));
        return V_BAD;
    }
    pim_error judge;
    pim_error_clear(&judge);
    if (p->refused) {
        st = pim_expect_check_error(p, &p->refusal, &judge);
        goto verdict;
    }
    if (rc) {
        pim_rtl *rtl;
        pim_lockstep_report rep;
        st = rtl_for(rc, &p->cfg, &rtl, &err);
        if (st != PIM_OK) {
            snprintf(line, n, "ERROR %s: %s", p->id, pim_error_format(&err, msg, sizeof msg));
            v = V_BAD;
            goto out;
        }
        st = pim_lockstep_run(p, rtl, 0, &rep, &g, &err);
        rs->insns = rep.insns;
        rs->cycles = rep.tile_cycles + rep.vu_cycles;
        rs->writes = rep.writes;
        if (st == PIM_E_MISMATCH) {
            if (rep.diverged && strcmp(rep.div.what, "protocol") != 0)
                pim_divergence_format(&rep.div, msg, sizeof msg);
            else
                pim_error_format(&err, msg, sizeof msg);
            snprintf(line, n, "FAIL %s (%s): %s; %llu instructions and %llu writes matched before it",
                     p->id, path, msg, (unsigned long long)(rep.insns ? rep.insns - 1 : 0),
                     (unsigned long long)rep.writes);
            v = V_FAIL;
            goto out;
        }
        if (st == PIM_E_NOMEM || (st != PIM_OK && !g)) {
            snprintf(line, n, "ERROR %s: %s", p->id, pim_error_format(&err, msg, sizeof msg));
            v = V_BAD;
            goto out;
        }
    } else {
        st = pim_golden_new(&p->cfg, &g, &err);
        if (st == PIM_OK)
            st = pim_golden_load(g, p, 1, 0, &err);
        if (st != PIM_OK) { /* the vector's state does not fit its machine */
            pim_error_set_file(&err, path);
            snprintf(line, n, "ERROR %s", pim_error_format(&err, msg, sizeof msg));
            v = V_BAD;
            goto out;
        }
        st = pim_golden_run(g, 0, &err);
        rs->insns = pim_golden_get_stats(g)->executed;
    }
    if (st != PIM_OK) {
        pim_error_set_file(&err, path);
        if (!p->expects_error) { /* an execution error nobody expected: bad input */
            snprintf(line, n, "ERROR %s: %s", p->id, pim_error_format(&err, msg, sizeof msg));
            v = V_BAD;
            goto out;
        }
        st = pim_expect_check_error(p, &err, &judge);
    } else {
        st = pim_expect_check_state(p, g, &judge);
    }
verdict:
    if (st == PIM_OK) {
        snprintf(line, n, "PASS %s", p->id);
        v = V_PASS;
    } else {
        snprintf(line, n, "FAIL %s (%s): %s", p->id, path,
                 pim_error_format(&judge, msg, sizeof msg));
        v = V_FAIL;
    }
out:
    pim_golden_free(g);
    pim_program_free(p);
    return v;
}

/* The project root: two levels above the binary (build/pimcosim), else ".". */
static void project_root(char *root, size_t n)
{
    char exe[1024];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    snprintf(root, n, ".");
    if (k <= 0)
        return;
    exe[k] = '\0';
    for (int up = 0; up < 2; up++) {
        char *s = strrchr(exe, '/');
        if (!s)
            return;
        *s = '\0';
    }
    snprintf(root, n, "%s", exe[0] ? exe : "/");
}

static int cmd_run(int argc, char **argv)
{
    int golden_only = 0, quiet = 0;
    path_list paths = {0};
    int rc = PIM_EXIT_PASS;
    rtl_cache cache;
    memset(&cache, 0, sizeof cache);
    char root[1024];
    project_root(root, sizeof root);
    cache.opts.root = root;
    cache.opts.seed = 1;
    cache.opts.build = 1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(k_run_usage, stdout);
            goto done;
        } else if (strcmp(argv[i], "--golden-only") == 0) {
            golden_only = 1;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--no-build") == 0) {
            cache.opts.build = 0;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &cache.opts.seed)) {
                fprintf(stderr, "pimcosim run: --seed takes a non-negative integer\n");
                rc = PIM_EXIT_BAD_INPUT;
                goto done;
            }
        } else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc) {
            cache.opts.fault = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "pimcosim run: unknown option '%s' (see --help)\n", argv[i]);
            rc = PIM_EXIT_BAD_INPUT;
            goto done;
        } else if (collect(&paths, argv[i], 1) != 0) {
            rc = PIM_EXIT_BAD_INPUT;
            goto done;
        }
    }
    if (paths.n == 0) {
        fprintf(stderr, "pimcosim run: no vector given (see --help)\n");
        rc = PIM_EXIT_BAD_INPUT;
        goto done;
    }
    qsort(paths.v, paths.n, sizeof *paths.v, cmp_str);
    size_t pass = 0, fail = 0, bad = 0;
    uint64_t total = 0, cycles = 0, writes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < paths.n; i++) {
        char line[2048];
        run_stats rs;
        verdict v = run_vector(paths.v[i], golden_only ? NULL : &cache, line, sizeof line, &rs);
        total += rs.insns;
        cycles += rs.cycles;
        writes += rs.writes;
        if (v == V_PASS)
            pass++;
        else if (v == V_FAIL)
            fail++;
        else
            bad++;
        if (v != V_PASS || !quiet)
            printf("%s\n", line);
        fflush(stdout);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (golden_only)
        printf("%zu vectors, %" PRIu64 " instructions in %.3f s; %zu bad input\n", paths.n, total,
               secs, bad);
    else
        printf("%zu vectors, %" PRIu64 " instructions, %" PRIu64 " RTL cycles, %" PRIu64
               " writes matched in %.3f s; %zu bad input\n",
               paths.n, total, cycles, writes, secs, bad);
    printf("%s: %zu passed, %zu failed\n", golden_only ? "golden" : "lockstep", pass, fail + bad);
    rc = bad ? PIM_EXIT_BAD_INPUT : (fail ? PIM_EXIT_MISMATCH : PIM_EXIT_PASS);
done:
    rtl_cache_close(&cache);
    for (size_t i = 0; i < paths.n; i++)
        free(paths.v[i]);
    free(paths.v);
    return rc;
}

/* ------------------------------------------------------------------ exec */

static int cmd_exec(int argc, char **argv)
{
    const char *stream = NULL, *config = NULL;
    uint64_t seed = 1, max_insns = 0;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(k_exec_usage, stdout);
            return PIM_EXIT_PASS;
        } else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &seed)) {
                fprintf(stderr, "pimcosim exec: --seed takes a non-negative integer\n");
                return PIM_EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--max-insns") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &max_insns)) {
                fprintf(stderr, "pimcosim exec: --max-insns takes a non-negative integer\n");
                return PIM_EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' || stream) {
            fprintf(stderr, "pimcosim exec: unexpected argument '%s' (see --help)\n", a);
            return PIM_EXIT_BAD_INPUT;
        } else {
            stream = a;
        }
    }
    if (!stream || !config) {
        fprintf(stderr, "pimcosim exec: needs STREAM and --config CFG (see --help)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    pim_error err;
    pim_error_clear(&err);
    char msg[PIM_ERROR_MSG_MAX * 2];
    pim_config cfg;
    pim_program *p = NULL;
    pim_golden *g = NULL;
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pim_status st = pim_load_config_file(config, &cfg, &err);
    if (st == PIM_OK)
        st = pim_load_stream_file(stream, &cfg, &p, &err);
    if (st == PIM_OK)
        st = pim_golden_new(&p->cfg, &g, &err);
    if (st == PIM_OK)
        st = pim_golden_load(g, p, seed, 1, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st == PIM_OK)
        st = pim_golden_run(g, max_insns, &err);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    if (st != PIM_OK) {
        if (!err.file[0])
            pim_error_set_file(&err, stream);
        fprintf(stderr, "pimcosim exec: %s\n", pim_error_format(&err, msg, sizeof msg));
        pim_golden_free(g);
        pim_program_free(p);
        return pim_status_exit_code(st);
    }
    const pim_golden_stats *s = pim_golden_get_stats(g);
    const double tl = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    const double tr = (double)(t2.tv_sec - t1.tv_sec) + 1e-9 * (double)(t2.tv_nsec - t1.tv_nsec);
    if (!quiet) {
        printf("instructions per op:\n");
        for (unsigned op = 0; op < PIM_OP_COUNT; op++)
            if (s->per_op[op])
                printf("  %-7s %12" PRIu64 "\n", pim_op_name(op), s->per_op[op]);
        printf("instructions per core:\n");
        for (uint32_t c = 0; c < p->n_cores; c++)
            printf("  core%-4u %10" PRIu64 " of %zu  lmem %016" PRIx64 "\n", c,
                   pim_golden_pc(g, c), p->n_insns[c], pim_golden_hash_lmem(g, c));
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("cores %u, instructions %" PRIu64 " (mvmul %" PRIu64 ", ADC clips %" PRIu64 ")%s\n",
           p->n_cores, s->executed, s->per_op[PIM_OP_MVMUL], s->adc_clips,
           pim_golden_done(g) ? "" : " (stopped early)");
    printf("gmem hash %016" PRIx64 "\n", pim_golden_hash_gmem(g));
    printf("load %.3f s, run %.3f s, %.0f instructions/s, peak memory %ld MiB\n", tl, tr,
           tr > 0 ? (double)s->executed / tr : 0.0, ru.ru_maxrss / 1024);
    pim_golden_free(g);
    pim_program_free(p);
    return PIM_EXIT_PASS;
}

/* `pimcosim models [--fault NAME] PATH...`: the RTL model files the vectors need. */
static int cmd_models(int argc, char **argv)
{
    path_list paths = {0};
    pim_rtl_opts o;
    memset(&o, 0, sizeof o);
    char root[1024];
    project_root(root, sizeof root);
    o.root = root;
    o.model_dir = "build/rtl"; /* as make names them, from the project root */
    int rc = PIM_EXIT_PASS;
    for (int i = 0; i < argc && rc == PIM_EXIT_PASS; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            printf("usage: pimcosim models [--fault NAME] PATH...\n"
                   "Prints the RTL model files (build/rtl/*.so) the vectors' configs need, one "
                   "per line.\n");
            goto done;
        } else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc) {
            o.fault = argv[++i];
        } else if (collect(&paths, argv[i], 1) != 0) {
            rc = PIM_EXIT_BAD_INPUT;
        }
    }
    path_list out = {0};
    for (size_t i = 0; i < paths.n && rc == PIM_EXIT_PASS; i++) {
        pim_program *p;
        pim_error err;
        if (pim_load_vector_file(paths.v[i], &p, &err) != PIM_OK)
            continue; /* `run` reports it */
        char tile[1024], vu[1024];
        pim_rtl_model_paths(&p->cfg, &o, tile, vu, sizeof tile);
        pim_program_free(p);
        for (int k = 0; k < 2; k++) {
            const char *m = k ? vu : tile;
            int seen = 0;
            for (size_t j = 0; j < out.n && !seen; j++)
                seen = strcmp(out.v[j], m) == 0;
            if (!seen && push_path(&out, m) == 0)
                printf("%s\n", m);
        }
    }
    for (size_t i = 0; i < out.n; i++)
        free(out.v[i]);
    free(out.v);
done:
    for (size_t i = 0; i < paths.n; i++)
        free(paths.v[i]);
    free(paths.v);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pimcosim <command> [options] (pimcosim --help lists them)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(k_usage, stdout);
        return PIM_EXIT_PASS;
    }
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(argv[1], "exec") == 0)
        return cmd_exec(argc - 2, argv + 2);
    if (strcmp(argv[1], "models") == 0)
        return cmd_models(argc - 2, argv + 2);
    fprintf(stderr, "pimcosim: unknown command '%s' (pimcosim --help lists them)\n", argv[1]);
    return PIM_EXIT_BAD_INPUT;
}
